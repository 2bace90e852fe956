//! The storage traits, implemented once for every backend by [`Sql<D>`]: each method is the
//! SQL method of the same name (in `accounts_sql.rs`, `records_sql.rs`, `jury_sql.rs`…), so a
//! backend crate names its [`Dialect`] and nothing more (`pub type SqliteStore = Sql<SqliteDialect>`).

use std::future::Future;

use crate::accounts::{Account, AccountStore, Failures, Session};
use crate::config::ConfigStore;
use crate::credentials::{CredentialStore, StoredCredential, StoredKey};
use crate::declaration::{Answer as CdcAnswer, Declaration, DeclarationStore, DeclaredAward};
use crate::dialect::{Dialect, Sql, sqlx_bounds};
use crate::documents::{DocumentStore, IssuedDocument};
use crate::fiches::{FicheImport, FicheQuery, FicheRow, FicheSummary, Links, ReferentialStore};
use crate::insertion::{Answer, InsertionStore};
use crate::jury::{Holder, JuryChange, JurySession, JurySessionSummary, JuryStore, StoredJurySession};
use crate::record::Record;
use sqlx::{Decode, Encode, Type};

use crate::{ApplySummary, AuditEntry, AuditSnapshot, Progress, Store, StoreResult, StoredCurriculum, VersionedRecord};

#[sqlx_bounds]
impl<D: Dialect> AccountStore for Sql<D> {
    async fn add_account(&self, account: Account, actor: &str) -> StoreResult<()> {
        Sql::add_account(self, account, actor).await
    }
    async fn remove_account(&self, username: &str, actor: &str) -> StoreResult<()> {
        Sql::remove_account(self, username, actor).await
    }
    async fn update_account(&self, account: Account, actor: &str) -> StoreResult<()> {
        Sql::update_account(self, account, actor).await
    }
    async fn account(&self, username: &str) -> StoreResult<Option<Account>> {
        Sql::account(self, username).await
    }
    async fn accounts(&self) -> StoreResult<Vec<Account>> {
        Sql::accounts(self).await
    }
    async fn count_failure(&self, username: &str, source: &str, now: &str, threshold: i64, lock_until: &str) -> StoreResult<Failures> {
        Sql::count_failure(self, username, source, now, threshold, lock_until).await
    }
    async fn failures(&self, username: &str, source: &str) -> StoreResult<Option<Failures>> {
        Sql::failures(self, username, source).await
    }
    async fn clear_failures(&self, username: &str, sources: &[&str]) -> StoreResult<()> {
        Sql::clear_failures(self, username, sources).await
    }
    async fn purge(&self, now: &str, failures_before: &str) -> StoreResult<u64> {
        Sql::purge(self, now, failures_before).await
    }
    async fn add_session(&self, token_hash: &str, session: Session) -> StoreResult<()> {
        Sql::add_session(self, token_hash, session).await
    }
    async fn session(&self, token_hash: &str, now: &str) -> StoreResult<Option<Session>> {
        Sql::session(self, token_hash, now).await
    }
    async fn remove_session(&self, token_hash: &str) -> StoreResult<()> {
        Sql::remove_session(self, token_hash).await
    }
}

#[sqlx_bounds]
impl<D: Dialect> ConfigStore for Sql<D> {
    async fn set_config(&self, key: &str, value: &str, actor: &str) -> StoreResult<()> {
        Sql::set_config(self, key, value, actor).await
    }
    async fn config(&self, key: &str) -> StoreResult<Option<String>> {
        Sql::config(self, key).await
    }
    async fn configs(&self) -> StoreResult<Vec<(String, String)>> {
        Sql::configs(self).await
    }
}

