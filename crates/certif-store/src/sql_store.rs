//! One SQL implementation of [`Store`](crate::Store) for every sqlx backend. The backends'
//! SQL differs only in placeholders (`?` / `$1`) and in how a write transaction takes its lock,
//! so the code is written once, here, and each backend crate instantiates it with its types.

/// Implements `Store` for `$store` (a struct with a `pool` field) over `$conn` connections,
/// with `$style` placeholders and the `$begin` statements opening each write transaction.
#[macro_export]
macro_rules! sql_store {
    ($store:ident, $conn:ty, $style:expr, $begin:expr) => {
use sqlx::Row as _;

fn db(error: sqlx::Error) -> $crate::StoreError {
    $crate::StoreError::Database(error.to_string())
}

impl $store {
    /// Runs `work` inside the backend's write transaction, rolling back on any error (or
    /// when `commit` is false, for dry runs).
    async fn write<T, F>(&self, commit: bool, work: F) -> StoreResult<T>
    where
        F: for<'c> FnOnce(&'c mut $conn) -> std::pin::Pin<Box<dyn std::future::Future<Output = StoreResult<T>> + Send + 'c>>,
    {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        for statement in $begin {
            sqlx::query(statement).execute(&mut *connection).await.map_err(db)?;
        }
        let result = work(&mut connection).await;
        let end = if result.is_ok() && commit { "COMMIT" } else { "ROLLBACK" };
        let ended = sqlx::query(end).execute(&mut *connection).await.map_err(db);
        let value = result?;
        ended?;
        Ok(value)
    }
}


async fn fetch_versioned(connection: &mut $conn, table: &$crate::record::Table, key: &[String]) -> $crate::StoreResult<Option<$crate::VersionedRecord>> {
    let statement = $crate::sql::select_one(table, $style);
    let mut query = sqlx::query(&statement);
    for part in key {
        query = query.bind(part);
    }
    let Some(row) = query.fetch_optional(&mut *connection).await.map_err(db)? else { return Ok(None) };
    let values: Vec<Option<String>> =
        (0..table.values.len()).map(|i| row.try_get::<Option<String>, _>(i)).collect::<Result<_, _>>().map_err(db)?;
    let version: i64 = row.try_get(table.values.len()).map_err(db)?;
    let record = $crate::record::Record::from_row(table, key, &values).map_err($crate::StoreError::Database)?;
    Ok(Some($crate::VersionedRecord { record, version }))
}

async fn learner_exists(connection: &mut $conn, learner_id: &str) -> $crate::StoreResult<bool> {
    let found =
        sqlx::query(&$crate::sql::dialect($style, "SELECT 1 FROM learners WHERE learner_id = ?")).bind(learner_id).fetch_optional(&mut *connection).await.map_err(db)?;
    Ok(found.is_some())
}

/// What an audit row is about.
struct Entity<'a> {
    table: &'a str,
    key: String,
    learner_id: Option<&'a str>,
}

