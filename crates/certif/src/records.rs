//! The store-backed commands' work: curricula from the database, spreadsheet rows into
//! records, and every learner's decision through the one engine.

use std::collections::HashMap;

use certif_core::dossier::DossierContext;
use certif_core::what_if::Hypotheses;
use certif_core::{Certification, Curriculum, Decision, Dossier, DossierError, Policy, evaluate};
use certif_ingest::Rows;
use certif_store::record::LearnerRecord;
use certif_store::{Record, Store, StoredCurriculum};
use chrono::NaiveDate;

use crate::inputs::InputError;

/// The curricula the database holds, loaded against the certifications certif knows.
pub struct Curricula {
    pub loaded: Vec<(Curriculum, Certification)>,
    /// Each certification's policy, where its overlay sets one (by certification code).
    pub policies: HashMap<String, Policy>,
}

impl Curricula {
    pub fn from_stored(stored: &[StoredCurriculum], known: &[Certification]) -> Result<Curricula, InputError> {
        let mut loaded = Vec::new();
        for curriculum in stored {
            let (parsed, certification) =
                certif_referential::load_curriculum(&curriculum.source, |code| known.iter().find(|c| c.code == code))
                    .map_err(|e| InputError(format!("stored curriculum {}: {e}", curriculum.id)))?;
            loaded.push((parsed, certification.clone()));
        }
        Ok(Curricula { loaded, policies: HashMap::new() })
    }

    /// The certifications' own policies (from their overlays).
    pub fn with_policies(mut self, policies: impl IntoIterator<Item = (String, Policy)>) -> Curricula {
        self.policies.extend(policies);
        self
    }

    /// Whether a block of one of the curricula's certifications has this code.
    pub fn is_block(&self, code: &str) -> bool {
        self.loaded.iter().any(|(_, c)| c.block(code).is_some())
    }

    /// The learner's curriculum: the one named, or else the most recently loaded.
    pub fn for_learner(&self, named: Option<&str>) -> Option<&(Curriculum, Certification)> {
        match named {
            Some(id) => self.loaded.iter().find(|(c, _)| c.id == id),
            None => self.loaded.last(),
        }
    }

    /// Whether a module is in the curriculum of the learner these records are about (the
    /// teachers' access rule asks it).
    pub fn follows<'a>(&'a self, records: &'a [Record]) -> impl Fn(&str) -> bool + 'a {
        let named = records.iter().find_map(|r| match r {
            Record::Learner(l) => Some(l.curriculum.clone()),
            _ => None,
        });
        let curriculum = named.and_then(|named| self.for_learner(named.as_deref()).map(|(c, _)| c));
        move |module: &str| curriculum.is_some_and(|c| c.module(module).is_some())
    }

    pub fn is_module(&self, code: &str) -> bool {
        self.loaded.iter().any(|(c, _)| c.module(code).is_some())
    }
}

/// Decides one stored learner as of `on`.
pub async fn decide<S: Store>(
    store: &S,
    curricula: &Curricula,
    policy: &Policy,
    learner_id: &str,
    on: NaiveDate,
) -> anyhow::Result<(Dossier, Decision)> {
    let records = store.records_of(learner_id).await?;
    Ok(decide_records(curricula, policy, learner_id, &records, on)?)
}

impl Curricula {
    /// The curriculum, certification and policy a learner is decided against: their
    /// curriculum's, its certification's own policy where its overlay sets one, else `policy`.
    pub fn decided_against<'a>(
        &'a self,
        policy: &'a Policy,
        learner_id: &str,
        records: &[Record],
    ) -> Result<(&'a Curriculum, &'a Certification, &'a Policy), InputError> {
        let named = records.iter().find_map(|r| match r {
            Record::Learner(l) => Some(l.curriculum.clone()),
            _ => None,
        });
        let Some(named) = named else { return Err(InputError(format!("unknown learner {learner_id:?}"))) };
        let (curriculum, certification) = self
            .for_learner(named.as_deref())
            .ok_or_else(|| InputError(format!("learner {learner_id}: no curriculum is loaded (certif curriculum load FILE)")))?;
        Ok((curriculum, certification, self.policies.get(&certification.code).unwrap_or(policy)))
    }
}

/// Decides a learner from their stored records (the learner record among them) as of `on`,
/// with their certification's own policy where its overlay sets one, else `policy`.
pub fn decide_records(
    curricula: &Curricula,
    policy: &Policy,
    learner_id: &str,
    records: &[Record],
    on: NaiveDate,
) -> Result<(Dossier, Decision), InputError> {
    let (curriculum, certification, policy) = curricula.decided_against(policy, learner_id, records)?;
    let dossier = certif_store::dossier_from(records, on, |_| Some(certification.code.clone()))
        .ok_or_else(|| InputError(format!("unknown learner {learner_id:?}")))?;
    let decision = evaluate(certification, curriculum, policy, &dossier);
    Ok((dossier, decision))
}

/// What the learner's records would give, as `decide_records`, with the hypotheses of a
/// what-if request (its JSON text, `certif_core::what_if`) merged over them: nothing is stored.
/// The outer error is the records' (as `decide_records`); the inner one the request's, with
/// the JSON path of its offending field.
pub fn decide_what_if(
    curricula: &Curricula,
    policy: &Policy,
    learner_id: &str,
    records: &[Record],
    today: NaiveDate,
    request: &str,
) -> Result<Result<(Hypotheses, Decision), DossierError>, InputError> {
    let (curriculum, certification, policy) = curricula.decided_against(policy, learner_id, records)?;
    let context = DossierContext { certification, curriculum, policy };
    let hypotheses = match Hypotheses::from_json(request, context) {
        Ok(hypotheses) => hypotheses,
        Err(error) => return Ok(Err(error)),
    };
    let dossier = certif_store::dossier_from(records, hypotheses.on.unwrap_or(today), |_| Some(certification.code.clone()))
        .ok_or_else(|| InputError(format!("unknown learner {learner_id:?}")))?;
    let merged = match hypotheses.merged_over(&dossier) {
        Ok(merged) => merged,
        Err(error) => return Ok(Err(error)),
    };
    let decision = evaluate(certification, curriculum, policy, &merged);
    Ok(Ok((hypotheses, decision)))
}

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
    }
}

/// Learner ids and the names the status table shows.
pub fn names(records: &[Record]) -> HashMap<String, String> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Learner(l) => Some((
                l.learner.id.clone(),
                format!("{} {}", l.learner.family_name.as_deref().unwrap_or(""), l.learner.given_names.as_deref().unwrap_or(""))
                    .trim()
                    .to_string(),
            )),
            _ => None,
        })
        .collect()
}
