//! What certif asks of its database, and nothing of how: the records a learner's dossier is made
//! of, the storage trait the CLI and the server are written against, its errors, and the audit
//! log's hash chain. Backends (`certif-store-sqlite`, `certif-store-postgres`) implement it.

pub mod accounts;
mod accounts_sql;
pub mod anchor;
pub mod audit;
pub mod batch;
pub mod config;
mod config_sql;
pub mod credentials;
mod credentials_sql;
pub mod declaration;
mod declaration_sql;
pub mod dialect;
pub mod documents;
mod documents_sql;
pub mod fiches;
mod fiches_sql;
pub mod insertion;
mod insertion_sql;
pub mod jury;
mod jury_sql;
pub mod record;
mod records_sql;
pub mod sql;
mod stores;

use std::future::Future;
use std::sync::Arc;

use chrono::NaiveDate;

pub use audit::{AuditEntry, AuditVerdict, ChainLink};
pub use record::{Record, dossier_from};

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} : introuvable")]
    NotFound(String),
    /// Optimistic concurrency: somebody changed the row since it was read.
    #[error("{what} a changé entre-temps (version {current_version}) : relisez puis recommencez")]
    Conflict { what: String, current_version: i64 },
    /// The request contradicts what is stored (e.g. a mark for an unknown learner).
    #[error("{0}")]
    Invalid(String),
    /// A rule refuses the write, with its reason code (e.g. `JURY_SESSION_CLOSED`): nothing
    /// was written.
    #[error("{code}: {message}")]
    Refused { code: &'static str, message: String },
    #[error("base de données : {0}")]
    Database(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A curriculum as stored: its TOML source is kept, so it loads exactly as it was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCurriculum {
    pub id: String,
    pub certification: String,
    pub source: String,
    pub loaded_at: String,
}

/// What one batch of writes changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplySummary {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Hears how a long write goes: `(rows written, rows to write)`.
pub type Progress = Arc<dyn Fn(usize, usize) + Send + Sync>;

/// A `Progress` that listens to nothing.
pub fn no_progress() -> Progress {
    Arc::new(|_, _| {})
}

/// Every stored learner's records a page at a time, in the byte order of their ids
/// (`Store::records_page`): `next` until `None`. Memory holds one page, whatever the cohort.
#[derive(Debug, Clone)]
pub struct RecordPages {
    size: usize,
    after: Option<String>,
    done: bool,
}

impl RecordPages {
    /// Pages of `size` learners (at least one).
    pub fn new(size: usize) -> RecordPages {
        RecordPages { size: size.max(1), after: None, done: false }
    }

    /// The next page of learners with their records; `None` after the last.
    pub async fn next<S: Store>(&mut self, store: &S) -> StoreResult<Option<Vec<(String, Vec<Record>)>>> {
        if self.done {
            return Ok(None);
        }
        let page = store.records_page(self.after.as_deref(), self.size).await?;
        // A short page is the last: no query for an empty one.
        self.done = page.len() < self.size;
        let Some((last, _)) = page.last() else { return Ok(None) };
        self.after = Some(last.clone());
        Ok(Some(page))
    }
}

/// One stored mark with its version, for optimistic concurrency (HTTP `ETag`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionedRecord {
    pub record: Record,
    pub version: i64,
}

/// The storage seam. Every write is one transaction and appends to the audit log with the
/// actor's name; a failed call leaves the database exactly as it was.
pub trait Store: Send + Sync {
    /// Stores (or replaces) a curriculum. Replacing is refused when a learner has marks in a
    /// module the new version would remove (`modules` are the new version's module codes).
    fn save_curriculum(
        &self,
        curriculum: StoredCurriculum,
        modules: Vec<String>,
        actor: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Every stored curriculum, most recently loaded last.
    fn curricula(&self) -> impl Future<Output = StoreResult<Vec<StoredCurriculum>>> + Send;

    /// Writes a batch of records in one transaction: unchanged ones are skipped (and not
    /// audited), so applying the same batch twice changes nothing. With `dry_run`, the
    /// transaction is rolled back and only the summary is returned.
    fn apply(&self, records: Vec<Record>, actor: &str, dry_run: bool) -> impl Future<Output = StoreResult<ApplySummary>> + Send {
        self.apply_with_progress(records, actor, dry_run, no_progress())
    }

    /// `apply`, telling `progress` how the writing goes (for a progress bar on large imports).
    fn apply_with_progress(
        &self,
        records: Vec<Record>,
        actor: &str,
        dry_run: bool,
        progress: Progress,
    ) -> impl Future<Output = StoreResult<ApplySummary>> + Send;

    /// Every learner id, in order.
    fn learner_ids(&self) -> impl Future<Output = StoreResult<Vec<String>>> + Send;

    /// Everything stored about one learner, the learner record first.
    fn records_of(&self, learner_id: &str) -> impl Future<Output = StoreResult<Vec<Record>>> + Send;

    /// Each learner's stored version of their mark in `module` (for a grid's stale-edit check).
    fn mark_versions(&self, module: &str) -> impl Future<Output = StoreResult<Vec<(String, i64)>>> + Send;

    /// Everything stored about one learner, each record with its version (for an edit form's
    /// stale-edit check), the learner record first.
    fn versioned_records_of(&self, learner_id: &str) -> impl Future<Output = StoreResult<Vec<VersionedRecord>>> + Send;

    /// The stored version of each of a learner's company periods (for a form's stale-edit check).
    fn period_versions(&self, learner_id: &str) -> impl Future<Output = StoreResult<Vec<(String, i64)>>> + Send;

    /// Everything stored about every learner, grouped by learner in id order, each group the
    /// learner record first: what a cohort's status reads, in one pass per table.
    fn all_records(&self) -> impl Future<Output = StoreResult<Vec<(String, Vec<Record>)>>> + Send;

    /// Up to `limit` learners after `after` (from the first when `None`), in id order, each as
    /// `all_records` gives them: a cohort read page by page (keyset), so that its reader holds
    /// one page whatever the cohort's size. An empty page is the end.
    fn records_page(&self, after: Option<&str>, limit: usize) -> impl Future<Output = StoreResult<Vec<(String, Vec<Record>)>>> + Send;

    /// Replaces one record if its stored version is still `expected_version` (when given);
    /// answers the new version, or `Conflict` and writes nothing.
    fn put_versioned(
        &self,
        record: Record,
        expected_version: Option<i64>,
        actor: &str,
    ) -> impl Future<Output = StoreResult<VersionedRecord>> + Send;

    /// The audit log, oldest first, optionally only the entries about one learner.
    fn audit_log(&self, learner_id: Option<&str>) -> impl Future<Output = StoreResult<Vec<AuditEntry>>> + Send;

    /// How many audit rows were written and the last one's hash, kept apart from the log.
    fn audit_head(&self) -> impl Future<Output = StoreResult<(i64, String)>> + Send;

    /// The audit log, its head and every stored record, read in one transaction: one instant
    /// of the database, whatever is written meanwhile.
    fn audit_snapshot(&self) -> impl Future<Output = StoreResult<AuditSnapshot>> + Send;

    /// Whether a write could be made now: opens a write transaction the way every write does
    /// (taking the backend's write lock), writes the audit head unchanged, and rolls back. The error says why not (a
    /// read-only file, a standby server, a lock held elsewhere…).
    fn check_writable(&self) -> impl Future<Output = StoreResult<()>> + Send;
}

/// What `verify_audit` reads, at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditSnapshot {
    pub entries: Vec<AuditEntry>,
    pub head: (i64, String),
    pub records: Vec<Record>,
    /// The rows besides the records (the jury's, the settings, the insertion survey's, the documents issued), each as `(entity, key, values
    /// as JSON)`: what its latest audit entry must say.
    pub rows: Vec<(&'static str, String, String)>,
}

impl AuditSnapshot {
    /// The whole chain against its head, then every stored record, jury row and setting against
    /// its latest entry.
    pub fn verdict(&self) -> AuditVerdict {
        let verdict = audit::verify(&self.entries, Some(self.head.clone()));
        if verdict != (AuditVerdict::Intact { rows: self.entries.len() }) {
            return verdict;
        }
        let entities: Vec<&str> = record::TABLES
            .iter()
            .map(|t| t.name)
            .chain(jury::AUDITED)
            .chain([
                config::AUDITED,
                declaration::AUDITED,
                insertion::AUDITED,
                credentials::AUDITED_KEY,
                credentials::AUDITED,
                documents::AUDITED,
            ])
            .collect();
        let rows = self.records.iter().map(|r| (r.table().name, r.audit_key(), r.values_json()));
        let others = self.rows.iter().map(|(entity, key, values)| (*entity, key.clone(), values.clone()));
        audit::check_rows(&self.entries, &entities, rows.chain(others)).unwrap_or(verdict)
    }
}

/// Checks the whole audit chain against its head, and that every stored record is what its
/// latest audit entry says (no data changed without its audit row).
pub async fn verify_audit<S: Store>(store: &S) -> StoreResult<AuditVerdict> {
    Ok(store.audit_snapshot().await?.verdict())
}

/// Reads every learner's dossier for `evaluated_on`: the learner's curriculum names the
/// certification (`certification_of` maps a curriculum id to it).
pub async fn dossier<S: Store>(
    store: &S,
    learner_id: &str,
    evaluated_on: NaiveDate,
    certification_of: impl Fn(Option<&str>) -> Option<String>,
) -> StoreResult<certif_core::Dossier> {
    let records = store.records_of(learner_id).await?;
    dossier_from(&records, evaluated_on, certification_of).ok_or_else(|| StoreError::NotFound(format!("apprenant {learner_id}")))
}
