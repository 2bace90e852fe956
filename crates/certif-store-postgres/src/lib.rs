//! certif's storage on PostgreSQL, for production. The same schema and the same SQL as SQLite
//! (all values text, so both hold identical data); every write transaction first locks the
//! audit chain's head row, which serialises writers the way SQLite's write lock does.

use std::str::FromStr;

use certif_store::StoreError;
use certif_store::StoreResult;
use certif_store::dialect::{Dialect, Sql, db, released_outside_a_transaction};
use certif_store::fiches::SearchDialect;
use certif_store::sql::Placeholders;
use sqlx::Postgres;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgQueryResult};

/// A certif database on a PostgreSQL server: the shared SQL in PostgreSQL's dialect.
pub type PgStore = Sql<PgDialect>;

/// PostgreSQL's SQL: `$n` placeholders, writes serialised on the audit head's row lock,
/// French full-text search.
#[derive(Debug)]
pub enum PgDialect {}

/// The schema this binary brings, applied on connect.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl Dialect for PgDialect {
    type DB = Postgres;
    const PLACEHOLDERS: Placeholders = Placeholders::Dollar;
    // Every write locks the audit head row first: writers queue, versions are checked under the lock.
    const WRITE_BEGIN: &'static [&'static str] = &["BEGIN", "SELECT count FROM audit_head WHERE id = 1 FOR UPDATE"];
    const SNAPSHOT: &'static str = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    const SEARCH: SearchDialect = SEARCH;
    // Indexed by migration 0016 (`learners_id_bytes`).
    const BYTE_ORDER: &'static str = "COLLATE \"C\"";
    const ONE_STATEMENT_A_LEARNER: bool = true;

    fn migrator() -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }

    fn rows_affected(result: &PgQueryResult) -> u64 {
        result.rows_affected()
    }

    /// Connects to `postgres://…` and brings the schema up to date.
    async fn connect(url: &str) -> StoreResult<PgPool> {
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
        Ok(pool)
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
