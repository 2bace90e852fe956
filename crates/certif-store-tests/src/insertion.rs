//! The insertion survey's answers, on any backend.

use certif_store::insertion::{Answer, Contract, InsertionStore, Situation};

use super::*;

fn answer(learner: &str, months_after: u32, situation: Situation, contract: Option<Contract>) -> Answer {
    Answer {
        learner: learner.into(),
        surveyed_on: date(if months_after == 6 { "2027-04-15" } else { "2028-10-15" }),
        months_after,
        situation,
        in_target_job: situation == Situation::Employed,
        contract,
        rome: (situation == Situation::Employed).then(|| "H1206".to_string()),
    }
}

pub async fn insertion_answers_are_kept_replaced_and_audited<S: Store + InsertionStore>(store: &S) {
    store.apply(vec![learner("A-0001"), learner("A-0002")], "registrar", false).await.unwrap();
    let first = vec![
        answer("A-0001", 6, Situation::JobSeeking, None),
        answer("A-0001", 24, Situation::Employed, Some(Contract::Cdi)),
        answer("A-0002", 6, Situation::Studying, None),
    ];
    let summary = store.put_insertion_answers(first.clone(), "registrar", false).await.unwrap();
    assert_eq!((summary.inserted, summary.updated, summary.unchanged), (3, 0, 0));
    assert_eq!(store.insertion_answers().await.unwrap().len(), 3);

    // The same file again changes nothing and writes no audit row.
    let rows = store.audit_log(None).await.unwrap().len();
    let again = store.put_insertion_answers(first, "registrar", false).await.unwrap();
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 3));
    assert_eq!(store.audit_log(None).await.unwrap().len(), rows);

    // A new answer for the same learner and horizon replaces the old one, audited before/after.
    let replaced = answer("A-0001", 6, Situation::Employed, Some(Contract::Interim));
    let dry = store.put_insertion_answers(vec![replaced.clone()], "admin", true).await.unwrap();
    assert_eq!(dry.updated, 1);
    assert_eq!(store.insertion_answers().await.unwrap()[0].situation, Situation::JobSeeking, "a dry run writes nothing");
    store.put_insertion_answers(vec![replaced], "admin", false).await.unwrap();
    let stored = store.insertion_answers().await.unwrap();
    let keys: Vec<(&str, u32)> = stored.iter().map(|a| (a.learner.as_str(), a.months_after)).collect();
    assert_eq!(keys, [("A-0001", 6), ("A-0001", 24), ("A-0002", 6)]);
    assert_eq!(
        (stored[0].situation, stored[0].contract, stored[0].rome.as_deref()),
        (Situation::Employed, Some(Contract::Interim), Some("H1206"))
    );
    assert_eq!(stored[0].surveyed_on, date("2027-04-15"));
    assert!(stored[0].in_target_job);

    let log = store.audit_log(None).await.unwrap();
    let entries: Vec<(&str, Option<&str>, &str)> = log
        .iter()
        .filter(|e| e.entity == "insertion")
        .map(|e| (e.entity_key.as_str(), e.learner_id.as_deref(), e.actor.as_str()))
        .collect();
    assert_eq!(
        entries,
        [
            ("A-0001/6", Some("A-0001"), "registrar"),
            ("A-0001/24", Some("A-0001"), "registrar"),
            ("A-0002/6", Some("A-0002"), "registrar"),
            ("A-0001/6", Some("A-0001"), "admin")
        ]
    );
    let last = log.last().unwrap();
    assert!(last.before.as_deref().unwrap().contains("\"job_seeking\""), "{last:?}");
    assert!(last.after.as_deref().unwrap().contains("\"interim\""), "{last:?}");
    assert_eq!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { rows: log.len() });
}

pub async fn an_insertion_answer_of_an_unknown_learner_writes_nothing<S: Store + InsertionStore>(store: &S) {
    store.apply(vec![learner("A-0001")], "registrar", false).await.unwrap();
    let rows = store.audit_log(None).await.unwrap().len();
    let answers = vec![answer("A-0001", 6, Situation::Employed, Some(Contract::Cdd)), answer("Z-9999", 6, Situation::Other, None)];
    let refused = store.put_insertion_answers(answers, "registrar", false).await.unwrap_err();
    assert!(matches!(&refused, StoreError::Invalid(m) if m.contains("Z-9999")), "{refused:?}");
    assert!(store.insertion_answers().await.unwrap().is_empty(), "nothing of the file is written");
    assert_eq!(store.audit_log(None).await.unwrap().len(), rows, "no audit row either");
}
