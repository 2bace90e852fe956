//! The SQL behind [`AccountStore`](crate::accounts::AccountStore), for every backend: accounts,
//! sessions and the sign-in failures of the lock-out.

use sqlx::{ColumnIndex, Decode, Row as _, Type};

use crate::accounts::{self, Account, Failures, Role, Session};
use crate::batch::Change;
use crate::dialect::{Dialect, Sql, db, in_dialect, sqlx_bounds};
use crate::{StoreError, StoreResult};

const ACCOUNT_COLUMNS: &str = "username, role, learner_id, modules, apprentices, password_hash, disabled";

fn account_of_row<R: sqlx::Row>(row: &R) -> StoreResult<Account>
where
    usize: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
{
    let role: String = row.try_get(1).map_err(db)?;
    let disabled: i64 = row.try_get(6).map_err(db)?;
    let modules: String = row.try_get(3).map_err(db)?;
    let apprentices: String = row.try_get(4).map_err(db)?;
    Ok(Account {
        username: row.try_get(0).map_err(db)?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Database(format!("unknown role {role:?}")))?,
        learner: row.try_get(2).map_err(db)?,
        modules: accounts::split_list(&modules),
        apprentices: accounts::split_list(&apprentices),
        password_hash: row.try_get(5).map_err(db)?,
        disabled: disabled != 0,
    })
}

fn failures_of_row<R: sqlx::Row>(row: &R) -> StoreResult<Failures>
where
    usize: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
{
    Ok(Failures {
        failures: row.try_get(0).map_err(db)?,
        locked_until: row.try_get(1).map_err(db)?,
        last_failure: row.try_get(2).map_err(db)?,
    })
}

#[sqlx_bounds]
impl<D: Dialect> Sql<D> {
    pub async fn add_account(&self, account: Account, actor: &str) -> StoreResult<()> {
        let actor = actor.to_string();
        self.write(true, move |connection| {
            Box::pin(async move {
                let exists = sqlx::query(&in_dialect::<D>("SELECT 1 FROM accounts WHERE username = ?"))
                    .bind(&account.username)
                    .fetch_optional(&mut *connection)
                    .await
                    .map_err(db)?;
                if exists.is_some() {
                    return Err(StoreError::Invalid(format!("compte {} : existe déjà", account.username)));
                }
                sqlx::query(&in_dialect::<D>(&format!("INSERT INTO accounts ({ACCOUNT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)")))
                    .bind(&account.username)
                    .bind(account.role.as_str())
                    .bind(&account.learner)
                    .bind(accounts::join_list(&account.modules))
                    .bind(accounts::join_list(&account.apprentices))
                    .bind(&account.password_hash)
                    .bind(i64::from(account.disabled))
                    .execute(&mut *connection)
                    .await
                    .map_err(db)?;
                let after = serde_json::to_string(&account).map_err(|e| StoreError::Database(e.to_string()))?;
                let change = Change { entity: "accounts", entity_key: account.username.clone(), learner_id: None, before: None, after };
                Self::write_audit(connection, &[change], &actor).await
            })
        })
        .await
    }

