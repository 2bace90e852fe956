//! The SQL implementation of the storage traits, written once for every sqlx backend as plain
//! generic code: [`Sql<D>`] holds a backend's pool, and its methods (here, in `accounts_sql.rs`,
//! `fiches_sql.rs`, `jury_sql.rs` and `records_sql.rs`) hold the SQL. What differs between the backends is the
//! [`Dialect`] a backend crate names: its sqlx database, its placeholders, the statements that
//! open a write or a snapshot transaction, and its full-text search.
//!
//! Every write transaction lives in [`Sql::transact`], run by [`Sql::write`] on a spawned task:
//! the caller's future (an HTTP request the client abandoned) can be dropped at any point without
//! leaving a transaction open on a pooled connection or committing data without its audit rows.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use sqlx::pool::PoolConnectionMetadata;
use sqlx::{Connection as _, Database, Pool, Row as _, Transaction};

pub use certif_sqlx_bounds::sqlx_bounds;

use crate::batch::Change;
use crate::fiches::SearchDialect;
use crate::sql::{self, Placeholders};
use crate::{StoreError, StoreResult};

/// What one backend's SQL differs in. Implemented by a marker type in each backend crate.
pub trait Dialect: Send + Sync + 'static {
    /// The sqlx database.
    type DB: Database;
    /// How bind parameters are written.
    const PLACEHOLDERS: Placeholders;
    /// The statements opening a write transaction: the first begins it (SQLite: `BEGIN
    /// IMMEDIATE`, taking the write lock at once), the others take the backend's write lock.
    const WRITE_BEGIN: &'static [&'static str];
    /// Begins a read transaction that sees one instant of the database.
    const SNAPSHOT: &'static str;
    /// The full-text search over fiches.
    const SEARCH: SearchDialect;
    /// The collation that orders text by its bytes, as Rust compares strings: keyset paging
    /// must agree with the order the cohort is printed in, whatever the database's locale.
    const BYTE_ORDER: &'static str;
    /// Whether a learner's records are read in one statement (`sql::select_whole_learner`)
    /// rather than one a table: worth it where a statement costs a round trip (PostgreSQL:
    /// twice the reads a second), not in process (SQLite: the union's sort costs more).
    const ONE_STATEMENT_A_LEARNER: bool;
    /// How many rows a statement changed (sqlx has no trait for it).
    fn rows_affected(result: &<Self::DB as Database>::QueryResult) -> u64;
    /// Connects to the database `url` names, with a pool built with
    /// `.after_release(released_outside_a_transaction)`, and brings its schema up to date.
    fn connect(url: &str) -> impl Future<Output = StoreResult<Pool<Self::DB>>> + Send;
    /// The schema the backend's migrations bring (applied by `connect`).
    fn migrator() -> &'static sqlx::migrate::Migrator;
}

/// A backend's connection and row types.
pub type Conn<D> = <<D as Dialect>::DB as Database>::Connection;
pub type DbRow<D> = <<D as Dialect>::DB as Database>::Row;

/// What a write does inside its transaction.
pub type Work<'c, T> = Pin<Box<dyn Future<Output = StoreResult<T>> + Send + 'c>>;

/// The SQL storage over one backend's pool. Its pool must be built with
/// `.after_release(released_outside_a_transaction)`.
pub struct Sql<D: Dialect> {
    pub(crate) pool: Pool<D::DB>,
}

impl<D: Dialect> Clone for Sql<D> {
    fn clone(&self) -> Self {
        Sql { pool: self.pool.clone() }
    }
}

impl<D: Dialect> fmt::Debug for Sql<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sql").field("pool", &self.pool).finish()
    }
}

/// A sqlx error as a storage error.
pub fn db(error: sqlx::Error) -> StoreError {
    StoreError::Database(error.to_string())
}

/// A statement written with `?` placeholders, in the dialect's style.
pub(crate) fn in_dialect<D: Dialect>(statement: &str) -> String {
    sql::dialect(D::PLACEHOLDERS, statement)
}

