//! certif's storage on PostgreSQL, for production. The same schema and the same SQL as SQLite
//! (all values text, so both hold identical data); every write transaction first locks the
//! audit chain's head row, which serialises writers the way SQLite's write lock does.

use std::future::Future;
use std::str::FromStr;

use certif_store::accounts::{Account, AccountStore, Failures, Session};
use certif_store::config::ConfigStore;
use certif_store::credentials::{CredentialStore, StoredCredential, StoredKey};
use certif_store::declaration::{Answer as CdcAnswer, Declaration, DeclarationStore, DeclaredAward};
use certif_store::dialect::{Dialect, Sql, db, released_outside_a_transaction};
use certif_store::documents::{DocumentStore, IssuedDocument};
use certif_store::fiches::{FicheImport, FicheQuery, FicheRow, FicheSummary, Links, ReferentialStore, SearchDialect};
use certif_store::insertion::{Answer, InsertionStore};
use certif_store::jury::{Holder, JuryChange, JurySession, JurySessionSummary, JuryStore, StoredJurySession};
use certif_store::record::Record;
use certif_store::sql::Placeholders;
use certif_store::{ApplySummary, AuditEntry, AuditSnapshot, Progress, Store, StoreError, StoreResult, StoredCurriculum, VersionedRecord};
use sqlx::Postgres;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgQueryResult};

/// A certif database on a PostgreSQL server.
#[derive(Debug, Clone)]
pub struct PgStore {
    sql: Sql<PgDialect>,
}

/// PostgreSQL's SQL: `$n` placeholders, writes serialised on the audit head's row lock,
/// French full-text search.
#[derive(Debug)]
pub enum PgDialect {}

impl Dialect for PgDialect {
    type DB = Postgres;
    const PLACEHOLDERS: Placeholders = Placeholders::Dollar;
    // Every write locks the audit head row first: writers queue, versions are checked under the lock.
    const WRITE_BEGIN: &'static [&'static str] = &["BEGIN", "SELECT count FROM audit_head WHERE id = 1 FOR UPDATE"];
    const SNAPSHOT: &'static str = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    const SEARCH: SearchDialect = SEARCH;

    fn rows_affected(result: &PgQueryResult) -> u64 {
        result.rows_affected()
    }
}

/// The schema this binary brings, applied on connect.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl PgStore {
    /// What keeps the schema from being [`MIGRATOR`]'s (empty when current).
    pub async fn migrations_behind(&self) -> StoreResult<Vec<String>> {
        use sqlx::migrate::Migrate as _;
        let migrate = |e: sqlx::migrate::MigrateError| StoreError::Database(e.to_string());
        let mut connection = self.sql.pool().acquire().await.map_err(db)?;
        let dirty = connection.dirty_version().await.map_err(migrate)?;
        let applied = connection.list_applied_migrations().await.map_err(migrate)?;
        Ok(certif_store::dialect::migrations_behind(&MIGRATOR, dirty, &applied))
    }

    /// How busy the connection pool is.
    pub fn pool_usage(&self) -> certif_store::dialect::PoolUsage {
        self.sql.usage()
    }

    /// Connects to `postgres://…` and brings the schema up to date.
    pub async fn connect(url: &str) -> StoreResult<PgStore> {
        // The server ends a session left idle inside a transaction: a last guard, should a
        // connection ever escape the pool's release hook, so it cannot hold the audit head's lock.
        let options = PgConnectOptions::from_str(url).map_err(db)?.options([("idle_in_transaction_session_timeout", "60s")]);
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .after_release(released_outside_a_transaction::<Postgres>)
            .connect_with(options)
            .await
            .map_err(db)?;
        MIGRATOR.run(&pool).await.map_err(|e| StoreError::Database(e.to_string()))?;
        Ok(PgStore { sql: Sql::new(pool) })
    }

    /// Closes every connection (so the database can be dropped, in tests).
    pub async fn close(&self) {
        self.sql.pool().close().await;
    }
}

/// French full-text search over the `search` column the migration generates.
const SEARCH: SearchDialect = SearchDialect {
    join: "",
    condition: "f.search @@ plainto_tsquery('french', ?)",
    order: "ts_rank(f.search, plainto_tsquery('french', ?)) DESC",
    rank_binds_query: true,
    query: certif_store::fiches::plain_query,
};

