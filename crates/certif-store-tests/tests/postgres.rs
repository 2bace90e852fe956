//! The shared storage scenarios on PostgreSQL, each on a database of its own, created for the
//! test and dropped after it. Runs when `CERTIF_TEST_POSTGRES_URL` names a server (`.ci/run`
//! sets it); says it was skipped otherwise.

use std::sync::atomic::{AtomicUsize, Ordering};

use certif_store::{AuditVerdict, Store, verify_audit};
use certif_store_postgres::PgStore;
use certif_store_sqlite::SqliteStore;
use certif_store_tests as scenarios;
use sqlx::{Connection, PgConnection};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A fresh database on the server named by the environment, dropped when the guard goes.
struct FreshDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl FreshDatabase {
    async fn create() -> Option<FreshDatabase> {
        FreshDatabase::create_with("").await
    }

    /// A fresh database created with `options` after `CREATE DATABASE name`.
    async fn create_with(options: &str) -> Option<FreshDatabase> {
        let Ok(admin_url) = std::env::var("CERTIF_TEST_POSTGRES_URL") else {
            scenarios::absent("CERTIF_TEST_POSTGRES_URL is not set; the PostgreSQL storage suite cannot run");
            return None;
        };
        let name = format!("certif_t_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst));
        let mut admin = PgConnection::connect(&admin_url).await.expect("the test server answers");
        sqlx::query(&format!("CREATE DATABASE {name} {options}")).execute(&mut admin).await.unwrap();
        let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
        let url = format!("{base}/{name}");
        Some(FreshDatabase { admin_url, name, url })
    }

    async fn drop_database(self) {
        let mut admin = PgConnection::connect(&self.admin_url).await.unwrap();
        sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(&mut admin).await.unwrap();
    }
}

macro_rules! scenario {
    ($($name:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let Some(database) = FreshDatabase::create().await else { return };
            let store = PgStore::connect(&database.url).await.unwrap();
            scenarios::$name(&store).await;
            store.close_pool().await;
            database.drop_database().await;
        }
    )*};
}

certif_store_tests::all_scenarios!(scenario);

/// On a database whose locale sorts text the French way (ICU), the cohort still pages in its
/// ids' byte order, the order it is printed in on every backend.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cohort_pages_in_byte_order_on_a_french_collated_database() {
    let french = "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'fr' ENCODING 'UTF8'";
    let Some(database) = FreshDatabase::create_with(french).await else { return };
    let mut raw = PgConnection::connect(&database.url).await.unwrap();
    let in_french: Vec<String> = sqlx::query_scalar("SELECT id FROM unnest($1::text[]) AS id ORDER BY id")
        .bind(scenarios::IDS_IN_NO_LOCALE_ORDER.to_vec())
        .fetch_all(&mut raw)
        .await
        .unwrap();
    raw.close().await.unwrap();
    let mut in_bytes = in_french.clone();
    in_bytes.sort_unstable();
    assert_ne!(in_french, in_bytes, "the database's own order is not the bytes'");
    let store = PgStore::connect(&database.url).await.unwrap();
    scenarios::a_cohort_read_page_by_page_is_the_cohort_read_whole(&store).await;
    store.close_pool().await;
    database.drop_database().await;
}

#[tokio::test]
async fn altering_or_deleting_an_audit_row_is_named() {
    for (statement, broken_seq) in [
        ("UPDATE audit_log SET after = '{\"session1\":\"20\"}' WHERE seq = 4", 4),
        ("DELETE FROM audit_log WHERE seq = 6", 6),
        ("DELETE FROM audit_log WHERE seq = 9", 9),
    ] {
        let Some(database) = FreshDatabase::create().await else { return };
        let store = PgStore::connect(&database.url).await.unwrap();
        store.apply(scenarios::every_kind("A-0001"), "registrar", false).await.unwrap();
        assert_eq!(verify_audit(&store).await.unwrap(), AuditVerdict::Intact { rows: 9 });
        let mut raw = PgConnection::connect(&database.url).await.unwrap();
        sqlx::query(statement).execute(&mut raw).await.unwrap();
        raw.close().await.unwrap();
        match verify_audit(&store).await.unwrap() {
            AuditVerdict::Broken { seq, .. } => assert_eq!(seq, broken_seq, "{statement}"),
            intact => panic!("{statement}: {intact:?}"),
        }
        store.close_pool().await;
        database.drop_database().await;
    }
}