/// The pool's release hook: a connection still inside a transaction (a write cut off where its
/// rollback could not run) is closed rather than handed to the next caller.
pub fn released_outside_a_transaction<DB: Database>(
    connection: &mut DB::Connection,
    _: PoolConnectionMetadata,
) -> Pin<Box<dyn Future<Output = Result<bool, sqlx::Error>> + Send + '_>> {
    Box::pin(async move {
        if connection.is_in_transaction() {
            // A rollback queued by a dropped `Transaction` runs before the ping answers.
            connection.ping().await?;
        }
        Ok(!connection.is_in_transaction())
    })
}

impl<D: Dialect> Sql<D> {
    /// Opens the database `url` names (see [`Dialect::connect`]).
    pub async fn connect(url: &str) -> StoreResult<Self> {
        D::connect(url).await.map(Sql::new)
    }

    pub fn new(pool: Pool<D::DB>) -> Self {
        Sql { pool }
    }

    /// Closes every connection (so the database can be dropped, in tests).
    pub async fn close_pool(&self) {
        self.pool.close().await;
    }

    pub fn pool(&self) -> &Pool<D::DB> {
        &self.pool
    }

    /// How busy the pool is now (the server's `/metrics`).
    pub fn usage(&self) -> PoolUsage {
        PoolUsage { size: self.pool.size(), idle: self.pool.num_idle(), max: self.pool.options().get_max_connections() }
    }
}

impl<D: Dialect> Sql<D>
where
    <D::DB as Database>::Connection: sqlx::migrate::Migrate,
{
    /// What keeps the schema from being the dialect's [`Dialect::migrator`] (empty when current).
    pub async fn migrations_behind(&self) -> StoreResult<Vec<String>> {
        use sqlx::migrate::Migrate as _;
        let migrate = |e: sqlx::migrate::MigrateError| StoreError::Database(e.to_string());
        let mut connection = self.pool.acquire().await.map_err(db)?;
        let dirty = connection.dirty_version().await.map_err(migrate)?;
        let applied = connection.list_applied_migrations().await.map_err(migrate)?;
        Ok(migrations_behind(D::migrator(), dirty, &applied))
    }
}

/// A connection pool's connections: open, idle among them, and the most it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUsage {
    pub size: u32,
    pub idle: usize,
    pub max: u32,
}

/// What keeps a database's schema from being the one a binary embeds (`/readyz`): a migration
/// failed, not applied, applied but unknown to this binary (a newer one migrated it), or
/// changed since it was applied. Empty when the schema is current.
pub fn migrations_behind(
    embedded: &sqlx::migrate::Migrator,
    dirty: Option<i64>,
    applied: &[sqlx::migrate::AppliedMigration],
) -> Vec<String> {
    let mut problems: Vec<String> = dirty.map(|v| format!("migration {v} failed")).into_iter().collect();
    let ups: Vec<&sqlx::migrate::Migration> = embedded.iter().filter(|m| !m.migration_type.is_down_migration()).collect();
    for migration in &ups {
        match applied.iter().find(|a| a.version == migration.version) {
            None => problems.push(format!("migration {} not applied", migration.version)),
            Some(a) if a.checksum != migration.checksum => problems.push(format!("migration {} changed since applied", migration.version)),
            Some(_) => {}
        }
    }
    for unknown in applied.iter().filter(|a| !ups.iter().any(|m| m.version == a.version)) {
        problems.push(format!("migration {} applied by a newer certif", unknown.version));
    }
    problems
}