#[sqlx_bounds]
impl<D: Dialect> DeclarationStore for Sql<D> {
    async fn record_export(&self, flow: &str, exported_at: &str, awards: Vec<DeclaredAward>, actor: &str) -> StoreResult<usize> {
        Sql::record_export(self, flow, exported_at, awards, actor).await
    }
    async fn record_answers(&self, flow: &str, answered_at: &str, answers: Vec<(String, CdcAnswer)>, actor: &str) -> StoreResult<()> {
        Sql::record_answers(self, flow, answered_at, answers, actor).await
    }
    async fn declarations(&self) -> StoreResult<Vec<Declaration>> {
        Sql::declarations(self).await
    }
}

#[sqlx_bounds]
impl<D: Dialect> CredentialStore for Sql<D> {
    async fn add_issuer_key(&self, key: StoredKey, actor: &str) -> StoreResult<()> {
        Sql::add_issuer_key(self, key, actor).await
    }
    async fn issuer_keys(&self) -> StoreResult<Vec<StoredKey>> {
        Sql::issuer_keys(self).await
    }
    async fn record_credentials(&self, credentials: Vec<StoredCredential>, actor: &str) -> StoreResult<usize> {
        Sql::record_credentials(self, credentials, actor).await
    }
    async fn credential(&self, id: &str) -> StoreResult<Option<StoredCredential>> {
        Sql::credential(self, id).await
    }
    async fn credentials_of(&self, learner: &str) -> StoreResult<Vec<StoredCredential>> {
        Sql::credentials_of(self, learner).await
    }
    async fn credentials(&self) -> StoreResult<Vec<StoredCredential>> {
        Sql::credentials(self).await
    }
    async fn next_status_index(&self, list: &str) -> StoreResult<i64> {
        Sql::next_status_index(self, list).await
    }
    async fn revoke_credentials(&self, ids: Vec<String>, reason: &str, at: &str, actor: &str) -> StoreResult<usize> {
        Sql::revoke_credentials(self, ids, reason, at, actor).await
    }
}

#[sqlx_bounds]
impl<D: Dialect> DocumentStore for Sql<D> {
    async fn record_documents(&self, documents: Vec<IssuedDocument>, actor: &str) -> StoreResult<()> {
        Sql::record_documents(self, documents, actor).await
    }
    async fn document(&self, id: &str) -> StoreResult<Option<IssuedDocument>> {
        Sql::document(self, id).await
    }
    async fn document_by_sha256(&self, sha256: &str) -> StoreResult<Option<IssuedDocument>> {
        Sql::document_by_sha256(self, sha256).await
    }
    async fn documents_of(&self, learner: &str) -> StoreResult<Vec<IssuedDocument>> {
        Sql::documents_of(self, learner).await
    }
    async fn revoke_documents(&self, learner: &str, session: &str, reason: &str, at: &str, actor: &str) -> StoreResult<usize> {
        Sql::revoke_documents(self, learner, session, reason, at, actor).await
    }
}

#[sqlx_bounds]
impl<D: Dialect> InsertionStore for Sql<D> {
    async fn put_insertion_answers(&self, answers: Vec<Answer>, actor: &str, dry_run: bool) -> StoreResult<ApplySummary> {
        Sql::put_insertion_answers(self, answers, actor, dry_run).await
    }
    async fn insertion_answers(&self) -> StoreResult<Vec<Answer>> {
        Sql::insertion_answers(self).await
    }
}

#[sqlx_bounds]
impl<D: Dialect> JuryStore for Sql<D> {
    async fn create_jury_session(&self, session: JurySession, actor: &str) -> StoreResult<()> {
        Sql::create_jury_session(self, session, actor).await
    }
    async fn jury_session(&self, id: &str) -> StoreResult<Option<StoredJurySession>> {
        Sql::jury_session(self, id).await
    }
    async fn jury_sessions(&self) -> StoreResult<Vec<JurySessionSummary>> {
        Sql::jury_sessions(self).await
    }
    async fn change_jury_session_versioned(
        &self,
        id: &str,
        change: JuryChange,
        expected_version: Option<i64>,
        actor: &str,
    ) -> StoreResult<i64> {
        Sql::change_jury_session_versioned(self, id, change, expected_version, actor).await
    }
    async fn holders(&self) -> StoreResult<Vec<Holder>> {
        Sql::holders(self).await
    }
}

