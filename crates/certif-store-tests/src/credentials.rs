//! Issuer keys and issued credentials, on any backend.

use certif_store::credentials::{CredentialStore, StoredCredential, StoredKey, TITLE};

use super::*;

fn key(kid: &str, created_at: &str) -> StoredKey {
    StoredKey {
        kid: kid.into(),
        public_jwk: format!(r#"{{"kid":"{kid}"}}"#),
        sealed: format!(r#"{{"sealed":"{kid}"}}"#),
        created_at: created_at.into(),
        retired_at: None,
    }
}

fn credential(id: &str, learner: &str, achievement: &str, index: i64) -> StoredCredential {
    StoredCredential {
        id: id.into(),
        learner: learner.into(),
        session: "JURY-2027-06".into(),
        achievement: achievement.into(),
        status_list: "1".into(),
        status_index: index,
        kid: "k2".into(),
        issued_at: "2027-07-01T10:00:00Z".into(),
        jwt: format!("header.{id}.signature"),
        revoked_at: None,
        revocation_reason: None,
    }
}

pub async fn keys_rotate_and_credentials_are_issued_revoked_and_audited<S: Store + CredentialStore>(store: &S) {
    store.apply(vec![learner("A-0001"), learner("A-0002")], "registrar", false).await.unwrap();
    store.add_issuer_key(key("k1", "2027-01-01T00:00:00Z"), "admin").await.unwrap();
    store.add_issuer_key(key("k2", "2027-06-01T00:00:00Z"), "admin").await.unwrap();
    let keys = store.issuer_keys().await.unwrap();
    let kept: Vec<(&str, Option<&str>)> = keys.iter().map(|k| (k.kid.as_str(), k.retired_at.as_deref())).collect();
    assert_eq!(kept, [("k1", Some("2027-06-01T00:00:00Z")), ("k2", None)], "rotation retires the older key, keeps it");
    assert!(matches!(store.add_issuer_key(key("k2", "2027-07-01T00:00:00Z"), "admin").await, Err(StoreError::Invalid(_))));
    assert_eq!(store.issuer_keys().await.unwrap(), keys, "a refused key changes nothing");

    assert_eq!(store.next_status_index("1").await.unwrap(), 0);
    let issued = vec![
        credential("urn:uuid:c1", "A-0001", TITLE, 0),
        credential("urn:uuid:c2", "A-0001", "RNCP39668BC01", 1),
        credential("urn:uuid:c3", "A-0002", "RNCP39668BC01", 2),
    ];
    assert_eq!(store.record_credentials(issued.clone(), "registrar").await.unwrap(), 3);
    assert_eq!(store.next_status_index("1").await.unwrap(), 3);
    assert_eq!(store.next_status_index("2").await.unwrap(), 0);
    assert_eq!(store.credential("urn:uuid:c2").await.unwrap().as_ref(), Some(&issued[1]));
    assert_eq!(store.credentials_of("A-0001").await.unwrap().len(), 2);
    assert_eq!(store.credentials().await.unwrap(), issued);

    // The same award twice, a bit already taken, an id already used: refused, nothing written.
    let rows = store.audit_log(None).await.unwrap().len();
    for refused in [
        vec![credential("urn:uuid:c4", "A-0002", "RNCP39668BC02", 3), credential("urn:uuid:c5", "A-0001", TITLE, 4)],
        vec![credential("urn:uuid:c4", "A-0002", "RNCP39668BC02", 1)],
        vec![credential("urn:uuid:c1", "A-0002", "RNCP39668BC03", 9)],
    ] {
        assert!(matches!(store.record_credentials(refused, "registrar").await, Err(StoreError::Invalid(_))));
    }
    assert_eq!(store.credentials().await.unwrap().len(), 3);
    assert_eq!(store.audit_log(None).await.unwrap().len(), rows);

    // Revocation: once, audited before/after; an unknown id revokes nothing at all.
    assert!(matches!(
        store.revoke_credentials(vec!["urn:uuid:c3".into(), "urn:uuid:nope".into()], "erreur", "2027-08-01T00:00:00Z", "admin").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(store.credential("urn:uuid:c3").await.unwrap().unwrap().revoked_at.is_none());
    let revoked = store.revoke_credentials(vec!["urn:uuid:c3".into()], "décision réformée en appel", "2027-08-01T00:00:00Z", "admin");
    assert_eq!(revoked.await.unwrap(), 1);
    let again = store.revoke_credentials(vec!["urn:uuid:c3".into()], "encore", "2027-09-01T00:00:00Z", "admin");
    assert_eq!(again.await.unwrap(), 0, "a revoked credential stays as it was revoked");
    let c3 = store.credential("urn:uuid:c3").await.unwrap().unwrap();
    assert_eq!(
        (c3.revoked_at.as_deref(), c3.revocation_reason.as_deref()),
        (Some("2027-08-01T00:00:00Z"), Some("décision réformée en appel"))
    );

    let log = store.audit_log(None).await.unwrap();
    let entries: Vec<(&str, &str, &str)> = log
        .iter()
        .filter(|e| e.entity == "credential" || e.entity == "issuer_key")
        .map(|e| (e.entity.as_str(), e.entity_key.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        entries,
        [
            ("issuer_key", "k1", "admin"),
            ("issuer_key", "k1", "admin"),
            ("issuer_key", "k2", "admin"),
            ("credential", "urn:uuid:c1", "registrar"),
            ("credential", "urn:uuid:c2", "registrar"),
            ("credential", "urn:uuid:c3", "registrar"),
            ("credential", "urn:uuid:c3", "admin"),
        ]
    );
    assert!(log.iter().all(|e| !e.after.as_deref().unwrap_or_default().contains("\"sealed\"")), "the sealed key never enters the log");
    assert_eq!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { rows: log.len() });
}

/// A key and two credentials, one revoked: what [`CREDENTIAL_TAMPERING`] alters.
pub async fn issued_credentials<S: Store + CredentialStore>(store: &S) {
    store.apply(vec![learner("A-0001")], "registrar", false).await.unwrap();
    store.add_issuer_key(key("k2", "2027-06-01T00:00:00Z"), "admin").await.unwrap();
    let issued = vec![credential("urn:uuid:c1", "A-0001", TITLE, 0), credential("urn:uuid:c2", "A-0001", "RNCP39668BC01", 1)];
    store.record_credentials(issued, "registrar").await.unwrap();
    store.revoke_credentials(vec!["urn:uuid:c2".into()], "erreur", "2027-08-01T00:00:00Z", "admin").await.unwrap();
    assert!(matches!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { .. }));
}

/// Raw SQL changing a credential or a key of [`issued_credentials`] behind the audit log's back
/// (a forged JWT, a revocation undone, a key swapped), with the `(entity, key)` to name.
pub const CREDENTIAL_TAMPERING: &[(&str, &str, &str)] = &[
    ("UPDATE credentials SET jwt = 'header.forged.signature' WHERE credential_id = 'urn:uuid:c1'", "credential", "urn:uuid:c1"),
    ("UPDATE credentials SET revoked_at = NULL, revocation_reason = NULL WHERE credential_id = 'urn:uuid:c2'", "credential", "urn:uuid:c2"),
    ("UPDATE issuer_keys SET public_jwk = '{\"kid\":\"attacker\"}'", "issuer_key", "k2"),
    ("UPDATE issuer_keys SET sealed = '{\"sealed\":\"attacker\"}'", "issuer_key", "k2"),
];