// The sqlx capabilities the shared SQL needs of a backend (every sqlx driver has them):
// `#[sqlx_bounds]` adds them to each `impl` block holding SQL.
#[sqlx_bounds]
impl<D: Dialect> Sql<D> {
    /// Opens a write transaction with the dialect's `WRITE_BEGIN` statements. sqlx's
    /// `Transaction` rolls back when dropped.
    pub(crate) async fn begin_write(pool: &Pool<D::DB>) -> StoreResult<Transaction<'static, D::DB>> {
        let (begin, lock) = D::WRITE_BEGIN.split_first().expect("a write transaction has a BEGIN statement");
        let mut transaction = pool.begin_with(*begin).await.map_err(db)?;
        for statement in lock {
            sqlx::query(statement).execute(&mut *transaction).await.map_err(db)?;
        }
        Ok(transaction)
    }

    /// Ends a write transaction: commits when the work succeeded and `commit` is set, rolls
    /// back otherwise (the work's error, if any, is the one reported).
    pub(crate) async fn end_write<T>(transaction: Transaction<'static, D::DB>, result: StoreResult<T>, commit: bool) -> StoreResult<T> {
        match result {
            Ok(value) if commit => {
                transaction.commit().await.map_err(db)?;
                Ok(value)
            }
            result => {
                let rolled_back = transaction.rollback().await.map_err(db);
                let value = result?;
                rolled_back?;
                Ok(value)
            }
        }
    }

    /// One write transaction, in one place: committed only when `work` succeeds (and `commit`
    /// is set), rolled back otherwise. sqlx's `Transaction` also rolls back when this future is
    /// dropped half-way, and the pool's release hook (`released_outside_a_transaction`) closes a
    /// connection that would still be inside one.
    async fn transact<T, F>(pool: &Pool<D::DB>, commit: bool, work: F) -> StoreResult<T>
    where
        F: for<'c> FnOnce(&'c mut Conn<D>) -> Work<'c, T>,
    {
        let mut transaction = Self::begin_write(pool).await?;
        let result = work(&mut transaction).await;
        Self::end_write(transaction, result, commit).await
    }

    /// Runs `work` in a write transaction on a task of its own: a caller that goes away (a
    /// request whose client hung up) cannot stop a write half-way; it commits or rolls back
    /// whole, data and audit rows together.
    pub(crate) async fn write<T, F>(&self, commit: bool, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut Conn<D>) -> Work<'c, T> + Send + 'static,
    {
        let pool = self.pool.clone();
        match tokio::spawn(async move { Self::transact(&pool, commit, work).await }).await {
            Ok(result) => result,
            Err(stopped) if stopped.is_panic() => std::panic::resume_unwind(stopped.into_panic()),
            Err(stopped) => Err(StoreError::Database(format!("l'écriture a été interrompue : {stopped}"))),
        }
    }

    /// Appends the changes to the audit log, chained onto its head, and moves the head: in the
    /// caller's transaction, with the data it audits.
    pub(crate) async fn write_audit(connection: &mut Conn<D>, changes: &[Change], actor: &str) -> StoreResult<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let head = sqlx::query("SELECT count, hash FROM audit_head WHERE id = 1").fetch_one(&mut *connection).await.map_err(db)?;
        let head: (i64, String) = (head.try_get(0).map_err(db)?, head.try_get(1).map_err(db)?);
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let entries = crate::batch::audit_entries(changes, head, &at, actor);
        for chunk in entries.chunks(sql::rows_per_statement(sql::AUDIT_COLUMNS.len())) {
            let statement = sql::insert_audit(D::PLACEHOLDERS, chunk.len());
            let mut query = sqlx::query(&statement);
            for e in chunk {
                query = query
                    .bind(e.seq)
                    .bind(&e.at)
                    .bind(&e.actor)
                    .bind(&e.entity)
                    .bind(&e.entity_key)
                    .bind(&e.learner_id)
                    .bind(&e.before)
                    .bind(&e.after)
                    .bind(&e.prev_hash)
                    .bind(&e.hash);
            }
            query.execute(&mut *connection).await.map_err(db)?;
        }
        if let Some(last) = entries.last() {
            sqlx::query(&in_dialect::<D>("UPDATE audit_head SET count = ?, hash = ? WHERE id = 1"))
                .bind(last.seq)
                .bind(&last.hash)
                .execute(&mut *connection)
                .await
                .map_err(db)?;
        }
        Ok(())
    }
}
