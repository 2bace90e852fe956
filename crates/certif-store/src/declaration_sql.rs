//! The SQL behind [`DeclarationStore`](crate::declaration::DeclarationStore), for every backend.

use std::collections::HashMap;

use sqlx::Row as _;

use crate::batch::Change;
use crate::declaration::{AUDITED, Answer, Declaration, DeclarationState, DeclaredAward};
use crate::dialect::{Conn, DbRow, Dialect, Sql, db, in_dialect, sqlx_bounds};
use crate::sql::{self, rows_per_statement};
use crate::{StoreError, StoreResult};

const COLUMNS: [&str; 9] =
    ["id_technique", "certification", "session_id", "learner_id", "state", "flow_id", "exported_at", "answered_at", "message"];

/// How many awards of a flow are recorded a slice at a time.
const RECORDED_AT_ONCE: usize = 5_000;

fn audit_json(declaration: &Declaration) -> StoreResult<String> {
    serde_json::to_string(declaration).map_err(|e| StoreError::Database(e.to_string()))
}

#[sqlx_bounds]
impl<D: Dialect> Sql<D> {
    fn declaration_of(row: &DbRow<D>) -> StoreResult<Declaration> {
        let text = |i: usize| row.try_get::<String, _>(i).map_err(db);
        let state = text(4)?;
        Ok(Declaration {
            award: DeclaredAward { id_technique: text(0)?, certification: text(1)?, session: text(2)?, learner: text(3)? },
            state: DeclarationState::parse(&state).ok_or_else(|| StoreError::Database(format!("stored declaration state {state:?}")))?,
            flow: text(5)?,
            exported_at: text(6)?,
            answered_at: row.try_get(7).map_err(db)?,
            message: row.try_get(8).map_err(db)?,
        })
    }

    /// The stored rows among `ids`, by idTechnique.
    async fn read_declarations_of(connection: &mut Conn<D>, ids: &[String]) -> StoreResult<HashMap<String, Declaration>> {
        let mut found = HashMap::new();
        for chunk in ids.chunks(rows_per_statement(1)) {
            let statement =
                format!("SELECT {} FROM declarations WHERE id_technique IN ({})", COLUMNS.join(", "), vec!["?"; chunk.len()].join(", "));
            let statement = in_dialect::<D>(&statement);
            let mut query = sqlx::query(&statement);
            for id in chunk {
                query = query.bind(id);
            }
            for row in query.fetch_all(&mut *connection).await.map_err(db)? {
                let declaration = Self::declaration_of(&row)?;
                found.insert(declaration.award.id_technique.clone(), declaration);
            }
        }
        Ok(found)
    }

    async fn read_declarations(connection: &mut Conn<D>, flow: Option<&str>) -> StoreResult<Vec<Declaration>> {
        let mut statement = format!("SELECT {} FROM declarations", COLUMNS.join(", "));
        if flow.is_some() {
            statement.push_str(" WHERE flow_id = ?");
        }
        statement.push_str(" ORDER BY id_technique");
        let statement = in_dialect::<D>(&statement);
        let mut query = sqlx::query(&statement);
        if let Some(flow) = flow {
            query = query.bind(flow);
        }
        query.fetch_all(&mut *connection).await.map_err(db)?.iter().map(Self::declaration_of).collect()
    }

    /// Replaces the rows of `declarations` (deleted, then inserted a statement per chunk).
    async fn replace_declarations(connection: &mut Conn<D>, declarations: &[Declaration]) -> StoreResult<()> {
        for chunk in declarations.chunks(rows_per_statement(1)) {
            let statement = format!("DELETE FROM declarations WHERE id_technique IN ({})", vec!["?"; chunk.len()].join(", "));
            let statement = in_dialect::<D>(&statement);
            let mut query = sqlx::query(&statement);
            for d in chunk {
                query = query.bind(&d.award.id_technique);
            }
            query.execute(&mut *connection).await.map_err(db)?;
        }
        for chunk in declarations.chunks(rows_per_statement(COLUMNS.len())) {
            let statement = format!(
                "INSERT INTO declarations ({}) VALUES {}",
                COLUMNS.join(", "),
                sql::value_rows(D::PLACEHOLDERS, chunk.len(), COLUMNS.len())
            );
            let mut query = sqlx::query(&statement);
            for d in chunk {
                query = query
                    .bind(&d.award.id_technique)
                    .bind(&d.award.certification)
                    .bind(&d.award.session)
                    .bind(&d.award.learner)
                    .bind(d.state.as_str())
                    .bind(&d.flow)
                    .bind(&d.exported_at)
                    .bind(&d.answered_at)
                    .bind(&d.message);
            }
            query.execute(&mut *connection).await.map_err(db)?;
        }
        Ok(())
    }