impl<'a> Entity<'a> {
    fn of(record: &'a $crate::record::Record) -> Entity<'a> {
        Entity { table: record.table().name, key: record.key().join("/"), learner_id: Some(record.learner_id()) }
    }
}

async fn append_audit(
    connection: &mut $conn,
    actor: &str,
    entity: Entity<'_>,
    before: Option<String>,
    after: Option<String>,
) -> $crate::StoreResult<()> {
    let head = sqlx::query("SELECT count, hash FROM audit_head WHERE id = 1").fetch_one(&mut *connection).await.map_err(db)?;
    let count: i64 = head.try_get(0).map_err(db)?;
    let prev_hash: String = head.try_get(1).map_err(db)?;
    let at = $crate::macro_support::chrono::Utc::now().to_rfc3339_opts($crate::macro_support::chrono::SecondsFormat::Micros, true);
    let seq = count + 1;
    let link = $crate::audit::ChainLink {
        seq,
        at: &at,
        actor,
        entity: entity.table,
        entity_key: &entity.key,
        learner_id: entity.learner_id,
        before: before.as_deref(),
        after: after.as_deref(),
        prev_hash: &prev_hash,
    };
    let hash = link.hash();
    sqlx::query(&$crate::sql::dialect($style, "INSERT INTO audit_log (seq, at, actor, entity, entity_key, learner_id, before, after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
        .bind(seq)
        .bind(&at)
        .bind(actor)
        .bind(entity.table)
        .bind(&entity.key)
        .bind(entity.learner_id)
        .bind(&before)
        .bind(&after)
        .bind(&prev_hash)
        .bind(&hash)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    sqlx::query(&$crate::sql::dialect($style, "UPDATE audit_head SET count = ?, hash = ? WHERE id = 1"))
        .bind(seq)
        .bind(&hash)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    Ok(())
}

/// What writing one record did.
enum Written {
    Inserted(i64),
    Updated(i64),
    Unchanged(i64),
}

/// Writes one record (merged onto what is stored), auditing it when it changed.
async fn write_record(
    connection: &mut $conn,
    record: $crate::record::Record,
    expected_version: Option<i64>,
    actor: &str,
) -> $crate::StoreResult<(Written, $crate::record::Record)> {
    let table = record.table();
    if !matches!(record, $crate::record::Record::Learner(_)) && !learner_exists(connection, record.learner_id()).await? {
        return Err($crate::StoreError::Invalid(format!("learner {} is unknown: import the learners first", record.learner_id())));
    }
    let key = record.key();
    let stored = fetch_versioned(connection, table, &key).await?;
    if let (Some(expected), Some(current)) = (expected_version, &stored)
        && expected != current.version
    {
        return Err($crate::StoreError::Conflict { what: format!("{} {}", table.name, key.join("/")), current_version: current.version });
    }
    let record = record.merged_onto(stored.as_ref().map(|s| &s.record));
    let after = Some(record.values_json());
    match stored {
        Some(current) if current.record == record => Ok((Written::Unchanged(current.version), record)),
        Some(current) => {
            let statement = $crate::sql::update(table, $style);
            let mut query = sqlx::query(&statement);
            for value in record.values() {
                query = query.bind(value);
            }
            for part in &key {
                query = query.bind(part);
            }
            query.execute(&mut *connection).await.map_err(db)?;
            append_audit(connection, actor, Entity::of(&record), Some(current.record.values_json()), after).await?;
            Ok((Written::Updated(current.version + 1), record))
        }
        None => {
            let statement = $crate::sql::insert(table, $style);
            let mut query = sqlx::query(&statement);
            for part in &key {
                query = query.bind(part);
            }
            for value in record.values() {
                query = query.bind(value);
            }
            query.execute(&mut *connection).await.map_err(db)?;
            append_audit(connection, actor, Entity::of(&record), None, after).await?;
            Ok((Written::Inserted(1), record))
        }
    }
}

impl $crate::Store for $store {
    async fn save_curriculum(&self, curriculum: $crate::StoredCurriculum, modules: Vec<String>, actor: &str) -> $crate::StoreResult<()> {
        let actor = actor.to_string();
        self.write(true, move |connection| {
            Box::pin(async move {
                let latest: Option<String> = sqlx::query_scalar(&$crate::sql::dialect($style, "SELECT id FROM curricula WHERE certification = ? ORDER BY seq DESC LIMIT 1"))
                    .bind(&curriculum.certification)
                    .fetch_optional(&mut *connection)
                    .await
                    .map_err(db)?;
                let follows_it = if latest.as_deref() == Some(curriculum.id.as_str()) { "(l.curriculum = ? OR l.curriculum IS NULL)" } else { "l.curriculum = ?" };
                let marked: Vec<String> = sqlx::query_scalar(&$crate::sql::dialect($style, &format!(
                    "SELECT DISTINCT m.module FROM marks m JOIN learners l ON l.learner_id = m.learner_id WHERE {follows_it} AND (m.session1 IS NOT NULL OR m.session2 IS NOT NULL) ORDER BY m.module"
                )))
                .bind(&curriculum.id)
                .fetch_all(&mut *connection)
                .await
                .map_err(db)?;
                let removed: Vec<&String> = marked.iter().filter(|m| !modules.contains(m)).collect();
                if !removed.is_empty() {
                    let names: Vec<&str> = removed.iter().map(|m| m.as_str()).collect();
                    return Err($crate::StoreError::Invalid(format!(
                        "curriculum {} would remove modules that learners have marks in: {}",
                        curriculum.id,
                        names.join(", ")
                    )));
                }
                let previous: Option<String> = sqlx::query_scalar(&$crate::sql::dialect($style, "SELECT source FROM curricula WHERE id = ?")).bind(&curriculum.id).fetch_optional(&mut *connection).await.map_err(db)?;
                if previous.as_deref() == Some(curriculum.source.as_str()) {
                    return Ok(());
                }
                sqlx::query(&$crate::sql::dialect($style, "DELETE FROM curricula WHERE id = ?")).bind(&curriculum.id).execute(&mut *connection).await.map_err(db)?;
                sqlx::query(&$crate::sql::dialect($style, "INSERT INTO curricula (id, certification, source, loaded_at) VALUES (?, ?, ?, ?)"))
                    .bind(&curriculum.id)
                    .bind(&curriculum.certification)
                    .bind(&curriculum.source)
                    .bind(&curriculum.loaded_at)
                    .execute(&mut *connection)
                    .await
                    .map_err(db)?;
                let as_json = |source: &str| {
                    $crate::macro_support::serde_json::json!({"certification": curriculum.certification, "source": source}).to_string()
                };
                let entity = Entity { table: "curricula", key: curriculum.id.clone(), learner_id: None };
                append_audit(connection, &actor, entity, previous.as_deref().map(as_json), Some(as_json(&curriculum.source))).await
            })
        })
        .await
    }

    async fn curricula(&self) -> $crate::StoreResult<Vec<$crate::StoredCurriculum>> {
        let rows = sqlx::query("SELECT id, certification, source, loaded_at FROM curricula ORDER BY seq")
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|row| {
                Ok($crate::StoredCurriculum {
                    id: row.try_get(0).map_err(db)?,
                    certification: row.try_get(1).map_err(db)?,
                    source: row.try_get(2).map_err(db)?,
                    loaded_at: row.try_get(3).map_err(db)?,
                })
            })
            .collect()
    }

    async fn apply(&self, records: Vec<$crate::record::Record>, actor: &str, dry_run: bool) -> $crate::StoreResult<$crate::ApplySummary> {
        let actor = actor.to_string();
        self.write(!dry_run, move |connection| {
            Box::pin(async move {
                let mut summary = $crate::ApplySummary::default();
                for record in records {
                    match write_record(connection, record, None, &actor).await?.0 {
                        Written::Inserted(_) => summary.inserted += 1,
                        Written::Updated(_) => summary.updated += 1,
                        Written::Unchanged(_) => summary.unchanged += 1,
                    }
                }
                Ok(summary)
            })
        })
        .await
    }

    async fn learner_ids(&self) -> $crate::StoreResult<Vec<String>> {
        sqlx::query_scalar("SELECT learner_id FROM learners ORDER BY learner_id").fetch_all(&self.pool).await.map_err(db)
    }

    async fn records_of(&self, learner_id: &str) -> $crate::StoreResult<Vec<$crate::record::Record>> {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        let mut records = Vec::new();
        for table in $crate::record::TABLES {
            let statement = $crate::sql::select_learner(table, $style);
            let rows = sqlx::query(&statement).bind(learner_id).fetch_all(&mut *connection).await.map_err(db)?;
            for row in rows {
                let key: Vec<String> = (0..table.key.len()).map(|i| row.try_get::<String, _>(i)).collect::<Result<_, _>>().map_err(db)?;
                let values: Vec<Option<String>> = (0..table.values.len())
                    .map(|i| row.try_get::<Option<String>, _>(table.key.len() + i))
                    .collect::<Result<_, _>>()
                    .map_err(db)?;
                records.push($crate::record::Record::from_row(table, &key, &values).map_err($crate::StoreError::Database)?);
            }
        }
        Ok(records)
    }

    async fn put_versioned(&self, record: $crate::record::Record, expected_version: Option<i64>, actor: &str) -> $crate::StoreResult<$crate::VersionedRecord> {
        let actor = actor.to_string();
        self.write(true, move |connection| {
            Box::pin(async move {
                let (written, record) = write_record(connection, record, expected_version, &actor).await?;
                let version = match written {
                    Written::Inserted(v) | Written::Updated(v) | Written::Unchanged(v) => v,
                };
                Ok($crate::VersionedRecord { record, version })
            })
        })
        .await
    }

    async fn audit_log(&self, learner_id: Option<&str>) -> $crate::StoreResult<Vec<$crate::audit::AuditEntry>> {
        let base = "SELECT seq, at, actor, entity, entity_key, learner_id, before, after, prev_hash, hash FROM audit_log";
        let rows = match learner_id {
            Some(id) => sqlx::query(&$crate::sql::dialect($style, &format!("{base} WHERE learner_id = ? ORDER BY seq"))).bind(id).fetch_all(&self.pool).await,
            None => sqlx::query(&format!("{base} ORDER BY seq")).fetch_all(&self.pool).await,
        }
        .map_err(db)?;
        rows.iter()
            .map(|row| {
                Ok($crate::audit::AuditEntry {
                    seq: row.try_get(0).map_err(db)?,
                    at: row.try_get(1).map_err(db)?,
                    actor: row.try_get(2).map_err(db)?,
                    entity: row.try_get(3).map_err(db)?,
                    entity_key: row.try_get(4).map_err(db)?,
                    learner_id: row.try_get(5).map_err(db)?,
                    before: row.try_get(6).map_err(db)?,
                    after: row.try_get(7).map_err(db)?,
                    prev_hash: row.try_get(8).map_err(db)?,
                    hash: row.try_get(9).map_err(db)?,
                })
            })
            .collect()
    }

    async fn audit_head(&self) -> $crate::StoreResult<(i64, String)> {
        let row = sqlx::query("SELECT count, hash FROM audit_head WHERE id = 1").fetch_one(&self.pool).await.map_err(db)?;
        Ok((row.try_get(0).map_err(db)?, row.try_get(1).map_err(db)?))
    }
}

    };
}
