//! Checked spreadsheet rows as the records the store keeps.

use certif_ingest::Rows;
use certif_store::Record;
use certif_store::record::LearnerRecord;

/// Turns checked spreadsheet rows into records. Every problem (identifiers, unknown learners)
/// was reported by `certif_ingest::parse` in the same pass as the other cells'.
pub fn records_from_rows(rows: Rows) -> Vec<Record> {
    match rows {
        Rows::Learners(rows) => rows
            .into_iter()
            .map(|r| {
                Record::Learner(LearnerRecord {
                    learner: certif_core::dossier::Learner {
                        id: r.learner_id,
                        family_name: r.family_name,
                        given_names: r.given_names,
                        birth_date: r.birth_date,
                        sex: r.sex,
                        birth_place_insee: r.birth_place_insee,
                    },
                    access_route: r.access_route,
                    enrolled_on: r.enrolled_on,
                    contract: r.contract,
                    curriculum: r.curriculum,
                })
            })
            .collect(),
        Rows::Marks(rows) => rows
            .into_iter()
            .map(|r| Record::Mark { learner_id: r.learner_id, module: r.module, session1: r.session1, session2: r.session2 })
            .collect(),
        Rows::CompanyPeriods(rows) => rows
            .into_iter()
            .map(|r| Record::CompanyPeriod {
                learner_id: r.learner_id,
                period: certif_core::dossier::CompanyPeriod { id: r.period_id, start: r.start, end: r.end, evaluation: r.evaluation },
            })
            .collect(),
        Rows::Mobility(rows) => rows
            .into_iter()
            .map(|r| Record::Mobility {
                learner_id: r.learner_id,
                stay: certif_core::dossier::MobilityStay { country: r.country, start: r.start, end: r.end },
            })
            .collect(),
        Rows::English(rows) => rows
            .into_iter()
            .map(|r| Record::English {
                learner_id: r.learner_id,
                certificate: certif_core::dossier::EnglishCertificate { test: r.test, score: r.score, date: r.date },
            })
            .collect(),
        Rows::Vae(rows) => rows
            .into_iter()
            .map(|r| Record::Vae {
                learner_id: r.learner_id,
                decision: certif_core::dossier::VaeDecision { block: r.block, decision: r.decision, date: r.date },
            })
            .collect(),
        Rows::Accommodations(rows) => {
            rows.into_iter().map(|r| Record::Accommodation { learner_id: r.learner_id, accommodation: r.accommodation }).collect()
        }
        // The survey's answers are no learner's record: `InsertionStore` keeps them
        // (`insertion_answers`).
        Rows::Insertion(_) => Vec::new(),
    }
}

/// The insertion survey's checked rows as the answers `InsertionStore` keeps; `None` for every
/// other kind.
pub fn insertion_answers(rows: &Rows) -> Option<Vec<certif_stats::Answer>> {
    match rows {
        Rows::Insertion(rows) => Some(rows.iter().map(|r| r.answer.clone()).collect()),
        _ => None,
    }
}
