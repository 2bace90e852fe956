//! certif's storage on SQLite, the embedded default: one file, WAL journal, foreign keys on,
//! migrations run on connect. Writes take the database's write lock at `BEGIN IMMEDIATE`, so
//! concurrent writers queue instead of failing half-way.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use certif_store::sql::Placeholders;
use certif_store::{StoreError, StoreResult};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

/// A certif database in one SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating it if needed) `sqlite://path` and brings its schema up to date.
    pub async fn connect(url: &str) -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(db)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .after_release(released_outside_a_transaction)
            .connect_with(options)
            .await
            .map_err(db)?;
        sqlx::migrate!("./migrations").run(&pool).await.map_err(|e| StoreError::Database(e.to_string()))?;
        Ok(SqliteStore { pool })
    }

    /// A consistent copy of the live database in a new file (SQLite's `VACUUM INTO`).
    pub async fn backup_to(&self, path: &Path) -> StoreResult<()> {
        if path.exists() {
            return Err(StoreError::Invalid(format!("{} already exists", path.display())));
        }
        sqlx::query("VACUUM INTO ?").bind(path.to_string_lossy().into_owned()).execute(&self.pool).await.map_err(db)?;
        Ok(())
    }
}

// SQLite takes its write lock at `BEGIN IMMEDIATE`: concurrent writers queue for it.
// A deferred `BEGIN` reads one snapshot (WAL) from its first read on.
certif_store::sql_store!(SqliteStore, sqlx::SqliteConnection, Placeholders::Question, ["BEGIN IMMEDIATE"], "BEGIN");

/// FTS5 over the `fiches_fts` index the migration keeps in step with `fiches`.
const SEARCH: certif_store::fiches::SearchDialect = certif_store::fiches::SearchDialect {
    join: "JOIN fiches_fts ON fiches_fts.rowid = f.rowid",
    condition: "fiches_fts MATCH ?",
    order: "fiches_fts.rank",
    rank_binds_query: false,
    query: certif_store::fiches::fts5_query,
};

certif_store::sql_referential_store!(SqliteStore, sqlx::SqliteConnection, Placeholders::Question, SEARCH);

certif_store::sql_account_store!(SqliteStore, sqlx::SqliteConnection, Placeholders::Question);
