//! The SQL behind [`DocumentStore`](crate::documents::DocumentStore), for every backend.

use std::collections::HashSet;

use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Row as _, Type};

use crate::batch::Change;
use crate::dialect::{Conn, DbRow, Dialect, Sql, db, in_dialect};
use crate::documents::{AUDITED, IssuedDocument, invalid, values_json};
use crate::{StoreError, StoreResult};

const COLUMNS: &str = "document_id, kind, learner_id, session_id, sha256, issued_at, revoked_at, revocation_reason";

impl<D: Dialect> Sql<D>
where
    for<'c> &'c mut Conn<D>: Executor<'c, Database = D::DB>,
    for<'q> <D::DB as Database>::Arguments<'q>: IntoArguments<'q, D::DB>,
    usize: ColumnIndex<DbRow<D>>,
    for<'q> &'q str: Encode<'q, D::DB> + Type<D::DB>,
    for<'q> String: Encode<'q, D::DB> + Decode<'q, D::DB> + Type<D::DB>,
    for<'q> i64: Encode<'q, D::DB> + Decode<'q, D::DB> + Type<D::DB>,
    for<'q> Option<String>: Encode<'q, D::DB> + Decode<'q, D::DB> + Type<D::DB>,
    for<'q> Option<i64>: Encode<'q, D::DB> + Decode<'q, D::DB> + Type<D::DB>,
{
    fn document_of(row: &DbRow<D>) -> StoreResult<IssuedDocument> {
        Ok(IssuedDocument {
            id: row.try_get(0).map_err(db)?,
            kind: row.try_get(1).map_err(db)?,
            learner: row.try_get(2).map_err(db)?,
            session: row.try_get(3).map_err(db)?,
            sha256: row.try_get(4).map_err(db)?,
            issued_at: row.try_get(5).map_err(db)?,
            revoked_at: row.try_get(6).map_err(db)?,
            revocation_reason: row.try_get(7).map_err(db)?,
        })
    }

    async fn read_documents(connection: &mut Conn<D>, filter: &str, values: &[&str]) -> StoreResult<Vec<IssuedDocument>> {
        let statement = in_dialect::<D>(&format!("SELECT {COLUMNS} FROM documents {filter} ORDER BY issued_at, document_id"));
        let mut query = sqlx::query(&statement);
        for value in values {
            query = query.bind(value.to_string());
        }
        let rows = query.fetch_all(&mut *connection).await.map_err(db)?;
        rows.iter().map(Self::document_of).collect()
    }

    async fn texts(connection: &mut Conn<D>, statement: &str) -> StoreResult<HashSet<String>> {
        Ok(sqlx::query_scalar::<_, String>(statement).fetch_all(&mut *connection).await.map_err(db)?.into_iter().collect())
    }

    pub async fn record_documents(&self, documents: Vec<IssuedDocument>, actor: &str) -> StoreResult<()> {
        if let Some(problem) = documents.iter().find_map(invalid) {
            return Err(StoreError::Invalid(problem));
        }
        let actor = actor.to_string();
        self.write(true, move |connection| {
            Box::pin(async move {
                let learners = Self::texts(connection, "SELECT learner_id FROM learners").await?;
                let published = Self::texts(connection, "SELECT session_id FROM jury_sessions WHERE status = 'published'").await?;
                let mut ids = Self::texts(connection, "SELECT document_id FROM documents").await?;
                let insert = in_dialect::<D>(&format!("INSERT INTO documents ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)"));
                let mut changes = Vec::with_capacity(documents.len());
                for document in documents {
                    if !learners.contains(&document.learner) {
                        return Err(StoreError::Invalid(format!("apprenant {} : inconnu", document.learner)));
                    }
                    if !published.contains(&document.session) {
                        return Err(StoreError::Invalid(format!("session de jury {} : pas publiée", document.session)));
                    }
                    if !ids.insert(document.id.clone()) {
                        return Err(StoreError::Invalid(format!("document {} : déjà enregistré", document.id)));
                    }
                    sqlx::query(&insert)
                        .bind(document.id.clone())
                        .bind(document.kind.clone())
                        .bind(document.learner.clone())
                        .bind(document.session.clone())
                        .bind(document.sha256.clone())
                        .bind(document.issued_at.clone())
                        .execute(&mut *connection)
                        .await
                        .map_err(db)?;
                    let document = IssuedDocument { revoked_at: None, revocation_reason: None, ..document };
                    changes.push(Change {
                        entity: AUDITED,
                        entity_key: document.id.clone(),
                        learner_id: Some(document.learner.clone()),
                        before: None,
                        after: values_json(&document),
                    });
                }
                Self::write_audit(connection, &changes, &actor).await?;
                Ok(())
            })
        })
        .await
    }

    pub async fn document(&self, id: &str) -> StoreResult<Option<IssuedDocument>> {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        Ok(Self::read_documents(&mut connection, "WHERE document_id = ?", &[id]).await?.into_iter().next())
    }

    pub async fn document_by_sha256(&self, sha256: &str) -> StoreResult<Option<IssuedDocument>> {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        Ok(Self::read_documents(&mut connection, "WHERE sha256 = ?", &[sha256]).await?.into_iter().next())
    }

    pub async fn documents_of(&self, learner: &str) -> StoreResult<Vec<IssuedDocument>> {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        Self::read_documents(&mut connection, "WHERE learner_id = ?", &[learner]).await
    }

    pub async fn revoke_documents(&self, learner: &str, session: &str, reason: &str, at: &str, actor: &str) -> StoreResult<usize> {
        let reason = reason.trim().to_string();
        if reason.is_empty() {
            return Err(StoreError::Invalid("une révocation dit pourquoi".into()));
        }
        let (learner, session, at, actor) = (learner.to_string(), session.to_string(), at.to_string(), actor.to_string());
        self.write(true, move |connection| {
            Box::pin(async move {
                let standing = Self::read_documents(
                    connection,
                    "WHERE learner_id = ? AND session_id = ? AND revoked_at IS NULL",
                    &[learner.as_str(), session.as_str()],
                )
                .await?;
                let update = in_dialect::<D>("UPDATE documents SET revoked_at = ?, revocation_reason = ? WHERE document_id = ?");
                let mut changes = Vec::with_capacity(standing.len());
                for document in standing {
                    sqlx::query(&update)
                        .bind(at.clone())
                        .bind(reason.clone())
                        .bind(document.id.clone())
                        .execute(&mut *connection)
                        .await
                        .map_err(db)?;
                    let before = values_json(&document);
                    let revoked = IssuedDocument { revoked_at: Some(at.clone()), revocation_reason: Some(reason.clone()), ..document };
                    changes.push(Change {
                        entity: AUDITED,
                        entity_key: revoked.id.clone(),
                        learner_id: Some(revoked.learner.clone()),
                        before: Some(before),
                        after: values_json(&revoked),
                    });
                }
                Self::write_audit(connection, &changes, &actor).await?;
                Ok(changes.len())
            })
        })
        .await
    }

    /// Every document as the audit check reads it: `(entity, key, values as JSON)`.
    pub(crate) async fn read_document_rows(connection: &mut Conn<D>) -> StoreResult<Vec<(&'static str, String, String)>> {
        Ok(Self::read_documents(connection, "", &[]).await?.iter().map(|d| (AUDITED, d.id.clone(), values_json(d))).collect())
    }
}
