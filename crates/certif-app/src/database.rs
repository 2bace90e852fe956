//! The database a URL names: SQLite (`sqlite://FILE`, the default) or PostgreSQL (`postgres://…`).

use std::path::Path;

use certif_store::{ApplySummary, AuditEntry, Progress, Record, Store, StoreError, StoreResult, StoredCurriculum, VersionedRecord};
use certif_store_postgres::PgStore;
use certif_store_sqlite::SqliteStore;

use crate::error::{AppError, AppResult, InputError};

/// One of certif's backends, chosen by the URL's scheme.
#[derive(Debug, Clone)]
pub enum Database {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl Database {
    pub async fn open(url: &str) -> AppResult<Database> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Database::Postgres(PgStore::connect(url).await.map_err(|error| AppError::Open { url: url.to_string(), error })?))
        } else if url.starts_with("sqlite:") {
            Ok(Database::Sqlite(SqliteStore::connect(url).await.map_err(|error| AppError::Open { url: url.to_string(), error })?))
        } else {
            Err(InputError(format!("{url} : pas une URL de base de données (sqlite://FICHIER ou postgres://…)")).into())
        }
    }

    /// What keeps the schema from being the one this binary embeds (empty when current).
    pub async fn migrations_behind(&self) -> StoreResult<Vec<String>> {
        match self {
            Database::Sqlite(store) => store.migrations_behind().await,
            Database::Postgres(store) => store.migrations_behind().await,
        }
    }

    /// How busy the connection pool is.
    pub fn pool_usage(&self) -> certif_store::dialect::PoolUsage {
        match self {
            Database::Sqlite(store) => store.usage(),
            Database::Postgres(store) => store.usage(),
        }
    }

    /// A consistent copy in a new file; PostgreSQL is backed up with its own tools.
    pub async fn backup_to(&self, path: &Path) -> StoreResult<()> {
        match self {
            Database::Sqlite(store) => certif_store_sqlite::backup_to(store, path).await,
            Database::Postgres(_) => Err(StoreError::Invalid(
                "une base PostgreSQL se sauvegarde avec pg_dump (pg_dump -Fc BASE > FICHIER ; restauration avec pg_restore)".into(),
            )),
        }
    }
}

macro_rules! delegate {
    ($self:ident, $store:ident => $call:expr) => {
        match $self {
            Database::Sqlite($store) => $call.await,
            Database::Postgres($store) => $call.await,
        }
    };
}

impl Store for Database {
    async fn save_curriculum(&self, curriculum: StoredCurriculum, modules: Vec<String>, actor: &str) -> StoreResult<()> {
        delegate!(self, s => s.save_curriculum(curriculum, modules, actor))
    }

    async fn curricula(&self) -> StoreResult<Vec<StoredCurriculum>> {
        delegate!(self, s => s.curricula())
    }

    async fn apply_with_progress(&self, records: Vec<Record>, actor: &str, dry_run: bool, progress: Progress) -> StoreResult<ApplySummary> {
        delegate!(self, s => s.apply_with_progress(records, actor, dry_run, progress))
    }

    async fn learner_ids(&self) -> StoreResult<Vec<String>> {
        delegate!(self, s => s.learner_ids())
    }

    async fn records_of(&self, learner_id: &str) -> StoreResult<Vec<Record>> {
        delegate!(self, s => s.records_of(learner_id))
    }

    async fn mark_versions(&self, module: &str) -> StoreResult<Vec<(String, i64)>> {
        delegate!(self, s => s.mark_versions(module))
    }

    async fn versioned_records_of(&self, learner_id: &str) -> StoreResult<Vec<VersionedRecord>> {
        delegate!(self, s => s.versioned_records_of(learner_id))
    }

    async fn period_versions(&self, learner_id: &str) -> StoreResult<Vec<(String, i64)>> {
        delegate!(self, s => s.period_versions(learner_id))
    }

    async fn all_records(&self) -> StoreResult<Vec<(String, Vec<Record>)>> {
        delegate!(self, s => s.all_records())
    }

    async fn records_page(&self, after: Option<&str>, limit: usize) -> StoreResult<Vec<(String, Vec<Record>)>> {
        delegate!(self, s => s.records_page(after, limit))
    }

    async fn put_versioned(&self, record: Record, expected_version: Option<i64>, actor: &str) -> StoreResult<VersionedRecord> {
        delegate!(self, s => s.put_versioned(record, expected_version, actor))
    }

    async fn audit_log(&self, learner_id: Option<&str>) -> StoreResult<Vec<AuditEntry>> {
        delegate!(self, s => s.audit_log(learner_id))
    }