impl AccountStore for PgStore {
    async fn add_account(&self, account: Account, actor: &str) -> StoreResult<()> {
        self.sql.add_account(account, actor).await
    }
    async fn remove_account(&self, username: &str, actor: &str) -> StoreResult<()> {
        self.sql.remove_account(username, actor).await
    }
    async fn account(&self, username: &str) -> StoreResult<Option<Account>> {
        self.sql.account(username).await
    }
    async fn accounts(&self) -> StoreResult<Vec<Account>> {
        self.sql.accounts().await
    }
    async fn count_failure(&self, username: &str, source: &str, now: &str, threshold: i64, lock_until: &str) -> StoreResult<Failures> {
        self.sql.count_failure(username, source, now, threshold, lock_until).await
    }
    async fn failures(&self, username: &str, source: &str) -> StoreResult<Option<Failures>> {
        self.sql.failures(username, source).await
    }
    async fn clear_failures(&self, username: &str, sources: &[&str]) -> StoreResult<()> {
        self.sql.clear_failures(username, sources).await
    }
    async fn purge(&self, now: &str, failures_before: &str) -> StoreResult<u64> {
        self.sql.purge(now, failures_before).await
    }
    async fn add_session(&self, token_hash: &str, session: Session) -> StoreResult<()> {
        self.sql.add_session(token_hash, session).await
    }
    async fn session(&self, token_hash: &str, now: &str) -> StoreResult<Option<Session>> {
        self.sql.session(token_hash, now).await
    }
    async fn remove_session(&self, token_hash: &str) -> StoreResult<()> {
        self.sql.remove_session(token_hash).await
    }
}

impl ConfigStore for PgStore {
    async fn set_config(&self, key: &str, value: &str, actor: &str) -> StoreResult<()> {
        self.sql.set_config(key, value, actor).await
    }
    async fn config(&self, key: &str) -> StoreResult<Option<String>> {
        self.sql.config(key).await
    }
    async fn configs(&self) -> StoreResult<Vec<(String, String)>> {
        self.sql.configs().await
    }
}

impl DeclarationStore for PgStore {
    async fn record_export(&self, flow: &str, exported_at: &str, awards: Vec<DeclaredAward>, actor: &str) -> StoreResult<usize> {
        self.sql.record_export(flow, exported_at, awards, actor).await
    }
    async fn record_answers(&self, flow: &str, answered_at: &str, answers: Vec<(String, CdcAnswer)>, actor: &str) -> StoreResult<()> {
        self.sql.record_answers(flow, answered_at, answers, actor).await
    }
    async fn declarations(&self) -> StoreResult<Vec<Declaration>> {
        self.sql.declarations().await
    }
}

impl CredentialStore for PgStore {
    async fn add_issuer_key(&self, key: StoredKey, actor: &str) -> StoreResult<()> {
        self.sql.add_issuer_key(key, actor).await
    }
    async fn issuer_keys(&self) -> StoreResult<Vec<StoredKey>> {
        self.sql.issuer_keys().await
    }
    async fn record_credentials(&self, credentials: Vec<StoredCredential>, actor: &str) -> StoreResult<usize> {
        self.sql.record_credentials(credentials, actor).await
    }
    async fn credential(&self, id: &str) -> StoreResult<Option<StoredCredential>> {
        self.sql.credential(id).await
    }
    async fn credentials_of(&self, learner: &str) -> StoreResult<Vec<StoredCredential>> {
        self.sql.credentials_of(learner).await
    }
    async fn credentials(&self) -> StoreResult<Vec<StoredCredential>> {
        self.sql.credentials().await
    }
    async fn next_status_index(&self, list: &str) -> StoreResult<i64> {
        self.sql.next_status_index(list).await
    }
    async fn revoke_credentials(&self, ids: Vec<String>, reason: &str, at: &str, actor: &str) -> StoreResult<usize> {
        self.sql.revoke_credentials(ids, reason, at, actor).await
    }
}

impl DocumentStore for PgStore {
    async fn record_documents(&self, documents: Vec<IssuedDocument>, actor: &str) -> StoreResult<()> {
        self.sql.record_documents(documents, actor).await
    }
    async fn document(&self, id: &str) -> StoreResult<Option<IssuedDocument>> {
        self.sql.document(id).await
    }
    async fn document_by_sha256(&self, sha256: &str) -> StoreResult<Option<IssuedDocument>> {
        self.sql.document_by_sha256(sha256).await
    }
    async fn documents_of(&self, learner: &str) -> StoreResult<Vec<IssuedDocument>> {
        self.sql.documents_of(learner).await
    }
    async fn revoke_documents(&self, learner: &str, session: &str, reason: &str, at: &str, actor: &str) -> StoreResult<usize> {
        self.sql.revoke_documents(learner, session, reason, at, actor).await
    }
}

