//! Every learner's decision through the one engine: one stored learner, a cohort, or a
//! learner's records with a what-if request's hypotheses over them.

use certif_core::dossier::DossierContext;
use certif_core::what_if::Hypotheses;
use certif_core::{Decision, Dossier, DossierError, Policy, evaluate};
use certif_store::{Record, Store};
use chrono::NaiveDate;

use crate::curricula::Curricula;
use crate::error::{AppResult, InputError};

/// Decisions this process has computed (every path below), for the server's `/metrics`.
static COMPUTED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many decisions this process has computed since it started.
pub fn decisions_computed() -> u64 {
    COMPUTED.load(std::sync::atomic::Ordering::Relaxed)
}

pub(crate) fn counted(decision: Decision) -> Decision {
    COMPUTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    decision
}

/// Decides one stored learner as of `on`.
pub async fn decide<S: Store>(
    store: &S,
    curricula: &Curricula,
    policy: &Policy,
    learner_id: &str,
    on: NaiveDate,
) -> AppResult<(Dossier, Decision)> {
    let records = store.records_of(learner_id).await?;
    Ok(decide_records(curricula, policy, learner_id, &records, on)?)
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
        .ok_or_else(|| InputError(format!("apprenant {learner_id} : inconnu")))?;
    let decision = counted(evaluate(certification, curriculum, policy, &dossier));
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
        .ok_or_else(|| InputError(format!("apprenant {learner_id} : inconnu")))?;
    let merged = match hypotheses.merged_over(&dossier) {
        Ok(merged) => merged,
        Err(error) => return Ok(Err(error)),
    };
    let decision = counted(evaluate(certification, curriculum, policy, &merged));
    Ok(Ok((hypotheses, decision)))
}

/// How many learners a cohort page holds: enough that a page's statements are few, small
/// enough that a page's records and decisions weigh a few megabytes.
pub const COHORT_PAGE: usize = 500;

/// Every stored learner decided as of `on`, a page at a time in id order (`next` until `None`):
/// one page's records and decisions are held at once, whatever the cohort's size.
pub struct CohortPages<'a, S> {
    store: &'a S,
    curricula: &'a Curricula,
    policy: &'a Policy,
    on: NaiveDate,
    pages: certif_store::RecordPages,
}

impl<'a, S: Store> CohortPages<'a, S> {
    /// Pages of `size` learners (at least one).
    pub fn new(store: &'a S, curricula: &'a Curricula, policy: &'a Policy, on: NaiveDate, size: usize) -> Self {
        CohortPages { store, curricula, policy, on, pages: certif_store::RecordPages::new(size) }
    }

    /// The next page's learners decided, in id order; `None` after the last.
    pub async fn next(&mut self) -> AppResult<Option<Vec<(Dossier, Decision)>>> {
        let Some(page) = self.pages.next(self.store).await? else { return Ok(None) };
        let mut decided = Vec::with_capacity(page.len());
        for (id, records) in page {
            decided.push(decide_records(self.curricula, self.policy, &id, &records, self.on)?);
        }
        Ok(Some(decided))
    }
}