    async fn audit_head(&self) -> StoreResult<(i64, String)> {
        delegate!(self, s => s.audit_head())
    }

    async fn audit_snapshot(&self) -> StoreResult<certif_store::AuditSnapshot> {
        delegate!(self, s => s.audit_snapshot())
    }

    async fn check_writable(&self) -> StoreResult<()> {
        delegate!(self, s => s.check_writable())
    }
}

impl certif_store::fiches::ReferentialStore for Database {
    async fn import_fiches<'a>(
        &'a self,
        fiches: Box<dyn Iterator<Item = StoreResult<certif_store::fiches::FicheRow>> + Send + 'a>,
        source: &'a str,
        actor: &'a str,
    ) -> StoreResult<certif_store::fiches::FicheImport> {
        delegate!(self, s => s.import_fiches(fiches, source, actor))
    }

    async fn fiche_document(&self, code: &str) -> StoreResult<Option<Vec<u8>>> {
        delegate!(self, s => s.fiche_document(code))
    }

    async fn fiches(&self, query: &certif_store::fiches::FicheQuery) -> StoreResult<Vec<certif_store::fiches::FicheSummary>> {
        delegate!(self, s => s.fiches(query))
    }

    async fn links(&self, code: &str) -> StoreResult<certif_store::fiches::Links> {
        delegate!(self, s => s.links(code))
    }

    async fn save_overlay(&self, code: &str, source: &str, actor: &str) -> StoreResult<()> {
        delegate!(self, s => s.save_overlay(code, source, actor))
    }

    async fn overlay(&self, code: &str) -> StoreResult<Option<String>> {
        delegate!(self, s => s.overlay(code))
    }
}

impl certif_store::accounts::AccountStore for Database {
    async fn add_account(&self, account: certif_store::accounts::Account, actor: &str) -> StoreResult<()> {
        delegate!(self, s => s.add_account(account, actor))
    }

    async fn remove_account(&self, username: &str, actor: &str) -> StoreResult<()> {
        delegate!(self, s => s.remove_account(username, actor))
    }

    async fn update_account(&self, account: certif_store::accounts::Account, actor: &str) -> StoreResult<()> {
        delegate!(self, s => s.update_account(account, actor))
    }

    async fn account(&self, username: &str) -> StoreResult<Option<certif_store::accounts::Account>> {
        delegate!(self, s => s.account(username))
    }

    async fn accounts(&self) -> StoreResult<Vec<certif_store::accounts::Account>> {
        delegate!(self, s => s.accounts())
    }

    async fn count_failure(
        &self,
        username: &str,
        source: &str,
        now: &str,
        threshold: i64,
        lock_until: &str,
    ) -> StoreResult<certif_store::accounts::Failures> {
        delegate!(self, s => s.count_failure(username, source, now, threshold, lock_until))
    }

    async fn failures(&self, username: &str, source: &str) -> StoreResult<Option<certif_store::accounts::Failures>> {
        delegate!(self, s => s.failures(username, source))
    }

    async fn clear_failures(&self, username: &str, sources: &[&str]) -> StoreResult<()> {
        delegate!(self, s => s.clear_failures(username, sources))
    }

    async fn purge(&self, now: &str, failures_before: &str) -> StoreResult<u64> {
        delegate!(self, s => s.purge(now, failures_before))
    }

    async fn add_session(&self, token_hash: &str, session: certif_store::accounts::Session) -> StoreResult<()> {
        delegate!(self, s => s.add_session(token_hash, session))
    }

    async fn session(&self, token_hash: &str, now: &str) -> StoreResult<Option<certif_store::accounts::Session>> {
        delegate!(self, s => s.session(token_hash, now))
    }

    async fn remove_session(&self, token_hash: &str) -> StoreResult<()> {
        delegate!(self, s => s.remove_session(token_hash))
    }
}

impl certif_store::config::ConfigStore for Database {
    async fn set_config(&self, key: &str, value: &str, actor: &str) -> StoreResult<()> {
        delegate!(self, s => s.set_config(key, value, actor))
    }

    async fn config(&self, key: &str) -> StoreResult<Option<String>> {
        delegate!(self, s => s.config(key))
    }

    async fn configs(&self) -> StoreResult<Vec<(String, String)>> {
        delegate!(self, s => s.configs())
    }
}

impl certif_store::declaration::DeclarationStore for Database {
    async fn record_export(
        &self,
        flow: &str,
        exported_at: &str,
        awards: Vec<certif_store::declaration::DeclaredAward>,
        actor: &str,
    ) -> StoreResult<usize> {
        delegate!(self, s => s.record_export(flow, exported_at, awards, actor))
    }

