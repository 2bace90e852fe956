//! The SQL behind [`CredentialStore`](crate::credentials::CredentialStore), for every backend.

use std::collections::HashSet;

use sqlx::Row as _;

use crate::batch::Change;
use crate::credentials::{AUDITED, AUDITED_KEY, StoredCredential, StoredKey, key_values_json, values_json};
use crate::dialect::{Conn, DbRow, Dialect, Sql, db, in_dialect, sqlx_bounds};
use crate::sql::{self, rows_per_statement};
use crate::{StoreError, StoreResult};

const KEY_COLUMNS: &str = "kid, public_jwk, sealed, created_at, retired_at";
const COLUMNS: [&str; 11] = [
    "credential_id",
    "learner_id",
    "session_id",
    "achievement",
    "status_list",
    "status_index",
    "kid",
    "issued_at",
    "jwt",
    "revoked_at",
    "revocation_reason",
];

#[sqlx_bounds]
impl<D: Dialect> Sql<D> {
    fn key_of(row: &DbRow<D>) -> StoreResult<StoredKey> {
        Ok(StoredKey {
            kid: row.try_get(0).map_err(db)?,
            public_jwk: row.try_get(1).map_err(db)?,
            sealed: row.try_get(2).map_err(db)?,
            created_at: row.try_get(3).map_err(db)?,
            retired_at: row.try_get(4).map_err(db)?,
        })
    }

    fn credential_of(row: &DbRow<D>) -> StoreResult<StoredCredential> {
        Ok(StoredCredential {
            id: row.try_get(0).map_err(db)?,
            learner: row.try_get(1).map_err(db)?,
            session: row.try_get(2).map_err(db)?,
            achievement: row.try_get(3).map_err(db)?,
            status_list: row.try_get(4).map_err(db)?,
            status_index: row.try_get(5).map_err(db)?,
            kid: row.try_get(6).map_err(db)?,
            issued_at: row.try_get(7).map_err(db)?,
            jwt: row.try_get(8).map_err(db)?,
            revoked_at: row.try_get(9).map_err(db)?,
            revocation_reason: row.try_get(10).map_err(db)?,
        })
    }

    async fn read_keys(connection: &mut Conn<D>) -> StoreResult<Vec<StoredKey>> {
        let statement = format!("SELECT {KEY_COLUMNS} FROM issuer_keys ORDER BY created_at, kid");
        sqlx::query(&statement).fetch_all(&mut *connection).await.map_err(db)?.iter().map(Self::key_of).collect()
    }

    /// The credentials `filter` (a `WHERE …` with `?` placeholders, or empty) selects.
    async fn read_credentials(
        connection: &mut Conn<D>,
        filter: &str,
        value: Option<&str>,
        order: &str,
    ) -> StoreResult<Vec<StoredCredential>> {
        let statement = in_dialect::<D>(&format!("SELECT {} FROM credentials {filter} ORDER BY {order}", COLUMNS.join(", ")));
        let mut query = sqlx::query(&statement);
        if let Some(value) = value {
            query = query.bind(value);
        }
        query.fetch_all(&mut *connection).await.map_err(db)?.iter().map(Self::credential_of).collect()
    }

    pub async fn add_issuer_key(&self, key: StoredKey, actor: &str) -> StoreResult<()> {
        let actor = actor.to_string();
        self.write(true, move |connection| {
            Box::pin(async move {
                let mut changes = Vec::new();
                for mut current in Self::read_keys(connection).await?.into_iter().filter(|k| k.retired_at.is_none()) {
                    let before = key_values_json(&current);
                    current.retired_at = Some(key.created_at.clone());
                    sqlx::query(&in_dialect::<D>("UPDATE issuer_keys SET retired_at = ? WHERE kid = ?"))
                        .bind(&key.created_at)
                        .bind(&current.kid)
                        .execute(&mut *connection)
                        .await
                        .map_err(db)?;
                    changes.push(Change {
                        entity: AUDITED_KEY,
                        entity_key: current.kid.clone(),
                        learner_id: None,
                        before: Some(before),
                        after: key_values_json(&current),
                    });
                }
                let exists = sqlx::query(&in_dialect::<D>("SELECT 1 FROM issuer_keys WHERE kid = ?"))
                    .bind(&key.kid)
                    .fetch_optional(&mut *connection)
                    .await
                    .map_err(db)?;
                if exists.is_some() {
                    return Err(StoreError::Invalid(format!("clé d'émission {} : déjà enregistrée", key.kid)));
                }
                sqlx::query(&in_dialect::<D>(&format!("INSERT INTO issuer_keys ({KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?)")))
                    .bind(&key.kid)
                    .bind(&key.public_jwk)
                    .bind(&key.sealed)
                    .bind(&key.created_at)
                    .bind(&key.retired_at)
                    .execute(&mut *connection)
                    .await
                    .map_err(db)?;
                changes.push(Change {
                    entity: AUDITED_KEY,
                    entity_key: key.kid.clone(),
                    learner_id: None,
                    before: None,
                    after: key_values_json(&key),
                });
                Self::write_audit(connection, &changes, &actor).await
            })
        })
        .await
    }

    pub async fn issuer_keys(&self) -> StoreResult<Vec<StoredKey>> {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        Self::read_keys(&mut connection).await
    }

