//! The documents issued to holders: recorded with their digest, read back by id and by learner,
//! revoked by learner and session (an appeal), every change audited; a refused batch writes
//! nothing.

use super::*;
use crate::jury::{a_closed_jury_session, publish};
use certif_core::jury::Outcome;
use certif_store::documents::{DocumentStore, IssuedDocument};
use certif_store::jury::JuryStore;

fn issued(id: &str, kind: &str, learner: &str, session: &str) -> IssuedDocument {
    IssuedDocument {
        id: id.into(),
        kind: kind.into(),
        learner: learner.into(),
        session: session.into(),
        sha256: format!("{:0>64}", id.len()),
        issued_at: format!("2026-10-02T08:00:0{}Z", id.len() % 10),
        revoked_at: None,
        revocation_reason: None,
    }
}

pub async fn documents_are_recorded_read_back_revoked_and_audited<S: Store + JuryStore + DocumentStore>(store: &S) {
    a_closed_jury_session(store, "J-PUB", &[("A-0001", Outcome::Award), ("A-0002", Outcome::Refuse)]).await;
    publish(store, "J-PUB").await;
    let documents = vec![
        issued("d-1", "diploma", "A-0001", "J-PUB"),
        issued("d-22", "transcript", "A-0001", "J-PUB"),
        issued("d-333", "transcript", "A-0002", "J-PUB"),
    ];
    store.record_documents(documents.clone(), "registrar").await.unwrap();
    assert_eq!(store.document("d-1").await.unwrap().as_ref(), Some(&documents[0]));
    assert_eq!(store.document("d-9").await.unwrap(), None);
    assert_eq!(store.documents_of("A-0001").await.unwrap(), documents[..2]);
    assert_eq!(store.documents_of("A-0002").await.unwrap(), documents[2..]);

    // An appeal revokes what the session issued to that learner, once.
    let revoked = store.revoke_documents("A-0001", "J-PUB", "décision modifiée sur recours", "2026-11-05T09:00:00Z", "registrar");
    assert_eq!(revoked.await.unwrap(), 2);
    let again = store.revoke_documents("A-0001", "J-PUB", "autre motif", "2026-11-06T09:00:00Z", "registrar");
    assert_eq!(again.await.unwrap(), 0, "already revoked: the first revocation stands");
    assert_eq!(store.revoke_documents("A-0001", "J-OTHER", "motif", "2026-11-06T09:00:00Z", "registrar").await.unwrap(), 0);
    let diploma = store.document("d-1").await.unwrap().unwrap();
    assert_eq!(
        (diploma.revoked_at.as_deref(), diploma.revocation_reason.as_deref()),
        (Some("2026-11-05T09:00:00Z"), Some("décision modifiée sur recours"))
    );
    assert_eq!(store.document("d-333").await.unwrap().unwrap().revoked_at, None, "another learner's stands");
    let blank = store.revoke_documents("A-0002", "J-PUB", "  ", "2026-11-06T09:00:00Z", "registrar").await;
    assert!(matches!(blank, Err(StoreError::Invalid(_))), "a revocation says why");

    let log = store.audit_log(None).await.unwrap();
    let entries: Vec<(&str, Option<&str>, bool)> = log
        .iter()
        .filter(|e| e.entity == "document")
        .map(|e| (e.entity_key.as_str(), e.learner_id.as_deref(), e.before.is_some()))
        .collect();
    assert_eq!(
        entries,
        [
            ("d-1", Some("A-0001"), false),
            ("d-22", Some("A-0001"), false),
            ("d-333", Some("A-0002"), false),
            ("d-1", Some("A-0001"), true),
            ("d-22", Some("A-0001"), true)
        ]
    );
    assert!(log.last().unwrap().after.as_deref().unwrap().contains("décision modifiée sur recours"));
    assert_eq!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { rows: log.len() });
}

pub async fn a_refused_batch_of_documents_writes_nothing<S: Store + JuryStore + DocumentStore>(store: &S) {
    a_closed_jury_session(store, "J-PUB", &[("A-0001", Outcome::Award)]).await;
    a_closed_jury_session(store, "J-CLOSED", &[("A-0001", Outcome::Award)]).await;
    publish(store, "J-PUB").await;
    store.record_documents(vec![issued("d-1", "diploma", "A-0001", "J-PUB")], "registrar").await.unwrap();
    let rows = store.audit_log(None).await.unwrap().len();
    for (batch, why) in [
        (vec![issued("d-2", "diploma", "A-0001", "J-PUB"), issued("d-1", "transcript", "A-0001", "J-PUB")], "an id already recorded"),
        (vec![issued("d-3", "diploma", "A-0001", "J-PUB"), issued("d-3", "transcript", "A-0001", "J-PUB")], "an id twice"),
        (vec![issued("d-4", "diploma", "Z-9999", "J-PUB")], "an unknown learner"),
        (vec![issued("d-5", "diploma", "A-0001", "J-NONE")], "an unknown session"),
        (vec![issued("d-8", "diploma", "A-0001", "J-CLOSED")], "a session not published"),
        (vec![issued("d-6", "minutes", "A-0001", "J-PUB")], "an unknown kind"),
        (vec![IssuedDocument { sha256: "abc".into(), ..issued("d-7", "diploma", "A-0001", "J-PUB") }], "a short digest"),
    ] {
        let refused = store.record_documents(batch, "registrar").await;
        assert!(matches!(refused, Err(StoreError::Invalid(_))), "{why}: {refused:?}");
        assert_eq!(store.documents_of("A-0001").await.unwrap().len(), 1, "{why}: nothing written");
        assert_eq!(store.audit_log(None).await.unwrap().len(), rows, "{why}: no audit row");
    }
    assert!(store.document("d-2").await.unwrap().is_none());
}