impl InsertionStore for PgStore {
    async fn put_insertion_answers(&self, answers: Vec<Answer>, actor: &str, dry_run: bool) -> StoreResult<ApplySummary> {
        self.sql.put_insertion_answers(answers, actor, dry_run).await
    }
    async fn insertion_answers(&self) -> StoreResult<Vec<Answer>> {
        self.sql.insertion_answers().await
    }
}

impl JuryStore for PgStore {
    async fn create_jury_session(&self, session: JurySession, actor: &str) -> StoreResult<()> {
        self.sql.create_jury_session(session, actor).await
    }
    async fn jury_session(&self, id: &str) -> StoreResult<Option<StoredJurySession>> {
        self.sql.jury_session(id).await
    }
    async fn jury_sessions(&self) -> StoreResult<Vec<JurySessionSummary>> {
        self.sql.jury_sessions().await
    }
    async fn change_jury_session_versioned(
        &self,
        id: &str,
        change: JuryChange,
        expected_version: Option<i64>,
        actor: &str,
    ) -> StoreResult<i64> {
        self.sql.change_jury_session_versioned(id, change, expected_version, actor).await
    }
    async fn holders(&self) -> StoreResult<Vec<Holder>> {
        self.sql.holders().await
    }
}

impl ReferentialStore for PgStore {
    fn import_fiches<'a>(
        &'a self,
        fiches: Box<dyn Iterator<Item = StoreResult<FicheRow>> + Send + 'a>,
        source: &'a str,
        actor: &'a str,
    ) -> impl Future<Output = StoreResult<FicheImport>> + Send + 'a {
        self.sql.import_fiches(fiches, source, actor)
    }
    async fn fiche_document(&self, code: &str) -> StoreResult<Option<Vec<u8>>> {
        self.sql.fiche_document(code).await
    }
    async fn fiches(&self, query: &FicheQuery) -> StoreResult<Vec<FicheSummary>> {
        self.sql.fiches(query).await
    }
    async fn links(&self, code: &str) -> StoreResult<Links> {
        self.sql.links(code).await
    }
    async fn save_overlay(&self, code: &str, source: &str, actor: &str) -> StoreResult<()> {
        self.sql.save_overlay(code, source, actor).await
    }
    async fn overlay(&self, code: &str) -> StoreResult<Option<String>> {
        self.sql.overlay(code).await
    }
}

impl Store for PgStore {
    async fn save_curriculum(&self, curriculum: StoredCurriculum, modules: Vec<String>, actor: &str) -> StoreResult<()> {
        self.sql.save_curriculum(curriculum, modules, actor).await
    }
    async fn curricula(&self) -> StoreResult<Vec<StoredCurriculum>> {
        self.sql.curricula().await
    }
    async fn apply_with_progress(&self, records: Vec<Record>, actor: &str, dry_run: bool, progress: Progress) -> StoreResult<ApplySummary> {
        self.sql.apply_with_progress(records, actor, dry_run, progress).await
    }
    async fn learner_ids(&self) -> StoreResult<Vec<String>> {
        self.sql.learner_ids().await
    }
    async fn records_of(&self, learner_id: &str) -> StoreResult<Vec<Record>> {
        self.sql.records_of(learner_id).await
    }
    async fn mark_versions(&self, module: &str) -> StoreResult<Vec<(String, i64)>> {
        self.sql.mark_versions(module).await
    }
    async fn period_versions(&self, learner_id: &str) -> StoreResult<Vec<(String, i64)>> {
        self.sql.period_versions(learner_id).await
    }
    async fn all_records(&self) -> StoreResult<Vec<(String, Vec<Record>)>> {
        self.sql.all_records().await
    }
    async fn put_versioned(&self, record: Record, expected_version: Option<i64>, actor: &str) -> StoreResult<VersionedRecord> {
        self.sql.put_versioned(record, expected_version, actor).await
    }
    async fn audit_log(&self, learner_id: Option<&str>) -> StoreResult<Vec<AuditEntry>> {
        self.sql.audit_log(learner_id).await
    }
    async fn audit_head(&self) -> StoreResult<(i64, String)> {
        self.sql.audit_head().await
    }
    async fn audit_snapshot(&self) -> StoreResult<AuditSnapshot> {
        self.sql.audit_snapshot().await
    }
    async fn check_writable(&self) -> StoreResult<()> {
        self.sql.check_writable().await
    }
}
