//! The SQL behind [`Store`](crate::Store), for every backend: the record tables (statement
//! text in `sql.rs`), batches, curricula and the audit log's reads. Writes go through
//! [`Sql::write`](crate::dialect::Sql) (`dialect.rs`), which owns the write transaction.

use sqlx::{ColumnIndex, Decode, Row as _, Type};

use crate::audit::AuditEntry;
use crate::batch::{self, Change};
use crate::dialect::{Conn, DbRow, Dialect, Sql, db, in_dialect, sqlx_bounds};
use crate::record::{Record, TABLES, Table};
use crate::{ApplySummary, AuditSnapshot, Progress, StoreError, StoreResult, StoredCurriculum, VersionedRecord, no_progress, sql};

/// A record from a row of `key…, values…` (and anything after them).
fn record_of_row<R: sqlx::Row>(table: &Table, row: &R) -> StoreResult<Record>
where
    usize: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<String>: Decode<'r, R::Database> + Type<R::Database>,
{
    record_at(table, row, 0)
}

/// The record whose key and value columns start at column `first` of `row`.
fn record_at<R: sqlx::Row>(table: &Table, row: &R, first: usize) -> StoreResult<Record>
where
    usize: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<String>: Decode<'r, R::Database> + Type<R::Database>,
{
    let width = table.key.len();
    let key: Vec<String> = (0..width).map(|i| row.try_get::<String, _>(first + i)).collect::<Result<_, _>>().map_err(db)?;
    let values: Vec<Option<String>> =
        (0..table.values.len()).map(|i| row.try_get::<Option<String>, _>(first + width + i)).collect::<Result<_, _>>().map_err(db)?;
    Record::from_row(table, &key, &values).map_err(StoreError::Database)
}

#[sqlx_bounds]
impl<D: Dialect> Sql<D> {
    /// `SELECT … WHERE learner_id IN (…)` over `ids` in chunks, each row handed to `row`.
    async fn select_by_learners(
        connection: &mut Conn<D>,
        ids: &[&str],
        statement: impl Fn(usize) -> String,
        mut row: impl FnMut(&DbRow<D>) -> StoreResult<()>,
    ) -> StoreResult<()> {
        for chunk in ids.chunks(500) {
            let text = statement(chunk.len());
            let mut query = sqlx::query(&text);
            for id in chunk {
                query = query.bind(*id);
            }
            for fetched in query.fetch_all(&mut *connection).await.map_err(db)? {
                row(&fetched)?;
            }
        }
        Ok(())
    }

    /// Reads what a batch touches (its learners' stored rows in the tables it writes), refusing a
    /// batch that refers to a learner neither stored nor created by the batch.
    async fn fetch_touched(connection: &mut Conn<D>, records: &[Record]) -> StoreResult<batch::Stored> {
        let referenced = batch::referenced_learners(records);
        let mut existing = std::collections::HashSet::new();
        let exists =
            |n: usize| in_dialect::<D>(&format!("SELECT learner_id FROM learners WHERE learner_id IN ({})", vec!["?"; n].join(", ")));
        Self::select_by_learners(connection, &referenced, exists, |row| {
            existing.insert(row.try_get::<String, _>(0).map_err(db)?);
            Ok(())
        })
        .await?;
        if let Some(missing) =
            records.iter().map(|r| r.learner_id()).find(|id| referenced.binary_search(id).is_ok() && !existing.contains(*id))
        {
            return Err(StoreError::Invalid(format!("apprenant {missing} : inconnu (importez d'abord les apprenants)")));
        }
        let mut stored = batch::Stored::default();
        for table in TABLES {
            let mut learners: Vec<&str> = records.iter().filter(|r| r.table().name == table.name).map(|r| r.learner_id()).collect();
            learners.sort_unstable();
            learners.dedup();
            Self::select_by_learners(
                connection,
                &learners,
                |n| sql::select_learners(table, D::PLACEHOLDERS, n),
                |row| {
                    let version: i64 = row.try_get(table.key.len() + table.values.len()).map_err(db)?;
                    stored.insert(VersionedRecord { record: record_of_row(table, row)?, version });
                    Ok(())
                },
            )
            .await?;
        }
        Ok(stored)
    }

