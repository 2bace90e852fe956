//! Deterministic synthetic dossiers, for benchmarks, property tests and demo cohorts.
//!
//! The same seed always gives the same dossiers, so figures and tests are reproducible.

use certif_core::Curriculum;
use serde_json::{Value, json};

/// One generated learner's situation, chosen so a cohort covers every decision path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Awarded,
    InProgress,
    UeBelowPassMark,
    ModuleBelowFloor,
    ResitCapped,
    CompanyPeriodBelowPassMark,
    MobilityTooShort,
    MobilityMissing,
    EnglishBelowTarget,
    EnglishExpired,
    EnglishAdaptation,
    RegistrationExpired,
    NoContract,
    ClosedRoute,
    VaePartial,
    VaeComplete,
    Equivalence,
}

impl Profile {
    pub const ALL: [Profile; 17] = [
        Profile::Awarded,
        Profile::InProgress,
        Profile::UeBelowPassMark,
        Profile::ModuleBelowFloor,
        Profile::ResitCapped,
        Profile::CompanyPeriodBelowPassMark,
        Profile::MobilityTooShort,
        Profile::MobilityMissing,
        Profile::EnglishBelowTarget,
        Profile::EnglishExpired,
        Profile::EnglishAdaptation,
        Profile::RegistrationExpired,
        Profile::NoContract,
        Profile::ClosedRoute,
        Profile::VaePartial,
        Profile::VaeComplete,
        Profile::Equivalence,
    ];
}

const FAMILY_NAMES: [&str; 12] =
    ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre", "Garnier"];
const GIVEN_NAMES: [&str; 12] = ["Léa", "Hugo", "Chloé", "Lucas", "Inès", "Jules", "Zoé", "Noé", "Éloïse", "Théo", "Anaïs", "Maël"];
const EMPLOYERS: [(&str, &str); 3] = [
    ("Aérostructures du Poitou", "41280598700010"),
    ("Safran Transmission Systems", "73282932000074"),
    ("Dassault Aviation", "71204240400020"),
];

/// A mark in 10..18 on a quarter-point grid.
fn passing_mark(rng: &mut fastrand::Rng) -> Value {
    let quarters = rng.u32(40..72);
    decimal_value(quarters * 25)
}

/// A mark given in hundredths, as a JSON number with its exact decimal text.
fn decimal_value(hundredths: u32) -> Value {
    let text = format!("{}.{:02}", hundredths / 100, hundredths % 100);
    serde_json::from_str(&text).expect("a decimal literal is JSON")
}