/// As on SQLite: an anchor catches a log shortened with its head moved back, or an entry
/// edited and every hash after it recomputed, which the chain alone cannot.
#[tokio::test]
async fn an_anchor_catches_a_shortened_or_recomputed_log() {
    use certif_store::anchor::{Anchor, AnchorError, SigningKey};
    let key = SigningKey::from_bytes(&[7; 32]);
    for case in ["shortened", "rechained"] {
        let Some(database) = FreshDatabase::create().await else { return };
        let store = PgStore::connect(&database.url).await.unwrap();
        scenarios::a_log_of_ten_entries(&store).await;
        let (count, hash) = store.audit_head().await.unwrap();
        let anchor = Anchor::sign(count, &hash, "2026-12-02T10:00:00Z", &key);
        let entries = store.audit_log(None).await.unwrap();
        let statements = match case {
            "shortened" => scenarios::statements_removing_the_last_change(&entries),
            _ => scenarios::statements_rewriting_and_rechaining(&entries),
        };
        let mut raw = PgConnection::connect(&database.url).await.unwrap();
        for statement in &statements {
            sqlx::query(statement).execute(&mut raw).await.unwrap();
        }
        raw.close().await.unwrap();
        assert!(matches!(verify_audit(&store).await.unwrap(), AuditVerdict::Intact { .. }), "{case}: the chain alone is fooled");
        let found = anchor.check_log(&store.audit_log(None).await.unwrap());
        match case {
            "shortened" => assert!(matches!(found, Err(AnchorError::Shortened { rows: 9, count: 10, .. })), "{found:?}"),
            _ => assert!(matches!(found, Err(AnchorError::Rewritten { count: 10, .. })), "{found:?}"),
        }
        store.close_pool().await;
        database.drop_database().await;
    }
}

/// Each `(statement, entity, key)` of `$cases`, run behind the audit log's back on a fresh
/// database `$setup` filled, is named by the audit check as `(entity, key)`.
macro_rules! each_tampering_is_named {
    ($cases:expr, $setup:path) => {
        for (statement, entity, key) in $cases {
            let Some(database) = FreshDatabase::create().await else { return };
            let store = PgStore::connect(&database.url).await.unwrap();
            $setup(&store).await;
            let mut raw = PgConnection::connect(&database.url).await.unwrap();
            sqlx::query(statement).execute(&mut raw).await.unwrap();
            raw.close().await.unwrap();
            match verify_audit(&store).await.unwrap() {
                AuditVerdict::Unaudited { entity: e, key: k, .. } => assert_eq!((e.as_str(), k.as_str()), (*entity, *key), "{statement}"),
                other => panic!("{statement}: {other:?}"),
            }
            store.close_pool().await;
            database.drop_database().await;
        }
    };
}

/// As on SQLite: a jury row changed, added or removed behind the audit log's back is named.
#[tokio::test]
async fn a_jury_row_changed_without_its_audit_row_is_named() {
    each_tampering_is_named!(scenarios::JURY_TAMPERING, scenarios::a_published_jury_session);
}

/// A database turned read-only under a running store (as a failover to a standby would) is
/// reported not writable, with the reason.
#[tokio::test]
async fn a_read_only_database_is_not_writable() {
    let Some(database) = FreshDatabase::create().await else { return };
    let store = PgStore::connect(&database.url).await.unwrap();
    store.check_writable().await.unwrap();
    let mut raw = PgConnection::connect(&database.admin_url).await.unwrap();
    for statement in [
        format!("ALTER DATABASE {} SET default_transaction_read_only = on", database.name),
        format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}'", database.name),
    ] {
        sqlx::query(&statement).execute(&mut raw).await.unwrap();
    }
    raw.close().await.unwrap();
    let refused = store.check_writable().await.unwrap_err();
    assert!(refused.to_string().contains("read-only"), "{refused}");
    store.close_pool().await;
    database.drop_database().await;
}

/// The same writes give the same records, and so the same dossiers, on both backends.
#[tokio::test]
async fn sqlite_and_postgresql_hold_identical_records() {
    let Some(database) = FreshDatabase::create().await else { return };
    let postgres = PgStore::connect(&database.url).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::connect(&format!("sqlite://{}", dir.path().join("certif.db").display())).await.unwrap();
    for id in ["A-0001", "A-0002", "A-0003"] {
        postgres.apply(scenarios::every_kind(id), "registrar", false).await.unwrap();
        sqlite.apply(scenarios::every_kind(id), "registrar", false).await.unwrap();
    }
    assert_eq!(postgres.learner_ids().await.unwrap(), sqlite.learner_ids().await.unwrap());
    for id in ["A-0001", "A-0002", "A-0003"] {
        assert_eq!(postgres.records_of(id).await.unwrap(), sqlite.records_of(id).await.unwrap(), "{id}");
    }
    let strip = |log: Vec<certif_store::AuditEntry>| {
        log.into_iter().map(|e| (e.seq, e.entity, e.entity_key, e.before, e.after)).collect::<Vec<_>>()
    };
    assert_eq!(strip(postgres.audit_log(None).await.unwrap()), strip(sqlite.audit_log(None).await.unwrap()));
    postgres.close_pool().await;
    database.drop_database().await;
}

/// As on SQLite: a credential or key changed behind the audit log's back is named.
#[tokio::test]
async fn a_credential_changed_without_its_audit_row_is_named() {
    each_tampering_is_named!(scenarios::CREDENTIAL_TAMPERING, scenarios::issued_credentials);
}