    /// Writes a planned batch: each changed row once (multi-row upserts, learners first), then its
    /// audit entries. `progress` hears how many rows of the batch are written so far.
    async fn write_plan(connection: &mut Conn<D>, plan: &batch::Plan, actor: &str, progress: &Progress) -> StoreResult<()> {
        let total = plan.rows.len();
        let mut done = 0;
        for group in plan.rows.chunk_by(|a, b| a.table.name == b.table.name) {
            let table = group[0].table;
            for chunk in group.chunks(sql::rows_per_statement(table.key.len() + table.values.len() + 1)) {
                let statement = sql::upsert(table, D::PLACEHOLDERS, chunk.len());
                let mut query = sqlx::query(&statement);
                for final_row in chunk {
                    for part in final_row.row.record.key() {
                        query = query.bind(part);
                    }
                    for value in final_row.row.record.values() {
                        query = query.bind(value);
                    }
                    query = query.bind(final_row.row.version);
                }
                query.execute(&mut *connection).await.map_err(db)?;
                done += chunk.len();
                progress(done, total);
            }
        }
        Self::write_audit(connection, &plan.changes, actor).await
    }

    /// Plans and writes one batch inside the caller's transaction.
    async fn write_batch(
        connection: &mut Conn<D>,
        records: Vec<Record>,
        expected_version: Option<i64>,
        actor: &str,
        progress: &Progress,
    ) -> StoreResult<batch::Plan> {
        let stored = Self::fetch_touched(connection, &records).await?;
        let plan = batch::plan(records, stored, expected_version)?;
        Self::write_plan(connection, &plan, actor, progress).await?;
        Ok(plan)
    }

    /// Every stored record, grouped by learner in id order, each group the learner record first.
    async fn read_all_records(connection: &mut Conn<D>) -> StoreResult<Vec<(String, Vec<Record>)>> {
        let mut learners: Vec<(String, Vec<Record>)> = Vec::new();
        let mut index = std::collections::HashMap::new();
        for table in TABLES {
            let statement = sql::select_all(table);
            for row in sqlx::query(&statement).fetch_all(&mut *connection).await.map_err(db)? {
                let record = record_of_row(table, &row)?;
                let id = record.learner_id().to_string();
                let at = match index.get(&id) {
                    Some(at) => *at,
                    None => {
                        index.insert(id.clone(), learners.len());
                        learners.push((id, Vec::new()));
                        learners.len() - 1
                    }
                };
                learners[at].1.push(record);
            }
        }
        // In Rust, not SQL: PostgreSQL's collation may order text unlike SQLite's bytes.
        learners.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(learners)
    }

    /// The audit log, oldest first, optionally only the entries about one learner.
    async fn read_audit_log(connection: &mut Conn<D>, learner_id: Option<&str>) -> StoreResult<Vec<AuditEntry>> {
        let base = "SELECT seq, at, actor, entity, entity_key, learner_id, before, after, prev_hash, hash FROM audit_log";
        let rows = match learner_id {
            Some(id) => {
                sqlx::query(&in_dialect::<D>(&format!("{base} WHERE learner_id = ? ORDER BY seq")))
                    .bind(id)
                    .fetch_all(&mut *connection)
                    .await
            }
            None => sqlx::query(&format!("{base} ORDER BY seq")).fetch_all(&mut *connection).await,
        }
        .map_err(db)?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
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

    /// The audit head: how many entries were written, and the last one's hash.
    async fn read_audit_head(connection: &mut Conn<D>) -> StoreResult<(i64, String)> {
        let row = sqlx::query("SELECT count, hash FROM audit_head WHERE id = 1").fetch_one(&mut *connection).await.map_err(db)?;
        Ok((row.try_get(0).map_err(db)?, row.try_get(1).map_err(db)?))
    }

    pub async fn save_curriculum(&self, curriculum: StoredCurriculum, modules: Vec<String>, actor: &str) -> StoreResult<()> {
        let actor = actor.to_string();
        self.write(true, move |connection| {
            Box::pin(async move {
                let latest: Option<String> = sqlx::query_scalar(&in_dialect::<D>("SELECT id FROM curricula WHERE certification = ? ORDER BY seq DESC LIMIT 1"))
                    .bind(&curriculum.certification)
                    .fetch_optional(&mut *connection)
                    .await
                    .map_err(db)?;
                let follows_it = if latest.as_deref() == Some(curriculum.id.as_str()) { "(l.curriculum = ? OR l.curriculum IS NULL)" } else { "l.curriculum = ?" };
                let marked: Vec<String> = sqlx::query_scalar(&in_dialect::<D>(&format!(
                    "SELECT DISTINCT m.module FROM marks m JOIN learners l ON l.learner_id = m.learner_id WHERE {follows_it} AND (m.session1 IS NOT NULL OR m.session2 IS NOT NULL) ORDER BY m.module"
                )))
                .bind(&curriculum.id)
                .fetch_all(&mut *connection)
                .await
                .map_err(db)?;
                let removed: Vec<&String> = marked.iter().filter(|m| !modules.contains(m)).collect();
                if !removed.is_empty() {
                    let names: Vec<&str> = removed.iter().map(|m| m.as_str()).collect();
                    return Err(StoreError::Invalid(format!(
                        "la maquette {} retirerait des modules où des apprenants ont des notes : {}",
                        curriculum.id,
                        names.join(", ")
                    )));
                }
                let previous: Option<String> = sqlx::query_scalar(&in_dialect::<D>("SELECT source FROM curricula WHERE id = ?")).bind(&curriculum.id).fetch_optional(&mut *connection).await.map_err(db)?;
                if previous.as_deref() == Some(curriculum.source.as_str()) {
                    return Ok(());
                }
                sqlx::query(&in_dialect::<D>("DELETE FROM curricula WHERE id = ?")).bind(&curriculum.id).execute(&mut *connection).await.map_err(db)?;
                sqlx::query(&in_dialect::<D>("INSERT INTO curricula (id, certification, source, loaded_at) VALUES (?, ?, ?, ?)"))
                    .bind(&curriculum.id)
                    .bind(&curriculum.certification)
                    .bind(&curriculum.source)
                    .bind(&curriculum.loaded_at)
                    .execute(&mut *connection)
                    .await
                    .map_err(db)?;
                let as_json = |source: &str| {
                    serde_json::json!({"certification": curriculum.certification, "source": source}).to_string()
                };
                let change = Change {
                    entity: "curricula",
                    entity_key: curriculum.id.clone(),
                    learner_id: None,
                    before: previous.as_deref().map(as_json),
                    after: as_json(&curriculum.source),
                };
                Self::write_audit(connection, &[change], &actor).await
            })
        })
        .await
    }

    pub async fn curricula(&self) -> StoreResult<Vec<StoredCurriculum>> {
        let rows = sqlx::query("SELECT id, certification, source, loaded_at FROM curricula ORDER BY seq")
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|row| {
                Ok(StoredCurriculum {
                    id: row.try_get(0).map_err(db)?,
                    certification: row.try_get(1).map_err(db)?,
                    source: row.try_get(2).map_err(db)?,
                    loaded_at: row.try_get(3).map_err(db)?,
                })
            })
            .collect()
    }