    /// Writes `after` over what `before` held, with one audit entry a row.
    async fn write_declarations(
        connection: &mut Conn<D>,
        before: &HashMap<String, Declaration>,
        after: Vec<Declaration>,
        actor: &str,
    ) -> StoreResult<()> {
        Self::replace_declarations(connection, &after).await?;
        let mut changes = Vec::with_capacity(after.len());
        for declaration in &after {
            changes.push(Change {
                entity: AUDITED,
                entity_key: declaration.award.id_technique.clone(),
                learner_id: Some(declaration.award.learner.clone()),
                before: before.get(&declaration.award.id_technique).map(audit_json).transpose()?,
                after: audit_json(declaration)?,
            });
        }
        Self::write_audit(connection, &changes, actor).await
    }

    pub async fn record_export(&self, flow: &str, exported_at: &str, awards: Vec<DeclaredAward>, actor: &str) -> StoreResult<usize> {
        let (flow, exported_at, actor) = (flow.to_string(), exported_at.to_string(), actor.to_string());
        self.write(true, move |connection| {
            Box::pin(async move {
                let mut seen = std::collections::HashSet::with_capacity(awards.len());
                if let Some(twice) = awards.iter().find(|a| !seen.insert(a.id_technique.as_str())) {
                    return Err(StoreError::Invalid(format!("attribution {} : deux fois dans un même flux", twice.id_technique)));
                }
                drop(seen);
                let count = awards.len();
                // A slice at a time, in the one transaction: what is held stays small.
                let mut awards = awards.into_iter().peekable();
                while awards.peek().is_some() {
                    let slice: Vec<DeclaredAward> = awards.by_ref().take(RECORDED_AT_ONCE).collect();
                    let ids: Vec<String> = slice.iter().map(|a| a.id_technique.clone()).collect();
                    let before = Self::read_declarations_of(connection, &ids).await?;
                    let after: Vec<Declaration> = slice
                        .into_iter()
                        .map(|award| Declaration {
                            award,
                            state: DeclarationState::Exported,
                            flow: flow.clone(),
                            exported_at: exported_at.clone(),
                            answered_at: None,
                            message: None,
                        })
                        .collect();
                    Self::write_declarations(connection, &before, after, &actor).await?;
                }
                Ok(count)
            })
        })
        .await
    }

    pub async fn record_answers(&self, flow: &str, answered_at: &str, answers: Vec<(String, Answer)>, actor: &str) -> StoreResult<()> {
        let (flow, answered_at, actor) = (flow.to_string(), answered_at.to_string(), actor.to_string());
        self.write(true, move |connection| {
            Box::pin(async move {
                let in_flow: HashMap<String, Declaration> = Self::read_declarations(connection, Some(&flow))
                    .await?
                    .into_iter()
                    .map(|d| (d.award.id_technique.clone(), d))
                    .collect();
                let unknown: Vec<&str> = answers.iter().filter(|(id, _)| !in_flow.contains_key(id)).map(|(id, _)| id.as_str()).collect();
                if !unknown.is_empty() {
                    return Err(StoreError::Refused {
                        code: "DECLARATION_NOT_IN_FLOW",
                        message: format!("pas exportées en dernier dans le flux {flow} : {}", unknown.join(", ")),
                    });
                }
                let mut after = Vec::with_capacity(answers.len());
                for (id, answer) in answers {
                    let mut declaration = in_flow[&id].clone();
                    (declaration.state, declaration.message) = match answer {
                        Answer::Accepted => (DeclarationState::Accepted, None),
                        Answer::Rejected(message) => (DeclarationState::Rejected, Some(message)),
                    };
                    declaration.answered_at = Some(answered_at.clone());
                    after.push(declaration);
                }
                Self::write_declarations(connection, &in_flow, after, &actor).await
            })
        })
        .await
    }

    pub async fn declarations(&self) -> StoreResult<Vec<Declaration>> {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        Self::read_declarations(&mut connection, None).await
    }

    /// Every declared award as the audit check reads it: `(entity, key, values as JSON)`.
    pub(crate) async fn read_declaration_rows(connection: &mut Conn<D>) -> StoreResult<Vec<(&'static str, String, String)>> {
        Self::read_declarations(connection, None)
            .await?
            .iter()
            .map(|d| Ok((AUDITED, d.award.id_technique.clone(), audit_json(d)?)))
            .collect()
    }
}