    pub async fn record_credentials(&self, credentials: Vec<StoredCredential>, actor: &str) -> StoreResult<usize> {
        let actor = actor.to_string();
        self.write(true, move |connection| {
            Box::pin(async move {
                let stored = Self::read_credentials(connection, "", None, "credential_id").await?;
                let mut ids: HashSet<String> = stored.iter().map(|c| c.id.clone()).collect();
                let mut awards: HashSet<(String, String, String)> =
                    stored.iter().map(|c| (c.learner.clone(), c.session.clone(), c.achievement.clone())).collect();
                let mut bits: HashSet<(String, i64)> = stored.iter().map(|c| (c.status_list.clone(), c.status_index)).collect();
                drop(stored);
                for c in &credentials {
                    if !ids.insert(c.id.clone()) {
                        return Err(StoreError::Invalid(format!("attestation numérique {} : existe déjà", c.id)));
                    }
                    if !awards.insert((c.learner.clone(), c.session.clone(), c.achievement.clone())) {
                        return Err(StoreError::Invalid(format!(
                            "{} a déjà une attestation numérique pour {} (session {})",
                            c.learner, c.achievement, c.session
                        )));
                    }
                    if c.status_index < 0 || !bits.insert((c.status_list.clone(), c.status_index)) {
                        return Err(StoreError::Invalid(format!("bit de statut {}#{} : déjà attribué", c.status_list, c.status_index)));
                    }
                }
                for chunk in credentials.chunks(rows_per_statement(COLUMNS.len())) {
                    let statement = format!(
                        "INSERT INTO credentials ({}) VALUES {}",
                        COLUMNS.join(", "),
                        sql::value_rows(D::PLACEHOLDERS, chunk.len(), COLUMNS.len())
                    );
                    let mut query = sqlx::query(&statement);
                    for c in chunk {
                        query = query
                            .bind(&c.id)
                            .bind(&c.learner)
                            .bind(&c.session)
                            .bind(&c.achievement)
                            .bind(&c.status_list)
                            .bind(c.status_index)
                            .bind(&c.kid)
                            .bind(&c.issued_at)
                            .bind(&c.jwt)
                            .bind(&c.revoked_at)
                            .bind(&c.revocation_reason);
                    }
                    query.execute(&mut *connection).await.map_err(db)?;
                }
                let changes: Vec<Change> = credentials
                    .iter()
                    .map(|c| Change {
                        entity: AUDITED,
                        entity_key: c.id.clone(),
                        learner_id: Some(c.learner.clone()),
                        before: None,
                        after: values_json(c),
                    })
                    .collect();
                Self::write_audit(connection, &changes, &actor).await?;
                Ok(credentials.len())
            })
        })
        .await
    }

    pub async fn credential(&self, id: &str) -> StoreResult<Option<StoredCredential>> {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        Ok(Self::read_credentials(&mut connection, "WHERE credential_id = ?", Some(id), "credential_id").await?.into_iter().next())
    }

    pub async fn credentials_of(&self, learner: &str) -> StoreResult<Vec<StoredCredential>> {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        Self::read_credentials(&mut connection, "WHERE learner_id = ?", Some(learner), "issued_at, credential_id").await
    }

    pub async fn credentials(&self) -> StoreResult<Vec<StoredCredential>> {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        Self::read_credentials(&mut connection, "", None, "status_list, status_index").await
    }

    pub async fn next_status_index(&self, list: &str) -> StoreResult<i64> {
        let statement = in_dialect::<D>("SELECT MAX(status_index) FROM credentials WHERE status_list = ?");
        let row = sqlx::query(&statement).bind(list).fetch_one(&self.pool).await.map_err(db)?;
        let max: Option<i64> = row.try_get(0).map_err(db)?;
        Ok(max.map_or(0, |max| max + 1))
    }

    pub async fn revoke_credentials(&self, ids: Vec<String>, reason: &str, at: &str, actor: &str) -> StoreResult<usize> {
        let (reason, at, actor) = (reason.to_string(), at.to_string(), actor.to_string());
        self.write(true, move |connection| {
            Box::pin(async move {
                let mut changes = Vec::new();
                let update = in_dialect::<D>("UPDATE credentials SET revoked_at = ?, revocation_reason = ? WHERE credential_id = ?");
                for id in &ids {
                    let mut credential = Self::read_credentials(connection, "WHERE credential_id = ?", Some(id), "credential_id")
                        .await?
                        .into_iter()
                        .next()
                        .ok_or_else(|| StoreError::NotFound(format!("attestation numérique {id}")))?;
                    if credential.revoked_at.is_some() {
                        continue;
                    }
                    let before = values_json(&credential);
                    credential.revoked_at = Some(at.clone());
                    credential.revocation_reason = Some(reason.clone());
                    sqlx::query(&update).bind(&at).bind(&reason).bind(id).execute(&mut *connection).await.map_err(db)?;
                    changes.push(Change {
                        entity: AUDITED,
                        entity_key: id.clone(),
                        learner_id: Some(credential.learner.clone()),
                        before: Some(before),
                        after: values_json(&credential),
                    });
                }
                Self::write_audit(connection, &changes, &actor).await?;
                Ok(changes.len())
            })
        })
        .await
    }

    /// Every key and credential as the audit check reads them: `(entity, key, values as JSON)`.
    pub(crate) async fn read_credential_rows(connection: &mut Conn<D>) -> StoreResult<Vec<(&'static str, String, String)>> {
        let mut rows: Vec<(&'static str, String, String)> =
            Self::read_keys(connection).await?.iter().map(|k| (AUDITED_KEY, k.kid.clone(), key_values_json(k))).collect();
        rows.extend(
            Self::read_credentials(connection, "", None, "credential_id").await?.iter().map(|c| (AUDITED, c.id.clone(), values_json(c))),
        );
        Ok(rows)
    }
}