#[sqlx_bounds]
impl<D: Dialect> ReferentialStore for Sql<D>
where
    for<'q> Vec<u8>: Encode<'q, D::DB> + Decode<'q, D::DB> + Type<D::DB>,
{
    fn import_fiches<'a>(
        &'a self,
        fiches: Box<dyn Iterator<Item = StoreResult<FicheRow>> + Send + 'a>,
        source: &'a str,
        actor: &'a str,
    ) -> impl Future<Output = StoreResult<FicheImport>> + Send + 'a {
        Sql::import_fiches(self, fiches, source, actor)
    }
    async fn fiche_document(&self, code: &str) -> StoreResult<Option<Vec<u8>>> {
        Sql::fiche_document(self, code).await
    }
    async fn fiches(&self, query: &FicheQuery) -> StoreResult<Vec<FicheSummary>> {
        Sql::fiches(self, query).await
    }
    async fn links(&self, code: &str) -> StoreResult<Links> {
        Sql::links(self, code).await
    }
    async fn save_overlay(&self, code: &str, source: &str, actor: &str) -> StoreResult<()> {
        Sql::save_overlay(self, code, source, actor).await
    }
    async fn overlay(&self, code: &str) -> StoreResult<Option<String>> {
        Sql::overlay(self, code).await
    }
}

#[sqlx_bounds]
impl<D: Dialect> Store for Sql<D> {
    async fn save_curriculum(&self, curriculum: StoredCurriculum, modules: Vec<String>, actor: &str) -> StoreResult<()> {
        Sql::save_curriculum(self, curriculum, modules, actor).await
    }
    async fn curricula(&self) -> StoreResult<Vec<StoredCurriculum>> {
        Sql::curricula(self).await
    }
    async fn apply_with_progress(&self, records: Vec<Record>, actor: &str, dry_run: bool, progress: Progress) -> StoreResult<ApplySummary> {
        Sql::apply_with_progress(self, records, actor, dry_run, progress).await
    }
    async fn learner_ids(&self) -> StoreResult<Vec<String>> {
        Sql::learner_ids(self).await
    }
    async fn records_of(&self, learner_id: &str) -> StoreResult<Vec<Record>> {
        Sql::records_of(self, learner_id).await
    }
    async fn mark_versions(&self, module: &str) -> StoreResult<Vec<(String, i64)>> {
        Sql::mark_versions(self, module).await
    }
    async fn versioned_records_of(&self, learner_id: &str) -> StoreResult<Vec<VersionedRecord>> {
        Sql::versioned_records_of(self, learner_id).await
    }
    async fn period_versions(&self, learner_id: &str) -> StoreResult<Vec<(String, i64)>> {
        Sql::period_versions(self, learner_id).await
    }
    async fn all_records(&self) -> StoreResult<Vec<(String, Vec<Record>)>> {
        Sql::all_records(self).await
    }
    async fn records_page(&self, after: Option<&str>, limit: usize) -> StoreResult<Vec<(String, Vec<Record>)>> {
        Sql::records_page(self, after, limit).await
    }
    async fn put_versioned(&self, record: Record, expected_version: Option<i64>, actor: &str) -> StoreResult<VersionedRecord> {
        Sql::put_versioned(self, record, expected_version, actor).await
    }
    async fn audit_log(&self, learner_id: Option<&str>) -> StoreResult<Vec<AuditEntry>> {
        Sql::audit_log(self, learner_id).await
    }
    async fn audit_head(&self) -> StoreResult<(i64, String)> {
        Sql::audit_head(self).await
    }
    async fn audit_snapshot(&self) -> StoreResult<AuditSnapshot> {
        Sql::audit_snapshot(self).await
    }
    async fn check_writable(&self) -> StoreResult<()> {
        Sql::check_writable(self).await
    }
}
