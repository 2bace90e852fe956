//! The insertion survey's answers (spec/declaration.md §2, `certif import insertion`): one a
//! learner and horizon (`months_after`, 6 or 24), a re-import of the same key replacing it.
//! Every change is audited (entity `insertion`, key `LEARNER/MONTHS`, the answer before and
//! after); the audit check holds each stored answer against its latest entry.

use std::future::Future;

pub use certif_stats::{Answer, Contract, Situation};

use crate::{ApplySummary, StoreResult};

/// The audit log's entity for an answer.
pub const AUDITED: &str = "insertion";

/// What certif keeps of the insertion survey.
pub trait InsertionStore: Send + Sync {
    /// Stores the answers in one transaction: a new (learner, horizon) inserted, a known one
    /// replaced, an identical one left alone (and not audited), so importing the same file
    /// twice changes nothing. With `dry_run`, rolled back: only the summary is answered. A
    /// learner certif does not hold is refused (`StoreError::Invalid`), nothing written.
    fn put_insertion_answers(
        &self,
        answers: Vec<Answer>,
        actor: &str,
        dry_run: bool,
    ) -> impl Future<Output = StoreResult<ApplySummary>> + Send;

    /// Every answer, by learner then horizon.
    fn insertion_answers(&self) -> impl Future<Output = StoreResult<Vec<Answer>>> + Send;
}

/// The audit key of an answer: `LEARNER/MONTHS`.
pub fn audit_key(answer: &Answer) -> String {
    format!("{}/{}", answer.learner, answer.months_after)
}

/// An answer's values as the audit log holds them (a JSON object, keys sorted).
pub fn values_json(answer: &Answer) -> String {
    serde_json::json!({
        "surveyed_on": answer.surveyed_on.to_string(),
        "situation": answer.situation.as_str(),
        "in_target_job": answer.in_target_job,
        "contract": answer.contract.map(Contract::as_str),
        "rome": answer.rome,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_audited_under_its_learner_and_horizon_with_its_words() {
        let answer = Answer {
            learner: "A-0001".into(),
            surveyed_on: chrono::NaiveDate::from_ymd_opt(2027, 4, 15).unwrap(),
            months_after: 6,
            situation: Situation::Employed,
            in_target_job: true,
            contract: Some(Contract::Cdi),
            rome: None,
        };
        assert_eq!(audit_key(&answer), "A-0001/6");
        assert_eq!(
            values_json(&answer),
            r#"{"contract":"cdi","in_target_job":true,"rome":null,"situation":"employed","surveyed_on":"2027-04-15"}"#
        );
    }
}