    pub async fn remove_account(&self, username: &str, actor: &str) -> StoreResult<()> {
        let (username, actor) = (username.to_string(), actor.to_string());
        self.write(true, move |connection| {
            Box::pin(async move {
                let row = sqlx::query(&in_dialect::<D>(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE username = ?")))
                    .bind(&username)
                    .fetch_optional(&mut *connection)
                    .await
                    .map_err(db)?;
                let Some(row) = row else { return Err(StoreError::NotFound(format!("compte {username}"))) };
                let before = serde_json::to_string(&account_of_row(&row)?).map_err(|e| StoreError::Database(e.to_string()))?;
                for statement in ["DELETE FROM sessions WHERE username = ?", "DELETE FROM accounts WHERE username = ?"] {
                    sqlx::query(&in_dialect::<D>(statement)).bind(&username).execute(&mut *connection).await.map_err(db)?;
                }
                // The audit log records removals as an entry whose `after` is the JSON null.
                let change = Change {
                    entity: "accounts",
                    entity_key: username.clone(),
                    learner_id: None,
                    before: Some(before),
                    after: "null".into(),
                };
                Self::write_audit(connection, &[change], &actor).await
            })
        })
        .await
    }

    pub async fn update_account(&self, account: Account, actor: &str) -> StoreResult<()> {
        let actor = actor.to_string();
        self.write(true, move |connection| {
            Box::pin(async move {
                let row = sqlx::query(&in_dialect::<D>(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE username = ?")))
                    .bind(&account.username)
                    .fetch_optional(&mut *connection)
                    .await
                    .map_err(db)?;
                let Some(row) = row else { return Err(StoreError::NotFound(format!("compte {}", account.username))) };
                let before = account_of_row(&row)?;
                sqlx::query(&in_dialect::<D>(
                    "UPDATE accounts SET role = ?, learner_id = ?, modules = ?, apprentices = ?, password_hash = ?, disabled = ? \
                     WHERE username = ?",
                ))
                .bind(account.role.as_str())
                .bind(&account.learner)
                .bind(accounts::join_list(&account.modules))
                .bind(accounts::join_list(&account.apprentices))
                .bind(&account.password_hash)
                .bind(i64::from(account.disabled))
                .bind(&account.username)
                .execute(&mut *connection)
                .await
                .map_err(db)?;
                let password_changed = before.password_hash != account.password_hash;
                // Any change ends the sessions: none outlives the rights it was opened with.
                if before != account {
                    sqlx::query(&in_dialect::<D>("DELETE FROM sessions WHERE username = ?"))
                        .bind(&account.username)
                        .execute(&mut *connection)
                        .await
                        .map_err(db)?;
                }
                // The hash is never written to the log; that the password changed is.
                let json = |account: &Account, changed: bool| {
                    let mut value = serde_json::to_value(account).map_err(|e| StoreError::Database(e.to_string()))?;
                    if changed && let Some(fields) = value.as_object_mut() {
                        fields.insert("password_changed".into(), serde_json::Value::Bool(true));
                    }
                    Ok::<_, StoreError>(value.to_string())
                };
                let change = Change {
                    entity: "accounts",
                    entity_key: account.username.clone(),
                    learner_id: None,
                    before: Some(json(&before, false)?),
                    after: json(&account, password_changed)?,
                };
                Self::write_audit(connection, &[change], &actor).await
            })
        })
        .await
    }

    pub async fn account(&self, username: &str) -> StoreResult<Option<Account>> {
        let row = sqlx::query(&in_dialect::<D>(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE username = ?")))
            .bind(username)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(account_of_row).transpose()
    }

    pub async fn accounts(&self) -> StoreResult<Vec<Account>> {
        let rows = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts")).fetch_all(&self.pool).await.map_err(db)?;
        let mut accounts: Vec<_> = rows.iter().map(account_of_row).collect::<Result<_, _>>()?;
        accounts.sort_by(|a, b| a.username.cmp(&b.username));
        Ok(accounts)
    }

    pub async fn count_failure(&self, username: &str, source: &str, now: &str, threshold: i64, lock_until: &str) -> StoreResult<Failures> {
        // One statement: the row is created or updated under the database's own row
        // lock, so concurrent failures are all counted. SET reads the row as it was.
        let row = sqlx::query(&in_dialect::<D>(
            "INSERT INTO sign_in_failures (username, source, failures, locked_until, last_failure) \
             VALUES (?, ?, 1, CASE WHEN 1 >= ? THEN ? END, ?) \
             ON CONFLICT (username, source) DO UPDATE SET \
             failures = CASE WHEN sign_in_failures.locked_until <= ? THEN 1 ELSE sign_in_failures.failures + 1 END, \
             locked_until = CASE WHEN sign_in_failures.locked_until <= ? THEN (CASE WHEN 1 >= ? THEN ? END) \
             WHEN sign_in_failures.failures + 1 >= ? AND sign_in_failures.locked_until IS NULL THEN ? \
             ELSE sign_in_failures.locked_until END, \
             last_failure = ? \
             RETURNING failures, locked_until, last_failure",
        ))
        .bind(username)
        .bind(source)
        .bind(threshold)
        .bind(lock_until)
        .bind(now)
        .bind(now)
        .bind(now)
        .bind(threshold)
        .bind(lock_until)
        .bind(threshold)
        .bind(lock_until)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        failures_of_row(&row)
    }

    pub async fn failures(&self, username: &str, source: &str) -> StoreResult<Option<Failures>> {
        let row = sqlx::query(&in_dialect::<D>(
            "SELECT failures, locked_until, last_failure FROM sign_in_failures WHERE username = ? AND source = ?",
        ))
        .bind(username)
        .bind(source)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.as_ref().map(failures_of_row).transpose()
    }

    pub async fn clear_failures(&self, username: &str, sources: &[&str]) -> StoreResult<()> {
        for source in sources {
            sqlx::query(&in_dialect::<D>("DELETE FROM sign_in_failures WHERE username = ? AND source = ?"))
                .bind(username)
                .bind(*source)
                .execute(&self.pool)
                .await
                .map_err(db)?;
        }
        Ok(())
    }

    pub async fn purge(&self, now: &str, failures_before: &str) -> StoreResult<u64> {
        let sessions =
            sqlx::query(&in_dialect::<D>("DELETE FROM sessions WHERE expires_at <= ?")).bind(now).execute(&self.pool).await.map_err(db)?;
        let failures = sqlx::query(&in_dialect::<D>(
            "DELETE FROM sign_in_failures WHERE last_failure < ? AND (locked_until IS NULL OR locked_until <= ?)",
        ))
        .bind(failures_before)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(D::rows_affected(&sessions) + D::rows_affected(&failures))
    }

    pub async fn add_session(&self, token_hash: &str, session: Session) -> StoreResult<()> {
        sqlx::query(&in_dialect::<D>("INSERT INTO sessions (token_hash, username, csrf, expires_at) VALUES (?, ?, ?, ?)"))
            .bind(token_hash)
            .bind(&session.username)
            .bind(&session.csrf)
            .bind(&session.expires_at)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    pub async fn session(&self, token_hash: &str, now: &str) -> StoreResult<Option<Session>> {
        let row = sqlx::query(&in_dialect::<D>("SELECT username, csrf, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?"))
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.map(|row| {
            Ok(Session {
                username: row.try_get(0).map_err(db)?,
                csrf: row.try_get(1).map_err(db)?,
                expires_at: row.try_get(2).map_err(db)?,
            })
        })
        .transpose()
    }

    pub async fn remove_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query(&in_dialect::<D>("DELETE FROM sessions WHERE token_hash = ?"))
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }
}
