//! The demo's statistics (spec/declaration.md §2): two earlier promotions — the same generated
//! dossiers moved three years and two years back, so the first is already surveyed at 24
//! months — each judged by a title jury (and the second
//! by a VAE jury too) whose decisions are published, then an insertion survey of their holders
//! at 6 months (and at 24 months for the first). Deterministic: the same seed, the same
//! figures. So `certif stats` and the *Statistiques* page show real numbers at once.

use certif_app::Database;
use certif_app::jury::{self, Candidates, NewSession, Vote};
use certif_core::jury::{Member, Outcome, Votes};
use certif_stats::{Answer, Contract, Situation};
use certif_store::insertion::InsertionStore as _;
use certif_store::jury::{JuryKind, JuryStore as _};
use certif_store::{Store as _, StoreError};
use chrono::{Months, NaiveDate};
use serde_json::Value;

use crate::generate::{self, Profile};

/// What the title jury of each promotion examines: mostly on track, some paths that fail.
const TITLE_PROFILES: [Profile; 16] = [
    Profile::Awarded,
    Profile::Awarded,
    Profile::UeBelowPassMark,
    Profile::Awarded,
    Profile::Awarded,
    Profile::MobilityMissing,
    Profile::Awarded,
    Profile::Awarded,
    Profile::Awarded,
    Profile::EnglishBelowTarget,
    Profile::Awarded,
    Profile::Awarded,
    Profile::Awarded,
    Profile::ModuleBelowFloor,
    Profile::Awarded,
    Profile::Awarded,
];

/// The VAE jury of the second promotion.
const VAE_PROFILES: [Profile; 3] = [Profile::VaeComplete, Profile::VaePartial, Profile::VaeComplete];

