//! The SQL behind [`ConfigStore`](crate::config::ConfigStore), for every backend.

use sqlx::Row as _;

use crate::batch::Change;
use crate::dialect::{Conn, Dialect, Sql, db, in_dialect, sqlx_bounds};
use crate::{StoreError, StoreResult};

fn value_json(value: &str) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Database(e.to_string()))
}

#[sqlx_bounds]
impl<D: Dialect> Sql<D> {
    pub async fn set_config(&self, key: &str, value: &str, actor: &str) -> StoreResult<()> {
        let (key, value, actor) = (key.to_string(), value.to_string(), actor.to_string());
        self.write(true, move |connection| {
            Box::pin(async move {
                let before: Option<String> = sqlx::query_scalar(&in_dialect::<D>("SELECT value FROM config WHERE key = ?"))
                    .bind(&key)
                    .fetch_optional(&mut *connection)
                    .await
                    .map_err(db)?;
                let statement = if before.is_some() {
                    "UPDATE config SET value = ? WHERE key = ?"
                } else {
                    "INSERT INTO config (value, key) VALUES (?, ?)"
                };
                sqlx::query(&in_dialect::<D>(statement)).bind(&value).bind(&key).execute(&mut *connection).await.map_err(db)?;
                let change = Change {
                    entity: crate::config::AUDITED,
                    entity_key: key.clone(),
                    learner_id: None,
                    before: before.as_deref().map(value_json).transpose()?,
                    after: value_json(&value)?,
                };
                Self::write_audit(connection, &[change], &actor).await
            })
        })
        .await
    }

    pub async fn config(&self, key: &str) -> StoreResult<Option<String>> {
        sqlx::query_scalar(&in_dialect::<D>("SELECT value FROM config WHERE key = ?"))
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)
    }

    pub async fn configs(&self) -> StoreResult<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT key, value FROM config ORDER BY key").fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(|row| Ok((row.try_get(0).map_err(db)?, row.try_get(1).map_err(db)?))).collect()
    }

    /// Every setting as the audit check reads it: `(entity, key, value as JSON)`.
    pub(crate) async fn read_config_rows(connection: &mut Conn<D>) -> StoreResult<Vec<(&'static str, String, String)>> {
        let rows = sqlx::query("SELECT key, value FROM config").fetch_all(&mut *connection).await.map_err(db)?;
        rows.iter()
            .map(|row| {
                let value: String = row.try_get(1).map_err(db)?;
                Ok((crate::config::AUDITED, row.try_get(0).map_err(db)?, value_json(&value)?))
            })
            .collect()
    }
}
