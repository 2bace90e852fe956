//! Test fixtures shared by the engine's unit tests: a two-block certification, its
//! curriculum, and a dossier that meets every rule.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::certification::{AccessRoute, AccessRouteRule, AwardCondition, Block, Certification, Competency};
use crate::curriculum::{Curriculum, Module, TeachingUnit};
use crate::decision::Decision;
use crate::dossier::*;
use crate::mark::{Mark, MarkEntry};
use crate::policy::Policy;

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

pub fn mark(text: &str) -> MarkEntry {
    MarkEntry::Value(text.parse::<Mark>().unwrap())
}

pub fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// Two blocks, two UEs each of two modules; RNCP39668's routes and conditions.
pub fn certification() -> Certification {
    let block = |n: u8| Block {
        code: format!("TESTBC0{n}"),
        title: format!("Block {n}"),
        competencies: vec![Competency { id: format!("TESTBC0{n}-C1"), text: "Do".into(), details: vec![] }],
        transversal: vec![],
        modalities: vec!["A".into()],
        short_title: None,
    };
    Certification {
        code: "TEST".into(),
        title: "Test".into(),
        level: Some(7),
        certifiers: vec![],
        registration_end: Some(date("2026-08-31")),
        predecessors: vec![],
        successors: vec![],
        nsf: vec![],
        formacodes: vec![],
        rome: vec![],
        blocks: vec![block(1), block(2)],
        transversal_competencies: vec![],
        modalities: vec![],
        access_routes: vec![
            AccessRouteRule { route: AccessRoute::Apprenticeship, open: true, jury: vec![] },
            AccessRouteRule { route: AccessRoute::Vae, open: true, jury: vec![] },
            AccessRouteRule { route: AccessRoute::Student, open: false, jury: vec![] },
        ],
        jury_rules: None,
        award_conditions: vec![
            AwardCondition::AllBlocks,
            AwardCondition::CompanyPeriods,
            AwardCondition::English,
            AwardCondition::InternationalMobility,
        ],
        objectives: None,
        activities: vec![],
    }
}

pub fn curriculum() -> Curriculum {
    let module = |code: &str, coefficient: &str| Module {
        code: code.into(),
        title: code.into(),
        coefficient: dec(coefficient),
        modalities: vec!["A".into()],
        competencies: vec![],
    };
    let ue = |code: &str, block: &str, modules: Vec<Module>| TeachingUnit {
        code: code.into(),
        title: code.into(),
        block: block.into(),
        ects: 6,
        modules,
    };
    Curriculum::new(
        "TEST-CURRICULUM".into(),
        "TEST".into(),
        "Test".into(),
        None,
        vec![
            ue("UE1", "TESTBC01", vec![module("M1", "2"), module("M2", "1")]),
            ue("UE2", "TESTBC01", vec![module("M3", "1"), module("M4", "1")]),
            ue("UE3", "TESTBC02", vec![module("M5", "1"), module("M6", "1")]),
            ue("UE4", "TESTBC02", vec![module("M7", "1"), module("M8", "1")]),
        ],
    )
}

/// A dossier that meets every rule: every module at 12, one good period, mobility, B2.
pub fn dossier() -> Dossier {
    Dossier {
        certification: "TEST".into(),
        evaluated_on: date("2026-09-18"),
        learner: Learner { id: "L1".into(), family_name: None, given_names: None, birth_date: None, sex: None, birth_place_insee: None },
        access_route: AccessRoute::Apprenticeship,
        enrolled_on: date("2023-09-04"),
        apprenticeship_contract: Some(ApprenticeshipContract {
            employer: Some("Acme".into()),
            employer_siret: None,
            start: None,
            end: None,
            master: None,
        }),
        marks: (1..=8)
            .map(|n| ModuleMarks { module: format!("M{n}").into(), session1: mark("12"), session2: MarkEntry::Pending })
            .collect(),
        company_periods: vec![CompanyPeriod {
            id: "P1".into(),
            start: date("2025-01-06"),
            end: date("2025-06-27"),
            evaluation: mark("14"),
        }],
        mobility: vec![MobilityStay { country: "DE".into(), start: date("2025-02-03"), end: date("2025-05-02") }],
        english: vec![EnglishCertificate { test: "TOEIC_LR".into(), score: EnglishScore::Points(dec("800")), date: date("2025-06-12") }],
        vae: vec![],
        equivalences: vec![],
        accommodations: vec![],
    }
}

pub fn decide(dossier: &Dossier) -> Decision {
    crate::evaluate(&certification(), &curriculum(), &Policy::default(), dossier)
}

pub fn set_marks(dossier: &mut Dossier, module: &str, session1: MarkEntry, session2: MarkEntry) {
    let marks = dossier.marks.iter_mut().find(|m| m.module == module).unwrap();
    marks.session1 = session1;
    marks.session2 = session2;
}