/// Why the demo's promotions could not be made (a generated dossier refused, a jury's step
/// refused, the store failing): a fault of the demo, reported as is.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("generated dossier: {0}")]
    Dossier(String),
    #[error(transparent)]
    App(#[from] certif_app::AppError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the demo added: sessions published and survey answers stored.
pub struct Promotions {
    pub sessions: usize,
    pub presented: usize,
    pub answers: usize,
}

/// Every ISO date of a generated dossier `years` earlier (the generator's dates are fixed).
fn moved_back(value: &mut Value, years: u32) {
    match value {
        Value::String(text) => {
            if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
                && let Some(earlier) = date.checked_sub_months(Months::new(12 * years))
            {
                *text = earlier.to_string();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| moved_back(v, years)),
        Value::Object(fields) => fields.values_mut().for_each(|v| moved_back(v, years)),
        _ => {}
    }
}

/// The generated learners of one promotion, stored; answers their ids.
async fn learners(db: &Database, curriculum_id: &str, prefix: &str, profiles: &[Profile], years: u32) -> Result<Vec<String>, DemoError> {
    let (curriculum, certification) = certif_referential::demo_curriculum();
    let policy = certif_core::Policy::default();
    let context = certif_core::dossier::DossierContext { certification: &certification, curriculum: &curriculum, policy: &policy };
    let mut rng = fastrand::Rng::with_seed(u64::from(years) * 7919 + prefix.len() as u64);
    let mut records = Vec::new();
    let mut ids = Vec::new();
    for (n, profile) in profiles.iter().enumerate() {
        let id = format!("{prefix}-{:02}", n + 1);
        let mut value = generate::dossier(&curriculum, *profile, &id, &mut rng);
        moved_back(&mut value, years);
        let dossier = certif_core::Dossier::from_json(&value.to_string(), context).map_err(|e| DemoError::Dossier(e.to_string()))?;
        records.extend(certif_store::record::records_of_dossier(&dossier, Some(curriculum_id)));
        ids.push(id);
    }
    db.apply(records, "demo", false).await?;
    Ok(ids)
}

/// Validated blocks and whether the title is proposed, read from a stored proposal.
fn proposed(proposal: &str) -> (bool, Vec<String>) {
    let value: Value = serde_json::from_str(proposal).unwrap_or(Value::Null);
    let awarded = value["title"]["status"] == "awarded";
    let blocks = value["blocks"]
        .as_array()
        .map(|blocks| blocks.iter().filter(|b| b["status"] == "validated").filter_map(|b| b["code"].as_str().map(String::from)).collect())
        .unwrap_or_default();
    (awarded, blocks)
}

/// A session of `kind` on `date` for `ids`: seated, opened, each candidate decided on its
/// proposal (the title when proposed; else the blocks acquired, or a deferral, or a refusal),
/// closed, signed and published a week later.
async fn judged(db: &Database, id: &str, kind: JuryKind, date: NaiveDate, ids: &[String]) -> Result<(), DemoError> {
    let what = if kind == JuryKind::Vae { "VAE" } else { "délivrance du titre" };
    let new = NewSession {
        id: Some(id.to_string()),
        certification: certif_referential::DEFAULT_CERTIFICATION.to_string(),
        kind,
        date,
        name: Some(format!("Jury de {what} — promotion {}", date.format("%Y"))),
        place: Some("ISAE-ENSMA, Chasseneuil-du-Poitou".to_string()),
    };
    jury::create(db, new, "demo").await?;
    for (name, role) in crate::demo_jury::SEATS {
        let member = Member { name: name.to_string(), role: role.to_string(), representing: None, present: true, account: None };
        jury::add_member(db, id, member, "demo").await?;
    }
    jury::add_candidates(db, id, Candidates::Some(ids.to_vec()), "demo").await?;
    jury::open(db, id, "demo").await?;
    let session = db.jury_session(id).await?.ok_or_else(|| StoreError::NotFound(format!("session {id}")))?;
    let votes = Votes { in_favour: 9, against: 0, abstain: 1, casting_vote: None };
    for (n, candidate) in session.candidates.iter().enumerate() {
        let (awarded, blocks) = proposed(candidate.proposal.as_deref().unwrap_or("{}"));
        let (outcome, justification) = if awarded {
            (Outcome::Award, None)
        } else if kind == JuryKind::Vae || (!blocks.is_empty() && n % 2 == 0) {
            (Outcome::ValidateBlocks { blocks }, None)
        } else if n % 3 == 0 {
            (Outcome::Refuse, Some("conditions d'attribution non remplies".to_string()))
        } else {
            let by = date.checked_add_months(Months::new(6)).unwrap_or(date);
            (Outcome::Defer { expected: "les conditions manquantes".to_string(), by, blocks }, None)
        };
        jury::deliberate(db, id, &candidate.learner, Vote { outcome, votes, justification }, "demo").await?;
    }
    jury::close(db, id, "demo").await?;
    jury::sign(db, id, crate::demo_jury::SEATS[0].0, "demo").await?;
    jury::publish(db, id, date + chrono::Days::new(7), "demo").await?;
    Ok(())
}

/// One holder's answer `months` after `published_on`, drawn from `rng`: mostly employed, most
/// of them in a target job.
fn answer(learner: &str, published_on: NaiveDate, months: u32, rng: &mut fastrand::Rng) -> Answer {
    let situation = match rng.u32(0..100) {
        0..72 => Situation::Employed,
        72..86 => Situation::JobSeeking,
        86..94 => Situation::Studying,
        94..96 => Situation::UnableToWork,
        _ => Situation::Other,
    };
    let employed = situation == Situation::Employed;
    let in_target_job = employed && rng.u32(0..100) < 80;
    let contract = employed.then(|| match rng.u32(0..100) {
        0..58 => Contract::Cdi,
        58..80 => Contract::Cdd,
        80..90 => Contract::Interim,
        _ => Contract::Independent,
    });
    let rome = employed.then(|| if in_target_job { ["H1206", "H1402"][rng.usize(0..2)] } else { "M1805" }.to_string());
    let surveyed_on = published_on.checked_add_months(Months::new(months)).unwrap_or(published_on) + chrono::Days::new(rng.u64(0..20));
    Answer { learner: learner.to_string(), surveyed_on, months_after: months, situation, in_target_job, contract, rome }
}

/// The survey of every holder of the published sessions: at 6 months, and at 24 months when
/// that is before `today`; about one holder in eight does not answer.
async fn survey(db: &Database, today: NaiveDate) -> Result<usize, DemoError> {
    let mut rng = fastrand::Rng::with_seed(2026);
    let mut answers = Vec::new();
    for holder in db.holders().await? {
        if holder.what != certif_store::jury::Held::Title {
            continue;
        }
        for months in certif_stats::HORIZONS {
            let due = holder.published_on.checked_add_months(Months::new(months)).unwrap_or(today);
            if due <= today && rng.u32(0..8) != 0 {
                answers.push(answer(&holder.learner, holder.published_on, months, &mut rng));
            }
        }
    }
    let count = answers.len();
    db.put_insertion_answers(answers, "demo", false).await?;
    Ok(count)
}

/// The two promotions before the cohort judged on `on` (three years and two years earlier), their
/// juries published and their holders surveyed.
pub async fn promotions(db: &Database, curriculum_id: &str, on: NaiveDate) -> Result<Promotions, DemoError> {
    let mut sessions = 0;
    let mut presented = 0;
    for years in [3u32, 2] {
        let date = on.checked_sub_months(Months::new(12 * years)).unwrap_or(on);
        let year = date.format("%Y").to_string();
        let title = learners(db, curriculum_id, &format!("P{year}"), &TITLE_PROFILES, years).await?;
        judged(db, &format!("jury-{year}"), JuryKind::Title, date, &title).await?;
        sessions += 1;
        presented += title.len();
        if years == 2 {
            let vae = learners(db, curriculum_id, &format!("V{year}"), &VAE_PROFILES, years).await?;
            judged(db, &format!("jury-vae-{year}"), JuryKind::Vae, date, &vae).await?;
            sessions += 1;
            presented += vae.len();
        }
    }
    let answers = survey(db, on).await?;
    Ok(Promotions { sessions, presented, answers })
}
