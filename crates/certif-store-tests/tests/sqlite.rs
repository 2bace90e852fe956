//! The shared storage scenarios on SQLite, each on a fresh database file.

use certif_store::{AuditVerdict, Store, verify_audit};
use certif_store_sqlite::SqliteStore;
use certif_store_tests as scenarios;

async fn fresh() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("certif.db").display());
    (SqliteStore::connect(&url).await.unwrap(), dir)
}

macro_rules! scenario {
    ($($name:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let (store, _dir) = fresh().await;
            scenarios::$name(&store).await;
        }
    )*};
}

certif_store_tests::all_scenarios!(scenario);

/// Raw SQL on the database file, as someone tampering with it would.
async fn tamper(dir: &tempfile::TempDir, statement: &str) {
    use sqlx::Connection;
    let url = format!("sqlite://{}", dir.path().join("certif.db").display());
    let mut connection = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query(statement).execute(&mut connection).await.unwrap();
}

#[tokio::test]
async fn altering_or_deleting_an_audit_row_is_named() {
    for (statement, broken_seq) in [
        ("UPDATE audit_log SET after = '{\"session1\":\"20\"}' WHERE seq = 4", 4),
        ("DELETE FROM audit_log WHERE seq = 6", 6),
        ("DELETE FROM audit_log WHERE seq = 9", 9),
        ("UPDATE audit_log SET actor = 'someone else' WHERE seq = 1", 1),
    ] {
        let (store, dir) = fresh().await;
        store.apply(scenarios::every_kind("A-0001"), "registrar", false).await.unwrap();
        assert_eq!(verify_audit(&store).await.unwrap(), AuditVerdict::Intact { rows: 9 });
        tamper(&dir, statement).await;
        match verify_audit(&store).await.unwrap() {
            AuditVerdict::Broken { seq, .. } => assert_eq!(seq, broken_seq, "{statement}"),
            intact => panic!("{statement}: {intact:?}"),
        }
    }
}

/// An anchor taken before the database is rewritten catches what the chain alone cannot: the
/// last change removed with its entry and the head moved back, or an entry edited and every
/// hash after it recomputed.
#[tokio::test]
async fn an_anchor_catches_a_shortened_or_recomputed_log() {
    use certif_store::anchor::{Anchor, AnchorError, SigningKey};
    let key = SigningKey::from_bytes(&[7; 32]);
    for case in ["shortened", "rechained"] {
        let (store, dir) = fresh().await;
        scenarios::a_log_of_ten_entries(&store).await;
        let (count, hash) = store.audit_head().await.unwrap();
        let anchor = Anchor::sign(count, &hash, "2026-12-02T10:00:00Z", &key);
        let entries = store.audit_log(None).await.unwrap();
        let statements = match case {
            "shortened" => scenarios::statements_removing_the_last_change(&entries),
            _ => scenarios::statements_rewriting_and_rechaining(&entries),
        };
        for statement in &statements {
            tamper(&dir, statement).await;
        }
        assert!(matches!(verify_audit(&store).await.unwrap(), AuditVerdict::Intact { .. }), "{case}: the chain alone is fooled");
        assert_eq!(anchor.check_signature(&key.verifying_key()), Ok(()));
        let found = anchor.check_log(&store.audit_log(None).await.unwrap());
        match case {
            "shortened" => assert!(matches!(found, Err(AnchorError::Shortened { rows: 9, count: 10, .. })), "{found:?}"),
            _ => assert!(matches!(found, Err(AnchorError::Rewritten { count: 10, .. })), "{found:?}"),
        }
    }
}

/// A stored record that differs from its latest audit entry (changed behind the log's back) is
/// named, though the chain itself holds.
#[tokio::test]
async fn a_record_changed_without_its_audit_row_is_named() {
    let (store, dir) = fresh().await;
    scenarios::a_log_of_ten_entries(&store).await;
    tamper(&dir, "UPDATE marks SET session1 = '20' WHERE learner_id = 'A-0001' AND module = 'M1.1.1'").await;
    match verify_audit(&store).await.unwrap() {
        AuditVerdict::Unaudited { entity, key, .. } => assert_eq!((entity.as_str(), key.as_str()), ("marks", "A-0001/M1.1.1")),
        other => panic!("{other:?}"),
    }
}

/// Each `(statement, entity, key)` of `$cases`, run behind the audit log's back on a fresh
/// database `$setup` filled, is named by the audit check as `(entity, key)`.
macro_rules! each_tampering_is_named {
    ($cases:expr, $setup:path) => {
        for (statement, entity, key) in $cases {
            let (store, dir) = fresh().await;
            $setup(&store).await;
            tamper(&dir, statement).await;
            match verify_audit(&store).await.unwrap() {
                AuditVerdict::Unaudited { entity: e, key: k, .. } => assert_eq!((e.as_str(), k.as_str()), (*entity, *key), "{statement}"),
                other => panic!("{statement}: {other:?}"),
            }
        }
    };
}

/// A jury row changed, added or removed behind the audit log's back is named, the minutes' text
/// included (the log holds their SHA-256).
#[tokio::test]
async fn a_jury_row_changed_without_its_audit_row_is_named() {
    each_tampering_is_named!(scenarios::JURY_TAMPERING, scenarios::a_published_jury_session);
}

/// A database file opened read-only is reported not writable, with the reason, and still reads.
#[tokio::test]
async fn a_read_only_database_is_not_writable() {
    let (store, dir) = fresh().await;
    store.apply(scenarios::every_kind("A-0001"), "registrar", false).await.unwrap();
    store.check_writable().await.unwrap();
    let read_only = SqliteStore::connect(&format!("sqlite://{}?mode=ro", dir.path().join("certif.db").display())).await.unwrap();
    let refused = read_only.check_writable().await.unwrap_err();
    assert!(refused.to_string().contains("readonly"), "{refused}");
    assert_eq!(read_only.learner_ids().await.unwrap(), vec!["A-0001".to_string()]);
}

#[tokio::test]
async fn a_backup_is_a_consistent_copy_that_opens_as_a_store() {
    let (store, dir) = fresh().await;
    store.apply(scenarios::every_kind("A-0001"), "registrar", false).await.unwrap();
    let backup = dir.path().join("backup.db");
    certif_store_sqlite::backup_to(&store, &backup).await.unwrap();
    assert!(certif_store_sqlite::backup_to(&store, &backup).await.is_err(), "a backup never overwrites a file");
    let restored = SqliteStore::connect(&format!("sqlite://{}", backup.display())).await.unwrap();
    assert_eq!(restored.records_of("A-0001").await.unwrap(), store.records_of("A-0001").await.unwrap());
    assert_eq!(verify_audit(&restored).await.unwrap(), AuditVerdict::Intact { rows: 9 });
}

/// A credential or key changed behind the audit log's back is named (the JWT and the sealed key
/// by their SHA-256).
#[tokio::test]
async fn a_credential_changed_without_its_audit_row_is_named() {
    each_tampering_is_named!(scenarios::CREDENTIAL_TAMPERING, scenarios::issued_credentials);
}
