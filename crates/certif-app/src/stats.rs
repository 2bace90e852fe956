//! The statistics of spec/declaration.md §2 from what the store holds: every candidate of a
//! published jury session with the outcome adopted (an appeal session's later decision replacing
//! the earlier one for that learner), their route and enrolment date from their learner record,
//! the insertion survey's answers, and the fiche's ROME codes (its target jobs); computed by
//! `certif_stats::statistics`. `present` writes them for people (text, CSV), `charts` draws them
//! (SVG): both `certif stats` and the *Statistiques* page use them.

use std::collections::{HashMap, HashSet};

use certif_core::jury::Outcome;
use certif_stats::{Presented, Statistics};
use certif_store::insertion::InsertionStore as _;
use certif_store::jury::{JuryStatus, JuryStore as _};
use certif_store::{Record, Store as _};
use chrono::NaiveDate;

use crate::certifications::resolve;
use crate::database::Database;
use crate::error::{AppResult, InputError};

pub mod charts;
pub mod present;

/// Above this many learners, their records are read in one pass per table.
const LEARNERS_READ_ONE_BY_ONE: usize = 50;

/// A published decision on one learner, before the learner's record is read.
struct Decided {
    session: String,
    learner: String,
    published_on: NaiveDate,
    outcome: Outcome,
    appeal_of: Option<String>,
}

fn outcome_of(outcome: &Outcome) -> certif_stats::Outcome {
    match outcome {
        Outcome::Award => certif_stats::Outcome::Award,
        Outcome::ValidateBlocks { .. } => certif_stats::Outcome::ValidateBlocks,
        Outcome::Defer { .. } => certif_stats::Outcome::Defer,
        Outcome::Refuse => certif_stats::Outcome::Refuse,
    }
}

/// Keeps, for each learner, the decisions no appeal replaced: a decision taken on appeal of
/// session S replaces the learner's decision in S.
fn standing(decided: Vec<Decided>) -> Vec<Decided> {
    let replaced: HashSet<(String, String)> =
        decided.iter().filter_map(|d| d.appeal_of.as_ref().map(|of| (of.clone(), d.learner.clone()))).collect();
    decided.into_iter().filter(|d| !replaced.contains(&(d.session.clone(), d.learner.clone()))).collect()
}

/// The statistics of `certification` (its code): an unknown code is the caller's to fix.
pub async fn statistics(db: &Database, certification: &str) -> AppResult<Statistics> {
    let resolved = resolve(db, certification)
        .await?
        .ok_or_else(|| InputError(format!("certification {certification} : inconnue (ni embarquée ni importée)")))?;
    let mut decided = Vec::new();
    for summary in db.jury_sessions().await? {
        if summary.status != JuryStatus::Published || summary.session.certification != certification {
            continue;
        }
        let Some(session) = db.jury_session(&summary.session.id).await? else { continue };
        let Some(published_on) = session.published_on else { continue };
        for candidate in session.candidates {
            let Some(adopted) = candidate.adopted else { continue };
            decided.push(Decided {
                session: session.session.id.clone(),
                learner: candidate.learner,
                published_on,
                outcome: adopted.deliberation.outcome,
                appeal_of: candidate.appeal_of,
            });
        }
    }
    let decided = standing(decided);
    let learners: HashSet<&str> = decided.iter().map(|d| d.learner.as_str()).collect();
    // Many learners: every record in one pass per table; a few: each one's own.
    let records: HashMap<String, Vec<Record>> = if learners.len() > LEARNERS_READ_ONE_BY_ONE {
        db.all_records().await?.into_iter().filter(|(id, _)| learners.contains(id.as_str())).collect()
    } else {
        let mut read = HashMap::new();
        for learner in &learners {
            read.insert(learner.to_string(), db.records_of(learner).await?);
        }
        read
    };
    let mut presented = Vec::with_capacity(decided.len());
    for d in &decided {
        // A decision on a learner certif no longer holds is not counted: no route to count it under.
        let Some(learner) = records.get(&d.learner).and_then(|r| {
            r.iter().find_map(|record| match record {
                Record::Learner(l) => Some(l),
                _ => None,
            })
        }) else {
            continue;
        };
        presented.push(Presented {
            learner: d.learner.clone(),
            route: learner.access_route,
            published_on: d.published_on,
            outcome: outcome_of(&d.outcome),
            blocks_acquired: d.outcome.blocks_acquired().len() as u32,
            enrolled_on: Some(learner.enrolled_on),
        });
    }
    let answers = db.insertion_answers().await?;
    Ok(certif_stats::statistics(certification, &presented, &answers, &resolved.certification.rome))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decided(session: &str, learner: &str, appeal_of: Option<&str>, outcome: Outcome) -> Decided {
        Decided {
            session: session.into(),
            learner: learner.into(),
            published_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            outcome,
            appeal_of: appeal_of.map(String::from),
        }
    }

    #[test]
    fn a_decision_on_appeal_replaces_the_one_appealed_for_that_learner_only() {
        let all = vec![
            decided("s1", "A", None, Outcome::Refuse),
            decided("s1", "B", None, Outcome::Refuse),
            decided("s2", "A", Some("s1"), Outcome::Award),
        ];
        let kept = standing(all);
        let kept: Vec<(&str, &str)> = kept.iter().map(|d| (d.session.as_str(), d.learner.as_str())).collect();
        assert_eq!(kept, [("s1", "B"), ("s2", "A")]);
    }
}