    pub async fn apply_with_progress(
        &self,
        records: Vec<Record>,
        actor: &str,
        dry_run: bool,
        progress: Progress,
    ) -> StoreResult<ApplySummary> {
        let actor = actor.to_string();
        self.write(!dry_run, move |connection| {
            Box::pin(async move { Ok(Self::write_batch(connection, records, None, &actor, &progress).await?.summary) })
        })
        .await
    }

    pub async fn learner_ids(&self) -> StoreResult<Vec<String>> {
        sqlx::query_scalar("SELECT learner_id FROM learners ORDER BY learner_id").fetch_all(&self.pool).await.map_err(db)
    }

    pub async fn records_of(&self, learner_id: &str) -> StoreResult<Vec<Record>> {
        Ok(self.versioned_records_of(learner_id).await?.into_iter().map(|v| v.record).collect())
    }

    pub async fn versioned_records_of(&self, learner_id: &str) -> StoreResult<Vec<VersionedRecord>> {
        if !D::ONE_STATEMENT_A_LEARNER {
            let mut connection = self.pool.acquire().await.map_err(db)?;
            let mut records = Vec::new();
            for table in TABLES {
                let statement = sql::select_learner(table, D::PLACEHOLDERS);
                for row in sqlx::query(&statement).bind(learner_id).fetch_all(&mut *connection).await.map_err(db)? {
                    let version: i64 = row.try_get(table.key.len() + table.values.len()).map_err(db)?;
                    records.push(VersionedRecord { record: record_of_row(table, &row)?, version });
                }
            }
            return Ok(records);
        }
        let statement = sql::select_whole_learner(&TABLES, D::PLACEHOLDERS);
        let mut query = sqlx::query(&statement);
        for _ in TABLES {
            query = query.bind(learner_id);
        }
        let rows = query.fetch_all(&self.pool).await.map_err(db)?;
        let mut records = Vec::with_capacity(rows.len());
        for row in &rows {
            let t: i64 = row.try_get(0).map_err(db)?;
            let table = usize::try_from(t).ok().and_then(|t| TABLES.get(t)).ok_or_else(|| StoreError::Database(format!("table {t}?")))?;
            let version: i64 = row.try_get(1).map_err(db)?;
            records.push(VersionedRecord { record: record_at(table, row, 2)?, version });
        }
        Ok(records)
    }

