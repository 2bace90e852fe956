//! The dossier's JSON form: strict structure first (serde), then every value checked with
//! the JSON path of the field it came from.
//!
//! Marks and scores are read as their raw JSON text and parsed as exact decimals, so no
//! binary floating point ever touches them.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::certification::AccessRoute;
use crate::country::is_iso_country;
use crate::dossier::*;
use crate::mark::{Mark, MarkEntry, parse_decimal};
use crate::messages::dossier::Invalid;
use crate::policy::{CefrLevel, EnglishScale};
use crate::what_if::{Hypotheses, HypotheticalMark, HypotheticalPeriod};

mod values;
mod what_if;

use values::{date, json_string, mark_entry, optional_date, structure_error};
pub(crate) use what_if::parse_hypotheses;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireDossier<'a> {
    #[serde(default)]
    certification: Option<String>,
    #[serde(borrow)]
    evaluated_on: Cow<'a, str>,
    learner: WireLearner,
    #[serde(borrow)]
    access_route: Cow<'a, str>,
    #[serde(borrow)]
    enrolled_on: Cow<'a, str>,
    #[serde(default)]
    apprenticeship_contract: Option<WireContract>,
    #[serde(default, borrow)]
    marks: Option<Vec<WireMark<'a>>>,
    #[serde(default, borrow)]
    company_periods: Option<Vec<WirePeriod<'a>>>,
    #[serde(default)]
    mobility: Option<Vec<WireStay>>,
    #[serde(default, borrow)]
    english: Option<Vec<WireEnglish<'a>>>,
    #[serde(default)]
    vae: Option<Vec<WireVae>>,
    #[serde(default)]
    equivalences: Option<Vec<WireEquivalence>>,
    #[serde(default)]
    accommodations: Option<Vec<WireAccommodation>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireLearner {
    id: String,
    #[serde(default)]
    family_name: Option<String>,
    #[serde(default)]
    given_names: Option<String>,
    #[serde(default)]
    birth_date: Option<String>,
    #[serde(default)]
    sex: Option<String>,
    #[serde(default)]
    birth_place_insee: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireContract {
    #[serde(default)]
    employer: Option<String>,
    #[serde(default)]
    employer_siret: Option<String>,
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    master: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireMark<'a> {
    #[serde(borrow)]
    module: Cow<'a, str>,
    #[serde(default, borrow)]
    session1: Option<&'a RawValue>,
    #[serde(default, borrow)]
    session2: Option<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WirePeriod<'a> {
    id: String,
    #[serde(borrow)]
    start: Cow<'a, str>,
    #[serde(borrow)]
    end: Cow<'a, str>,
    #[serde(default, borrow)]
    evaluation: Option<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireStay {
    country: String,
    start: String,
    end: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireEnglish<'a> {
    test: String,
    #[serde(borrow)]
    score: &'a RawValue,
    date: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireVae {
    block: String,
    decision: String,
    #[serde(default)]
    date: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireEquivalence {
    block: String,
    #[serde(default)]
    basis: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireAccommodation {
    kind: String,
    #[serde(default)]
    target_level: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    decided_on: Option<String>,
    #[serde(default)]
    decided_by: Option<String>,
    #[serde(default)]
    definitive: Option<bool>,
}

pub(crate) fn parse_dossier(text: &str, context: DossierContext<'_>) -> Result<Dossier, DossierError> {
    let wire: WireDossier<'_> = match serde_json::from_str(text) {
        Ok(wire) => wire,
        Err(error) => return Err(structure_error::<WireDossier<'_>>(text, &error)),
    };
    check(wire, context)
}

fn check(wire: WireDossier<'_>, context: DossierContext<'_>) -> Result<Dossier, DossierError> {
    let certification = context.certification;
    let code = wire.certification.unwrap_or_else(|| certification.code.clone());
    if code != certification.code {
        return Err(DossierError::new("certification", Invalid::UnknownCertification { code, expected: certification.code.to_string() }));
    }
    let evaluated_on = date(&wire.evaluated_on, || "evaluated_on".into())?;
    let learner = check_learner(wire.learner)?;
    let access_route = AccessRoute::parse(&wire.access_route)
        .ok_or_else(|| DossierError::new("access_route", Invalid::NotAnAccessRoute(wire.access_route.to_string())))?;
    let enrolled_on = date(&wire.enrolled_on, || "enrolled_on".into())?;
    let apprenticeship_contract = wire.apprenticeship_contract.map(check_contract).transpose()?;

    let wire_marks = wire.marks.unwrap_or_default();
    let mut marks = Vec::with_capacity(wire_marks.len());
    let mut seen_modules = vec![false; context.curriculum.module_count()];
    for (i, mark) in wire_marks.into_iter().enumerate() {
        let Some(position) = context.curriculum.module_position(&mark.module) else {
            return Err(DossierError::new(
                format!("marks[{i}].module"),
                Invalid::NotAModuleOf { text: mark.module.to_string(), curriculum: context.curriculum.id.to_string() },
            ));
        };
        if std::mem::replace(&mut seen_modules[position], true) {
            return Err(DossierError::new(format!("marks[{i}].module"), Invalid::ListedTwice(mark.module.to_string())));
        }
        let session1 = mark_entry(mark.session1, || format!("marks[{i}].session1"))?;
        let session2 = mark_entry(mark.session2, || format!("marks[{i}].session2"))?;
        marks.push(ModuleMarks { module: crate::Code::from(mark.module.as_ref()), session1, session2 });
    }

    let mut company_periods = Vec::new();
    for (i, period) in wire.company_periods.unwrap_or_default().into_iter().enumerate() {
        let start = date(&period.start, || format!("company_periods[{i}].start"))?;
        let end = date(&period.end, || format!("company_periods[{i}].end"))?;
        ordered(start, end, || format!("company_periods[{i}].end"))?;
        let evaluation = mark_entry(period.evaluation, || format!("company_periods[{i}].evaluation"))?;
        crate::ident::check(&period.id).map_err(|e| DossierError::new(format!("company_periods[{i}].id"), Invalid::Identifier(e)))?;
        company_periods.push(CompanyPeriod { id: period.id, start, end, evaluation });
    }

    let mut mobility = Vec::new();
    for (i, stay) in wire.mobility.unwrap_or_default().into_iter().enumerate() {
        mobility.push(check_stay(i, stay)?);
    }

    let mut english = Vec::new();
    for (i, certificate) in wire.english.unwrap_or_default().into_iter().enumerate() {
        english.push(check_english(i, certificate, context)?);
    }

    let mut vae = Vec::new();
    for (i, decision) in wire.vae.unwrap_or_default().into_iter().enumerate() {
        known_block(&decision.block, || format!("vae[{i}].block"), context)?;
        let outcome = match decision.decision.as_str() {
            "validated" => VaeOutcome::Validated,
            "refused" => VaeOutcome::Refused,
            other => {
                return Err(DossierError::new(format!("vae[{i}].decision"), Invalid::NotAVaeDecision(other.to_string())));
            }
        };
        let date = optional_date(decision.date, || format!("vae[{i}].date"))?;
        vae.push(VaeDecision { block: decision.block, decision: outcome, date });
    }

    let mut equivalences = Vec::new();
    for (i, equivalence) in wire.equivalences.unwrap_or_default().into_iter().enumerate() {
        known_block(&equivalence.block, || format!("equivalences[{i}].block"), context)?;
        equivalences.push(Equivalence { block: equivalence.block, basis: equivalence.basis });
    }

    let mut accommodations = Vec::new();
    for (i, accommodation) in wire.accommodations.unwrap_or_default().into_iter().enumerate() {
        accommodations.push(check_accommodation(i, accommodation)?);
    }

    Ok(Dossier {
        certification: code,
        evaluated_on,
        learner,
        access_route,
        enrolled_on,
        apprenticeship_contract,
        marks,
        company_periods,
        mobility,
        english,
        vae,
        equivalences,
        accommodations,
    })
}

fn check_stay(i: usize, stay: WireStay) -> Result<MobilityStay, DossierError> {
    if !is_iso_country(&stay.country) {
        return Err(DossierError::new(format!("mobility[{i}].country"), Invalid::NotACountry(stay.country)));
    }
    let start = date(&stay.start, || format!("mobility[{i}].start"))?;
    let end = date(&stay.end, || format!("mobility[{i}].end"))?;
    ordered(start, end, || format!("mobility[{i}].end"))?;
    Ok(MobilityStay { country: stay.country, start, end })
}

fn ordered(start: NaiveDate, end: NaiveDate, path: impl FnOnce() -> String) -> Result<(), DossierError> {
    if end < start {
        return Err(DossierError::new(path(), Invalid::EndsBeforeItStarts { start, end }));
    }
    Ok(())
}

fn known_block(code: &str, path: impl FnOnce() -> String, context: DossierContext<'_>) -> Result<(), DossierError> {
    if context.certification.block(code).is_none() {
        return Err(DossierError::new(
            path(),
            Invalid::NotABlockOf { code: code.to_string(), certification: context.certification.code.to_string() },
        ));
    }
    Ok(())
}

fn check_learner(learner: WireLearner) -> Result<Learner, DossierError> {
    let sex = match learner.sex.as_deref() {
        None => None,
        Some("F") => Some(Sex::F),
        Some("M") => Some(Sex::M),
        Some(other) => return Err(DossierError::new("learner.sex", Invalid::NotFOrM(other.to_string()))),
    };
    crate::ident::check(&learner.id).map_err(|e| DossierError::new("learner.id", Invalid::Identifier(e)))?;
    Ok(Learner {
        birth_date: optional_date(learner.birth_date, || "learner.birth_date".into())?,
        id: learner.id,
        family_name: learner.family_name,
        given_names: learner.given_names,
        sex,
        birth_place_insee: learner.birth_place_insee,
    })
}

fn check_contract(contract: WireContract) -> Result<ApprenticeshipContract, DossierError> {
    let employer_siret = match contract.employer_siret {
        None => None,
        Some(text) => {
            Some(Siret::parse(&text).ok_or_else(|| DossierError::new("apprenticeship_contract.employer_siret", Invalid::NotASiret(text)))?)
        }
    };
    let start = optional_date(contract.start, || "apprenticeship_contract.start".into())?;
    let end = optional_date(contract.end, || "apprenticeship_contract.end".into())?;
    if let (Some(start), Some(end)) = (start, end) {
        ordered(start, end, || "apprenticeship_contract.end".into())?;
    }
    Ok(ApprenticeshipContract { employer: contract.employer, employer_siret, start, end, master: contract.master })
}

fn check_english(i: usize, certificate: WireEnglish<'_>, context: DossierContext<'_>) -> Result<EnglishCertificate, DossierError> {
    let Some(test) = context.policy.english_tests.get(&certificate.test) else {
        let known = context.policy.english_tests.keys().cloned().collect();
        return Err(DossierError::new(format!("english[{i}].test"), Invalid::NotAnEnglishTest { text: certificate.test, known }));
    };
    let raw = certificate.score.get();
    let score_path = || format!("english[{i}].score");
    let score = match test.scale {
        EnglishScale::Level => {
            let level = json_string(certificate.score).as_deref().and_then(CefrLevel::parse);
            match level {
                Some(level @ (CefrLevel::B1 | CefrLevel::B2 | CefrLevel::C1)) => EnglishScore::Level(level),
                _ => {
                    return Err(DossierError::new(score_path(), Invalid::NotALevelOf { raw: raw.to_string(), test: certificate.test }));
                }
            }
        }
        EnglishScale::Score => {
            let value = raw
                .starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
                .then(|| parse_decimal(raw))
                .flatten()
                .ok_or_else(|| DossierError::new(score_path(), Invalid::NotANumber(raw.to_string())))?;
            if !test.accepts_score(value) {
                let invalid = Invalid::OutsideTheRangeOf { raw: raw.to_string(), test: certificate.test, min: test.min, max: test.max };
                return Err(DossierError::new(score_path(), invalid));
            }
            EnglishScore::Points(value.normalize())
        }
    };
    let date = date(&certificate.date, || format!("english[{i}].date"))?;
    Ok(EnglishCertificate { test: certificate.test, score, date })
}

fn check_accommodation(i: usize, accommodation: WireAccommodation) -> Result<Accommodation, DossierError> {
    let kind = AccommodationKind::parse(&accommodation.kind).ok_or_else(|| {
        DossierError::new(format!("accommodations[{i}].kind"), Invalid::NotAnAccommodationKind(accommodation.kind.clone()))
    })?;
    let target_level = match accommodation.target_level {
        None => None,
        Some(text) => Some(
            CefrLevel::parse(&text)
                .ok_or_else(|| DossierError::new(format!("accommodations[{i}].target_level"), Invalid::NotACefrLevel(text)))?,
        ),
    };
    if kind == AccommodationKind::EnglishAdaptation && target_level.is_none() {
        return Err(DossierError::new(format!("accommodations[{i}].target_level"), Invalid::AdaptationNeedsItsLevel));
    }
    Ok(Accommodation {
        kind,
        target_level,
        note: accommodation.note,
        decided_on: optional_date(accommodation.decided_on, || format!("accommodations[{i}].decided_on"))?,
        decided_by: accommodation.decided_by,
        definitive: accommodation.definitive,
    })
}