    async fn record_answers(
        &self,
        flow: &str,
        answered_at: &str,
        answers: Vec<(String, certif_store::declaration::Answer)>,
        actor: &str,
    ) -> StoreResult<()> {
        delegate!(self, s => s.record_answers(flow, answered_at, answers, actor))
    }

    async fn declarations(&self) -> StoreResult<Vec<certif_store::declaration::Declaration>> {
        delegate!(self, s => s.declarations())
    }
}

impl certif_store::credentials::CredentialStore for Database {
    async fn add_issuer_key(&self, key: certif_store::credentials::StoredKey, actor: &str) -> StoreResult<()> {
        delegate!(self, s => s.add_issuer_key(key, actor))
    }

    async fn issuer_keys(&self) -> StoreResult<Vec<certif_store::credentials::StoredKey>> {
        delegate!(self, s => s.issuer_keys())
    }

    async fn record_credentials(&self, credentials: Vec<certif_store::credentials::StoredCredential>, actor: &str) -> StoreResult<usize> {
        delegate!(self, s => s.record_credentials(credentials, actor))
    }

    async fn credential(&self, id: &str) -> StoreResult<Option<certif_store::credentials::StoredCredential>> {
        delegate!(self, s => s.credential(id))
    }

    async fn credentials_of(&self, learner: &str) -> StoreResult<Vec<certif_store::credentials::StoredCredential>> {
        delegate!(self, s => s.credentials_of(learner))
    }

    async fn credentials(&self) -> StoreResult<Vec<certif_store::credentials::StoredCredential>> {
        delegate!(self, s => s.credentials())
    }

    async fn next_status_index(&self, list: &str) -> StoreResult<i64> {
        delegate!(self, s => s.next_status_index(list))
    }

    async fn revoke_credentials(&self, ids: Vec<String>, reason: &str, at: &str, actor: &str) -> StoreResult<usize> {
        delegate!(self, s => s.revoke_credentials(ids, reason, at, actor))
    }
}

impl certif_store::documents::DocumentStore for Database {
    async fn record_documents(&self, documents: Vec<certif_store::documents::IssuedDocument>, actor: &str) -> StoreResult<()> {
        delegate!(self, s => s.record_documents(documents, actor))
    }

    async fn document(&self, id: &str) -> StoreResult<Option<certif_store::documents::IssuedDocument>> {
        delegate!(self, s => s.document(id))
    }

    async fn document_by_sha256(&self, sha256: &str) -> StoreResult<Option<certif_store::documents::IssuedDocument>> {
        delegate!(self, s => s.document_by_sha256(sha256))
    }

    async fn documents_of(&self, learner: &str) -> StoreResult<Vec<certif_store::documents::IssuedDocument>> {
        delegate!(self, s => s.documents_of(learner))
    }

    async fn revoke_documents(&self, learner: &str, session: &str, reason: &str, at: &str, actor: &str) -> StoreResult<usize> {
        delegate!(self, s => s.revoke_documents(learner, session, reason, at, actor))
    }
}

impl certif_store::insertion::InsertionStore for Database {
    async fn put_insertion_answers(
        &self,
        answers: Vec<certif_store::insertion::Answer>,
        actor: &str,
        dry_run: bool,
    ) -> StoreResult<ApplySummary> {
        delegate!(self, s => s.put_insertion_answers(answers, actor, dry_run))
    }

    async fn insertion_answers(&self) -> StoreResult<Vec<certif_store::insertion::Answer>> {
        delegate!(self, s => s.insertion_answers())
    }
}

impl certif_store::jury::JuryStore for Database {
    async fn create_jury_session(&self, session: certif_store::jury::JurySession, actor: &str) -> StoreResult<()> {
        delegate!(self, s => s.create_jury_session(session, actor))
    }

    async fn jury_session(&self, id: &str) -> StoreResult<Option<certif_store::jury::StoredJurySession>> {
        delegate!(self, s => s.jury_session(id))
    }

    async fn jury_sessions(&self) -> StoreResult<Vec<certif_store::jury::JurySessionSummary>> {
        delegate!(self, s => s.jury_sessions())
    }

    async fn change_jury_session_versioned(
        &self,
        id: &str,
        change: certif_store::jury::JuryChange,
        expected_version: Option<i64>,
        actor: &str,
    ) -> StoreResult<i64> {
        delegate!(self, s => s.change_jury_session_versioned(id, change, expected_version, actor))
    }

    async fn holders(&self) -> StoreResult<Vec<certif_store::jury::Holder>> {
        delegate!(self, s => s.holders())
    }
}
