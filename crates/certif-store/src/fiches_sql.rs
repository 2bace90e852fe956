//! The SQL behind [`ReferentialStore`](crate::fiches::ReferentialStore), for every backend:
//! only placeholders, the write transaction's opening and the full-text search
//! ([`Dialect::SEARCH`]) differ.

use sqlx::{ColumnIndex, Decode, Encode, Row as _, Type};

use crate::batch::Change;
use crate::dialect::{Conn, Dialect, Sql, db, in_dialect, sqlx_bounds};
use crate::fiches::{FicheImport, FicheQuery, FicheRow, FicheSummary, Links};
use crate::{StoreResult, sql};

/// Fiches written per round trip: documents are large (tens of kB each).
const FICHES_PER_BATCH: usize = 200;

/// What an import has written so far.
#[derive(Default)]
struct ImportProgress {
    summary: FicheImport,
    new_codes: Vec<String>,
    updated_codes: Vec<String>,
}

/// `?, ?, …` for `n` values.
fn fiche_binds(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn fiche_summary<R: sqlx::Row>(row: &R) -> StoreResult<FicheSummary>
where
    usize: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<String>: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<i64>: Decode<'r, R::Database> + Type<R::Database>,
{
    let level: Option<i64> = row.try_get(2).map_err(db)?;
    let active: i64 = row.try_get(3).map_err(db)?;
    Ok(FicheSummary {
        code: row.try_get(0).map_err(db)?,
        title: row.try_get(1).map_err(db)?,
        level: level.and_then(|l| u8::try_from(l).ok()),
        active: active != 0,
        registration_end: row.try_get(4).map_err(db)?,
    })
}

#[sqlx_bounds]
impl<D: Dialect> Sql<D>
where
    for<'q> Vec<u8>: Encode<'q, D::DB> + Decode<'q, D::DB> + Type<D::DB>,
{
    /// Writes one batch of fiches: each compared with the stored document, changed ones upserted
    /// with their codes and links replaced.
    async fn write_fiches(
        connection: &mut Conn<D>,
        mut batch: Vec<FicheRow>,
        progress: &mut ImportProgress,
        imported_at: &str,
    ) -> StoreResult<()> {
        // The same code twice in a batch: the later one stands.
        let mut seen = std::collections::HashSet::new();
        batch.reverse();
        batch.retain(|row| seen.insert(row.code.clone()));
        batch.reverse();
        let statement = in_dialect::<D>(&format!("SELECT code, document FROM fiches WHERE code IN ({})", fiche_binds(batch.len())));
        let mut query = sqlx::query(&statement);
        for row in &batch {
            query = query.bind(&row.code);
        }
        let mut stored = std::collections::HashMap::new();
        for row in query.fetch_all(&mut *connection).await.map_err(db)? {
            stored.insert(row.try_get::<String, _>(0).map_err(db)?, row.try_get::<Vec<u8>, _>(1).map_err(db)?);
        }
        let mut changed = Vec::new();
        for row in batch {
            match stored.get(&row.code) {
                Some(document) if *document == row.document => progress.summary.unchanged += 1,
                Some(_) => {
                    progress.summary.updated += 1;
                    progress.updated_codes.push(row.code.clone());
                    changed.push(row);
                }
                None => {
                    progress.summary.new += 1;
                    progress.new_codes.push(row.code.clone());
                    changed.push(row);
                }
            }
        }
        if changed.is_empty() {
            return Ok(());
        }
        let values = vec![format!("({})", fiche_binds(9)); changed.len()].join(", ");
        let statement = in_dialect::<D>(&format!(
            "INSERT INTO fiches (code, title, level, active, registration_end, blocks, search_text, document, imported_at) VALUES {values} \
             ON CONFLICT (code) DO UPDATE SET title = excluded.title, level = excluded.level, active = excluded.active, \
             registration_end = excluded.registration_end, blocks = excluded.blocks, search_text = excluded.search_text, \
             document = excluded.document, imported_at = excluded.imported_at"
        ));
        let mut query = sqlx::query(&statement);
        for row in &changed {
            query = query
                .bind(&row.code)
                .bind(&row.title)
                .bind(row.level.map(i64::from))
                .bind(i64::from(row.active))
                .bind(&row.registration_end)
                .bind(row.blocks as i64)
                .bind(&row.search_text)
                .bind(&row.document)
                .bind(imported_at);
        }
        query.execute(&mut *connection).await.map_err(db)?;
        for table in ["fiche_codes WHERE code", "fiche_links WHERE declared_by"] {
            let statement = in_dialect::<D>(&format!("DELETE FROM {table} IN ({})", fiche_binds(changed.len())));
            let mut query = sqlx::query(&statement);
            for row in &changed {
                query = query.bind(&row.code);
            }
            query.execute(&mut *connection).await.map_err(db)?;
        }
        let mut codes = std::collections::BTreeSet::new();
        let mut links = std::collections::BTreeSet::new();
        for row in &changed {
            for (kind, value) in &row.codes {
                codes.insert((row.code.as_str(), *kind, value.as_str()));
            }
            for predecessor in &row.predecessors {
                links.insert((predecessor.as_str(), row.code.as_str(), row.code.as_str()));
            }
            for successor in &row.successors {
                links.insert((row.code.as_str(), successor.as_str(), row.code.as_str()));
            }
        }
        let triples = [
            ("fiche_codes (code, kind, value)", codes.into_iter().collect::<Vec<_>>()),
            ("fiche_links (predecessor, successor, declared_by)", links.into_iter().collect()),
        ];
        for (table, rows) in triples {
            for chunk in rows.chunks(sql::rows_per_statement(3)) {
                let values = vec!["(?, ?, ?)"; chunk.len()].join(", ");
                let statement = in_dialect::<D>(&format!("INSERT INTO {table} VALUES {values}"));
                let mut query = sqlx::query(&statement);
                for (a, b, c) in chunk {
                    query = query.bind(*a).bind(*b).bind(*c);
                }
                query.execute(&mut *connection).await.map_err(db)?;
            }
        }
        Ok(())
    }

    /// The whole import inside the caller's transaction.
    async fn import_into<'a>(
        connection: &mut Conn<D>,
        mut fiches: Box<dyn Iterator<Item = StoreResult<FicheRow>> + Send + 'a>,
        source: &str,
        actor: &str,
    ) -> StoreResult<FicheImport> {
        let imported_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut progress = ImportProgress::default();
        let mut batch = Vec::with_capacity(FICHES_PER_BATCH);
        loop {
            let next = fiches.next().transpose()?;
            let finished = next.is_none();
            if let Some(row) = next {
                progress.summary.blocks += row.blocks;
                batch.push(row);
            }
            if batch.len() >= FICHES_PER_BATCH || (finished && !batch.is_empty()) {
                Self::write_fiches(connection, std::mem::take(&mut batch), &mut progress, &imported_at).await?;
            }
            if finished {
                break;
            }
        }
        if !progress.new_codes.is_empty() || !progress.updated_codes.is_empty() {
            let after = serde_json::json!({
                "new": progress.new_codes,
                "updated": progress.updated_codes,
                "unchanged": progress.summary.unchanged,
            });
            let change =
                Change { entity: "fiches", entity_key: source.to_string(), learner_id: None, before: None, after: after.to_string() };
            Self::write_audit(connection, &[change], actor).await?;
        }
        Ok(progress.summary)
    }

    pub async fn import_fiches(
        &self,
        fiches: Box<dyn Iterator<Item = StoreResult<FicheRow>> + Send + '_>,
        source: &str,
        actor: &str,
    ) -> StoreResult<FicheImport> {
        // Not spawned like other writes (the iterator borrows from the caller), but the
        // transaction rolls back whole if this future is dropped.
        let mut transaction = Self::begin_write(&self.pool).await?;
        let result = Self::import_into(&mut transaction, fiches, source, actor).await;
        Self::end_write(transaction, result, true).await
    }

    pub async fn fiche_document(&self, code: &str) -> StoreResult<Option<Vec<u8>>> {
        sqlx::query_scalar(&in_dialect::<D>("SELECT document FROM fiches WHERE code = ?"))
            .bind(code)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)
    }

    pub async fn fiches(&self, query: &FicheQuery) -> StoreResult<Vec<FicheSummary>> {
        let search = D::SEARCH;
        enum Bind {
            Text(String),
            Int(i64),
        }
        let mut statement = String::from("SELECT f.code, f.title, f.level, f.active, f.registration_end FROM fiches f");
        let mut conditions: Vec<&str> = Vec::new();
        let mut binds = Vec::new();
        let text = match query.text.as_deref() {
            Some(words) => match (search.query)(words) {
                Some(text) => Some(text),
                None => return Ok(Vec::new()),
            },
            None => None,
        };
        if let Some(text) = &text {
            if !search.join.is_empty() {
                statement.push(' ');
                statement.push_str(search.join);
            }
            conditions.push(search.condition);
            binds.push(Bind::Text(text.clone()));
        }
        for (kind, value) in [("rome", &query.rome), ("nsf", &query.nsf)] {
            if let Some(value) = value {
                conditions.push(if kind == "rome" {
                    "EXISTS (SELECT 1 FROM fiche_codes c WHERE c.code = f.code AND c.kind = 'rome' AND c.value = ?)"
                } else {
                    "EXISTS (SELECT 1 FROM fiche_codes c WHERE c.code = f.code AND c.kind = 'nsf' AND c.value = ?)"
                });
                binds.push(Bind::Text(value.clone()));
            }
        }
        if let Some(level) = query.level {
            conditions.push("f.level = ?");
            binds.push(Bind::Int(i64::from(level)));
        }
        if query.active_only {
            conditions.push("f.active = 1");
        }
        if !conditions.is_empty() {
            statement.push_str(" WHERE ");
            statement.push_str(&conditions.join(" AND "));
        }
        match &text {
            Some(text) => {
                statement.push_str(" ORDER BY ");
                statement.push_str(search.order);
                statement.push_str(", f.code");
                if search.rank_binds_query {
                    binds.push(Bind::Text(text.clone()));
                }
            }
            None => statement.push_str(" ORDER BY f.code"),
        }
        if let Some(limit) = query.limit {
            statement.push_str(" LIMIT ?");
            binds.push(Bind::Int(limit as i64));
        }
        let statement = in_dialect::<D>(&statement);
        let mut sql = sqlx::query(&statement);
        for bind in binds {
            sql = match bind {
                Bind::Text(text) => sql.bind(text),
                Bind::Int(n) => sql.bind(n),
            };
        }
        let rows = sql.fetch_all(&self.pool).await.map_err(db)?;
        let mut found: Vec<FicheSummary> = rows.iter().map(fiche_summary).collect::<Result<_, _>>()?;
        if text.is_none() {
            // In Rust, not SQL: PostgreSQL's collation may order text unlike SQLite's bytes.
            found.sort_by(|a, b| a.code.cmp(&b.code));
        }
        Ok(found)
    }

    pub async fn links(&self, code: &str) -> StoreResult<Links> {
        let mut links = Links::default();
        for (column, other, into) in
            [("successor", "predecessor", &mut links.predecessors), ("predecessor", "successor", &mut links.successors)]
        {
            let statement = in_dialect::<D>(&format!("SELECT DISTINCT {other} FROM fiche_links WHERE {column} = ?"));
            let mut found: Vec<String> = sqlx::query_scalar(&statement).bind(code).fetch_all(&self.pool).await.map_err(db)?;
            found.sort();
            *into = found;
        }
        Ok(links)
    }

    pub async fn save_overlay(&self, code: &str, source: &str, actor: &str) -> StoreResult<()> {
        let (code, source, actor) = (code.to_string(), source.to_string(), actor.to_string());
        self.write(true, move |connection| {
            Box::pin(async move {
                let previous: Option<String> = sqlx::query_scalar(&in_dialect::<D>("SELECT source FROM overlays WHERE code = ?"))
                    .bind(&code)
                    .fetch_optional(&mut *connection)
                    .await
                    .map_err(db)?;
                if previous.as_deref() == Some(source.as_str()) {
                    return Ok(());
                }
                let loaded_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                sqlx::query(&in_dialect::<D>("INSERT INTO overlays (code, source, loaded_at) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET source = excluded.source, loaded_at = excluded.loaded_at"))
                    .bind(&code)
                    .bind(&source)
                    .bind(&loaded_at)
                    .execute(&mut *connection)
                    .await
                    .map_err(db)?;
                let as_json = |source: &str| serde_json::json!({ "source": source }).to_string();
                let change = Change { entity: "overlays", entity_key: code.clone(), learner_id: None, before: previous.as_deref().map(as_json), after: as_json(&source) };
                Self::write_audit(connection, &[change], &actor).await
            })
        })
        .await
    }

    pub async fn overlay(&self, code: &str) -> StoreResult<Option<String>> {
        sqlx::query_scalar(&in_dialect::<D>("SELECT source FROM overlays WHERE code = ?"))
            .bind(code)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)
    }
}