    pub async fn mark_versions(&self, module: &str) -> StoreResult<Vec<(String, i64)>> {
        let rows = sqlx::query(&in_dialect::<D>("SELECT learner_id, version FROM marks WHERE module = ?"))
            .bind(module)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(|row| Ok((row.try_get(0).map_err(db)?, row.try_get(1).map_err(db)?))).collect()
    }

    pub async fn period_versions(&self, learner_id: &str) -> StoreResult<Vec<(String, i64)>> {
        let rows = sqlx::query(&in_dialect::<D>("SELECT period_id, version FROM company_periods WHERE learner_id = ?"))
            .bind(learner_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(|row| Ok((row.try_get(0).map_err(db)?, row.try_get(1).map_err(db)?))).collect()
    }

    pub async fn all_records(&self) -> StoreResult<Vec<(String, Vec<Record>)>> {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        Self::read_all_records(&mut connection).await
    }

    pub async fn records_page(&self, after: Option<&str>, limit: usize) -> StoreResult<Vec<(String, Vec<Record>)>> {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        let order = D::BYTE_ORDER;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let ids: Vec<String> = match after {
            Some(after) => {
                let statement = format!("SELECT learner_id FROM learners WHERE learner_id {order} > ? ORDER BY learner_id {order} LIMIT ?");
                sqlx::query_scalar(&in_dialect::<D>(&statement)).bind(after).bind(limit).fetch_all(&mut *connection).await
            }
            None => {
                let statement = format!("SELECT learner_id FROM learners ORDER BY learner_id {order} LIMIT ?");
                sqlx::query_scalar(&in_dialect::<D>(&statement)).bind(limit).fetch_all(&mut *connection).await
            }
        }
        .map_err(db)?;
        let index: std::collections::HashMap<&str, usize> = ids.iter().enumerate().map(|(at, id)| (id.as_str(), at)).collect();
        let keys: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut groups: Vec<Vec<Record>> = vec![Vec::new(); ids.len()];
        // Learners first: each group starts with its learner record, as in `all_records`.
        for table in TABLES {
            Self::select_by_learners(
                &mut connection,
                &keys,
                |n| sql::select_learners_ordered(table, D::PLACEHOLDERS, n),
                |row| {
                    let record = record_of_row(table, row)?;
                    if let Some(at) = index.get(record.learner_id()) {
                        groups[*at].push(record);
                    }
                    Ok(())
                },
            )
            .await?;
        }
        Ok(ids.iter().cloned().zip(groups).collect())
    }

    pub async fn put_versioned(&self, record: Record, expected_version: Option<i64>, actor: &str) -> StoreResult<VersionedRecord> {
        let actor = actor.to_string();
        self.write(true, move |connection| {
            Box::pin(async move {
                let plan = Self::write_batch(connection, vec![record], expected_version, &actor, &no_progress()).await?;
                plan.written.into_iter().next().ok_or_else(|| StoreError::Database("a write of one record wrote nothing".into()))
            })
        })
        .await
    }

    pub async fn audit_log(&self, learner_id: Option<&str>) -> StoreResult<Vec<AuditEntry>> {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        Self::read_audit_log(&mut connection, learner_id).await
    }

    pub async fn audit_head(&self) -> StoreResult<(i64, String)> {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        Self::read_audit_head(&mut connection).await
    }

    pub async fn audit_snapshot(&self) -> StoreResult<AuditSnapshot> {
        let mut snapshot = self.pool.begin_with(D::SNAPSHOT).await.map_err(db)?;
        let entries = Self::read_audit_log(&mut snapshot, None).await?;
        let head = Self::read_audit_head(&mut snapshot).await?;
        let records = Self::read_all_records(&mut snapshot).await?.into_iter().flat_map(|(_, records)| records).collect();
        let mut rows = Self::read_jury_rows(&mut snapshot).await?;
        rows.extend(Self::read_config_rows(&mut snapshot).await?);
        rows.extend(Self::read_declaration_rows(&mut snapshot).await?);
        rows.extend(Self::read_insertion_rows(&mut snapshot).await?);
        rows.extend(Self::read_credential_rows(&mut snapshot).await?);
        rows.extend(Self::read_document_rows(&mut snapshot).await?);
        snapshot.rollback().await.map_err(db)?;
        Ok(AuditSnapshot { entries, head, records, rows })
    }

    pub async fn check_writable(&self) -> StoreResult<()> {
        // The smallest real write, rolled back: SQLite opened read-only still grants `BEGIN
        // IMMEDIATE`, and refuses only the write itself.
        self.write(false, |connection| {
            Box::pin(async move {
                sqlx::query("UPDATE audit_head SET count = count WHERE id = 1").execute(&mut *connection).await.map_err(db)?;
                Ok(())
            })
        })
        .await
    }
}
