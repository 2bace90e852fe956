//! certif's storage on SQLite, the embedded default: one file, WAL journal, foreign keys on,
//! migrations run on connect. Writes take the database's write lock at `BEGIN IMMEDIATE`, so
//! concurrent writers queue instead of failing half-way.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use certif_store::dialect::{Dialect, Sql, db, released_outside_a_transaction};
use certif_store::fiches::SearchDialect;
use certif_store::sql::Placeholders;
use certif_store::{StoreError, StoreResult};
use sqlx::Sqlite;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteQueryResult};

/// A certif database in one SQLite file: the shared SQL in SQLite's dialect.
pub type SqliteStore = Sql<SqliteDialect>;

/// SQLite's SQL: `?` placeholders, `BEGIN IMMEDIATE` writes, FTS5 search.
#[derive(Debug)]
pub enum SqliteDialect {}

/// The schema this binary brings, applied on connect.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl Dialect for SqliteDialect {
    type DB = Sqlite;
    const PLACEHOLDERS: Placeholders = Placeholders::Question;
    // SQLite takes its write lock at `BEGIN IMMEDIATE`: concurrent writers queue for it.
    const WRITE_BEGIN: &'static [&'static str] = &["BEGIN IMMEDIATE"];
    // A deferred `BEGIN` reads one snapshot (WAL) from its first read on.
    const SNAPSHOT: &'static str = "BEGIN";
    const SEARCH: SearchDialect = SEARCH;
    const BYTE_ORDER: &'static str = "COLLATE BINARY";
    const ONE_STATEMENT_A_LEARNER: bool = false;

    fn migrator() -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }

    fn rows_affected(result: &SqliteQueryResult) -> u64 {
        result.rows_affected()
    }

    /// Opens (creating it if needed) `sqlite://path` and brings its schema up to date.
    async fn connect(url: &str) -> StoreResult<SqlitePool> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(db)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .after_release(released_outside_a_transaction::<Sqlite>)
            .connect_with(options)
            .await
            .map_err(db)?;
        MIGRATOR.run(&pool).await.map_err(|e| StoreError::Database(e.to_string()))?;
        Ok(pool)
    }
}

/// A consistent copy of the live database in a new file (SQLite's `VACUUM INTO`).
pub async fn backup_to(store: &SqliteStore, path: &Path) -> StoreResult<()> {
    if path.exists() {
        return Err(StoreError::Invalid(format!("{} : existe déjà", path.display())));
    }
    sqlx::query("VACUUM INTO ?").bind(path.to_string_lossy().into_owned()).execute(store.pool()).await.map_err(db)?;
    Ok(())
}

/// FTS5 over the `fiches_fts` index the migration keeps in step with `fiches`.
const SEARCH: SearchDialect = SearchDialect {
    join: "JOIN fiches_fts ON fiches_fts.rowid = f.rowid",
    condition: "fiches_fts MATCH ?",
    order: "fiches_fts.rank",
    rank_binds_query: false,
    query: certif_store::fiches::fts5_query,
};
