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

#[tokio::test]
async fn a_backup_is_a_consistent_copy_that_opens_as_a_store() {
    let (store, dir) = fresh().await;
    store.apply(scenarios::every_kind("A-0001"), "registrar", false).await.unwrap();
    let backup = dir.path().join("backup.db");
    store.backup_to(&backup).await.unwrap();
    assert!(store.backup_to(&backup).await.is_err(), "a backup never overwrites a file");
    let restored = SqliteStore::connect(&format!("sqlite://{}", backup.display())).await.unwrap();
    assert_eq!(restored.records_of("A-0001").await.unwrap(), store.records_of("A-0001").await.unwrap());
    assert_eq!(verify_audit(&restored).await.unwrap(), AuditVerdict::Intact { rows: 9 });
}