/// A dossier for `curriculum` in the given situation, as a JSON value.
pub fn dossier(curriculum: &Curriculum, profile: Profile, id: &str, rng: &mut fastrand::Rng) -> Value {
    let mut marks: Vec<Value> = Vec::new();
    let modules: Vec<&str> = curriculum.modules().map(|(_, m)| m.code.as_str()).collect();
    let known = match profile {
        Profile::InProgress => modules.len() * 2 / 3,
        Profile::VaePartial | Profile::VaeComplete => 0,
        _ => modules.len(),
    };
    for (i, module) in modules.iter().take(known).enumerate() {
        let mut session1 = passing_mark(rng);
        let mut session2 = Value::Null;
        match (profile, i) {
            (Profile::UeBelowPassMark, 0..=2) => session1 = decimal_value(rng.u32(600..900)),
            (Profile::ModuleBelowFloor, 0) => session1 = decimal_value(rng.u32(0..599)),
            (Profile::ResitCapped, 0) => {
                session1 = decimal_value(700);
                session2 = decimal_value(1500);
            }
            _ if rng.u32(0..40) == 0 => session1 = json!("ABJ"),
            _ => {}
        }
        if session1 == json!("ABJ") {
            session2 = passing_mark(rng);
        }
        marks.push(json!({"module": module, "session1": session1, "session2": session2}));
    }
    rng.shuffle(&mut marks);

    let apprentice = !matches!(profile, Profile::VaePartial | Profile::VaeComplete);
    let periods: Vec<(&str, &str, &str)> = vec![
        ("P1", "2023-10-02", "2024-01-26"),
        ("P2", "2024-04-02", "2024-08-30"),
        ("P3", "2024-10-07", "2025-01-31"),
        ("P4", "2025-02-03", "2025-06-27"),
        ("P5", "2025-10-06", "2026-01-30"),
        ("P6", "2026-03-02", "2026-08-28"),
    ];
    let company_periods: Vec<Value> = if apprentice {
        periods
            .iter()
            .enumerate()
            .map(|(i, (pid, start, end))| {
                let evaluation = match (profile, i) {
                    (Profile::CompanyPeriodBelowPassMark, 2) => decimal_value(850),
                    (Profile::InProgress, 5) => Value::Null,
                    _ => passing_mark(rng),
                };
                json!({"id": pid, "start": start, "end": end, "evaluation": evaluation})
            })
            .collect()
    } else {
        Vec::new()
    };
    let mobility = match profile {
        Profile::MobilityMissing => json!([]),
        Profile::MobilityTooShort => json!([{"country": "ES", "start": "2025-03-03", "end": "2025-04-11"}]),
        Profile::VaePartial | Profile::VaeComplete => json!([{"country": "CA", "start": "2019-01-07", "end": "2019-06-28"}]),
        _ => {
            let country = ["DE", "ES", "CA", "GB", "JP", "IT"][rng.usize(0..6)];
            let end = if rng.bool() { "2025-05-30" } else { "2025-05-11" };
            json!([{"country": country, "start": "2025-03-03", "end": end}])
        }
    };
    let english = match profile {
        Profile::InProgress => json!([]),
        Profile::EnglishBelowTarget => json!([{"test": "TOEIC_LR", "score": 700, "date": "2025-06-12"}]),
        Profile::EnglishExpired => json!([{"test": "TOEIC_LR", "score": 850, "date": "2023-06-12"}]),
        Profile::EnglishAdaptation => json!([{"test": "TOEIC_LR", "score": 640, "date": "2026-03-10"}]),
        _ => match rng.u32(0..3) {
            0 => json!([{"test": "TOEIC_LR", "score": 785 + rng.u32(0..200), "date": "2025-06-12"}]),
            1 => json!([{"test": "IELTS", "score": decimal_value(650), "date": "2025-11-20"}]),
            _ => json!([{"test": "CLES", "score": "B2", "date": "2025-04-02"}]),
        },
    };
    let vae = match profile {
        Profile::VaePartial => json!([
            {"block": "RNCP39668BC03", "decision": "validated", "date": "2026-06-30"},
            {"block": "RNCP39668BC04", "decision": "refused", "date": "2026-06-30"}
        ]),
        Profile::VaeComplete => json!(
            (1..=7)
                .map(|n| json!({"block": format!("RNCP39668BC0{n}"), "decision": "validated", "date": "2026-06-30"}))
                .collect::<Vec<_>>()
        ),
        _ => json!([]),
    };
    let (employer, siret) = EMPLOYERS[rng.usize(0..EMPLOYERS.len())];
    let mut dossier = json!({
        "certification": curriculum.certification,
        "evaluated_on": if profile == Profile::InProgress { "2025-12-15" } else { "2026-09-18" },
        "learner": {
            "id": id,
            "family_name": FAMILY_NAMES[rng.usize(0..FAMILY_NAMES.len())],
            "given_names": GIVEN_NAMES[rng.usize(0..GIVEN_NAMES.len())],
            "birth_date": format!("200{}-0{}-1{}", rng.u32(0..4), rng.u32(1..10), rng.u32(0..10)),
            "sex": if rng.bool() { "F" } else { "M" },
            "birth_place_insee": "86194"
        },
        "access_route": match profile {
            Profile::VaePartial | Profile::VaeComplete => "vae",
            Profile::ClosedRoute => "continuing_education",
            _ => "apprenticeship",
        },
        "enrolled_on": if profile == Profile::RegistrationExpired { "2026-09-07" } else { "2023-09-04" },
        "marks": marks,
        "company_periods": company_periods,
        "mobility": mobility,
        "english": english,
        "vae": vae,
    });
    if apprentice && profile != Profile::NoContract {
        dossier["apprenticeship_contract"] = json!({
            "employer": employer, "employer_siret": siret, "start": "2023-09-04", "end": "2026-08-31", "master": "Julien Dupont"
        });
    }
    if profile == Profile::EnglishAdaptation {
        dossier["accommodations"] =
            json!([{"kind": "english_adaptation", "target_level": "B1", "decided_on": "2024-01-10", "definitive": true}]);
    }
    if profile == Profile::Equivalence {
        dossier["equivalences"] = json!([{"block": "RNCP39668BC01", "basis": "RNCP35642BC01"}]);
    }
    dossier
}

