//! certif's storage on PostgreSQL, for production. The same schema and the same SQL as SQLite
//! (all values text, so both hold identical data); every write transaction first locks the
//! audit chain's head row, which serialises writers the way SQLite's write lock does.

use certif_store::sql::Placeholders;
use certif_store::{StoreError, StoreResult};
use std::str::FromStr;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// A certif database on a PostgreSQL server.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `postgres://…` and brings the schema up to date.
    pub async fn connect(url: &str) -> StoreResult<PgStore> {
        // The server ends a session left idle inside a transaction: a last guard, should a
        // connection ever escape the pool's release hook, so it cannot hold the audit head's lock.
        let options = PgConnectOptions::from_str(url).map_err(db)?.options([("idle_in_transaction_session_timeout", "60s")]);
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .after_release(released_outside_a_transaction)
            .connect_with(options)
            .await
            .map_err(db)?;
        sqlx::migrate!("./migrations").run(&pool).await.map_err(|e| StoreError::Database(e.to_string()))?;
        Ok(PgStore { pool })
    }

    /// Closes every connection (so the database can be dropped, in tests).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

// Every write locks the audit head row first: writers queue, versions are checked under the lock.
certif_store::sql_store!(
    PgStore,
    sqlx::PgConnection,
    Placeholders::Dollar,
    ["BEGIN", "SELECT count FROM audit_head WHERE id = 1 FOR UPDATE"],
    "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
);

/// French full-text search over the `search` column the migration generates.
const SEARCH: certif_store::fiches::SearchDialect = certif_store::fiches::SearchDialect {
    join: "",
    condition: "f.search @@ plainto_tsquery('french', ?)",
    order: "ts_rank(f.search, plainto_tsquery('french', ?)) DESC",
    rank_binds_query: true,
    query: certif_store::fiches::plain_query,
};

certif_store::sql_referential_store!(PgStore, sqlx::PgConnection, Placeholders::Dollar, SEARCH);

certif_store::sql_account_store!(PgStore, sqlx::PgConnection, Placeholders::Dollar);