/// A demo cohort of `count` learners: every decision path at least once, then mostly on track.
pub fn cohort(curriculum: &Curriculum, count: usize, seed: u64) -> Vec<Value> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..count)
        .map(|n| {
            let profile = if n < Profile::ALL.len() * 2 { Profile::ALL[n % Profile::ALL.len()] } else { Profile::Awarded };
            dossier(curriculum, profile, &format!("A-{:04}", n + 1), &mut rng)
        })
        .collect()
}

/// `count` dossiers as JSON lines, profiles mixed so every decision path appears.
pub fn jsonl(curriculum: &Curriculum, count: usize, seed: u64) -> String {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out = String::with_capacity(count * 4096);
    for n in 0..count {
        // Most learners are on track; one in three follows one of the other paths.
        let profile = if n % 3 == 0 { Profile::ALL[(n / 3) % Profile::ALL.len()] } else { Profile::Awarded };
        let value = dossier(curriculum, profile, &format!("G-{n:06}"), &mut rng);
        out.push_str(&serde_json::to_string(&value).expect("JSON"));
        out.push('\n');
    }
    out
}

/// Writes `learners.csv` (French conventions: `;`, DD/MM/YYYY) and `marks.csv` (long format,
/// decimal comma) for `learners` learners with `marks` mark rows in all, in the demo
/// curriculum's modules: the files `bench-records` and the large-import tests use.
pub fn write_record_files(dir: &std::path::Path, learners: usize, marks: usize) -> std::io::Result<()> {
    use std::fmt::Write as _;
    let (curriculum, _) = certif_referential::demo_curriculum();
    let modules: Vec<String> = curriculum.modules().map(|(_, m)| m.code.to_string()).collect();
    let mut text = String::from(
        "learner_id;family_name;given_names;birth_date;sex;access_route;enrolled_on;employer;employer_siret;contract_start;contract_end;master\n",
    );
    for i in 0..learners {
        let day = 1 + i % 28;
        let sex = if i % 2 == 0 { "F" } else { "M" };
        let master = i % 500;
        let _ = writeln!(
            text,
            "B-{i:06};Nom{i};Prénom{i};{day:02}/05/2002;{sex};apprenticeship;04/09/2023;Aéro {i};41280598700010;04/09/2023;31/08/2026;Tuteur {master}"
        );
    }
    std::fs::write(dir.join("learners.csv"), text)?;
    let mut text = String::from("learner_id;module;session1;session2\n");
    let per_learner = marks.div_ceil(learners.max(1)).min(modules.len());
    let mut written = 0;
    'all: for i in 0..learners {
        for k in 0..per_learner {
            if written == marks {
                break 'all;
            }
            let module = &modules[(i + k) % modules.len()];
            let hundredths = (i * 7 + k * 131) % 2001;
            let resit = if hundredths < 800 { "10,5" } else { "" };
            let _ = writeln!(text, "B-{i:06};{module};{},{:02};{resit}", hundredths / 100, hundredths % 100);
            written += 1;
        }
    }
    std::fs::write(dir.join("marks.csv"), text)
}
