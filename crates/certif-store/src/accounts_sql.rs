//! One SQL implementation of [`AccountStore`](crate::accounts::AccountStore) for both backends.

/// Implements `AccountStore` for `$store`, which `sql_store!` was already invoked for.
#[macro_export]
macro_rules! sql_account_store {
    ($store:ident, $conn:ty, $style:expr) => {
        fn account_of_row(
            row: &<<$conn as sqlx::Connection>::Database as sqlx::Database>::Row,
        ) -> $crate::StoreResult<$crate::accounts::Account> {
            let role: String = row.try_get(1).map_err(db)?;
            let modules: String = row.try_get(3).map_err(db)?;
            let apprentices: String = row.try_get(4).map_err(db)?;
            Ok($crate::accounts::Account {
                username: row.try_get(0).map_err(db)?,
                role: $crate::accounts::Role::parse(&role).ok_or_else(|| $crate::StoreError::Database(format!("unknown role {role:?}")))?,
                learner: row.try_get(2).map_err(db)?,
                modules: $crate::accounts::split_list(&modules),
                apprentices: $crate::accounts::split_list(&apprentices),
                password_hash: row.try_get(5).map_err(db)?,
            })
        }

        const ACCOUNT_COLUMNS: &str = "username, role, learner_id, modules, apprentices, password_hash";

        fn failures_of_row(
            row: &<<$conn as sqlx::Connection>::Database as sqlx::Database>::Row,
        ) -> $crate::StoreResult<$crate::accounts::Failures> {
            Ok($crate::accounts::Failures {
                failures: row.try_get(0).map_err(db)?,
                locked_until: row.try_get(1).map_err(db)?,
                last_failure: row.try_get(2).map_err(db)?,
            })
        }

        impl $crate::accounts::AccountStore for $store {
            async fn add_account(&self, account: $crate::accounts::Account, actor: &str) -> $crate::StoreResult<()> {
                let actor = actor.to_string();
                self.write(true, move |connection| {
                    Box::pin(async move {
                        let exists = sqlx::query(&$crate::sql::dialect($style, "SELECT 1 FROM accounts WHERE username = ?"))
                            .bind(&account.username)
                            .fetch_optional(&mut *connection)
                            .await
                            .map_err(db)?;
                        if exists.is_some() {
                            return Err($crate::StoreError::Invalid(format!("account {} already exists", account.username)));
                        }
                        sqlx::query(&$crate::sql::dialect(
                            $style,
                            &format!("INSERT INTO accounts ({ACCOUNT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"),
                        ))
                        .bind(&account.username)
                        .bind(account.role.as_str())
                        .bind(&account.learner)
                        .bind($crate::accounts::join_list(&account.modules))
                        .bind($crate::accounts::join_list(&account.apprentices))
                        .bind(&account.password_hash)
                        .execute(&mut *connection)
                        .await
                        .map_err(db)?;
                        let after = $crate::macro_support::serde_json::to_string(&account)
                            .map_err(|e| $crate::StoreError::Database(e.to_string()))?;
                        let change = $crate::batch::Change {
                            entity: "accounts",
                            entity_key: account.username.clone(),
                            learner_id: None,
                            before: None,
                            after,
                        };
                        write_audit(connection, &[change], &actor).await
                    })
                })
                .await
            }

            async fn remove_account(&self, username: &str, actor: &str) -> $crate::StoreResult<()> {
                let (username, actor) = (username.to_string(), actor.to_string());
                self.write(true, move |connection| {
                    Box::pin(async move {
                        let row = sqlx::query(&$crate::sql::dialect(
                            $style,
                            &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE username = ?"),
                        ))
                        .bind(&username)
                        .fetch_optional(&mut *connection)
                        .await
                        .map_err(db)?;
                        let Some(row) = row else { return Err($crate::StoreError::NotFound(format!("account {username}"))) };
                        let before = $crate::macro_support::serde_json::to_string(&account_of_row(&row)?)
                            .map_err(|e| $crate::StoreError::Database(e.to_string()))?;
                        for statement in ["DELETE FROM sessions WHERE username = ?", "DELETE FROM accounts WHERE username = ?"] {
                            sqlx::query(&$crate::sql::dialect($style, statement))
                                .bind(&username)
                                .execute(&mut *connection)
                                .await
                                .map_err(db)?;
                        }
                        // The audit log records removals as an entry whose `after` is the JSON null.
                        let change = $crate::batch::Change {
                            entity: "accounts",
                            entity_key: username.clone(),
                            learner_id: None,
                            before: Some(before),
                            after: "null".into(),
                        };
                        write_audit(connection, &[change], &actor).await
                    })
                })
                .await
            }

            async fn account(&self, username: &str) -> $crate::StoreResult<Option<$crate::accounts::Account>> {
                let row = sqlx::query(&$crate::sql::dialect($style, &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE username = ?")))
                    .bind(username)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                row.as_ref().map(account_of_row).transpose()
            }

            async fn accounts(&self) -> $crate::StoreResult<Vec<$crate::accounts::Account>> {
                let rows = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts")).fetch_all(&self.pool).await.map_err(db)?;
                let mut accounts: Vec<_> = rows.iter().map(account_of_row).collect::<Result<_, _>>()?;
                accounts.sort_by(|a, b| a.username.cmp(&b.username));
                Ok(accounts)
            }

            async fn count_failure(
                &self,
                username: &str,
                source: &str,
                now: &str,
                threshold: i64,
                lock_until: &str,
            ) -> $crate::StoreResult<$crate::accounts::Failures> {
                // One statement: the row is created or updated under the database's own row
                // lock, so concurrent failures are all counted. SET reads the row as it was.
                let row = sqlx::query(&$crate::sql::dialect(
                    $style,
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

            async fn failures(&self, username: &str, source: &str) -> $crate::StoreResult<Option<$crate::accounts::Failures>> {
                let row = sqlx::query(&$crate::sql::dialect(
                    $style,
                    "SELECT failures, locked_until, last_failure FROM sign_in_failures WHERE username = ? AND source = ?",
                ))
                .bind(username)
                .bind(source)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
                row.as_ref().map(failures_of_row).transpose()
            }

            async fn clear_failures(&self, username: &str, sources: &[&str]) -> $crate::StoreResult<()> {
                for source in sources {
                    sqlx::query(&$crate::sql::dialect($style, "DELETE FROM sign_in_failures WHERE username = ? AND source = ?"))
                        .bind(username)
                        .bind(*source)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                }
                Ok(())
            }

            async fn purge(&self, now: &str, failures_before: &str) -> $crate::StoreResult<u64> {
                let sessions = sqlx::query(&$crate::sql::dialect($style, "DELETE FROM sessions WHERE expires_at <= ?"))
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                let failures = sqlx::query(&$crate::sql::dialect(
                    $style,
                    "DELETE FROM sign_in_failures WHERE last_failure < ? AND (locked_until IS NULL OR locked_until <= ?)",
                ))
                .bind(failures_before)
                .bind(now)
                .execute(&self.pool)
                .await
                .map_err(db)?;
                Ok(sessions.rows_affected() + failures.rows_affected())
            }

            async fn add_session(&self, token_hash: &str, session: $crate::accounts::Session) -> $crate::StoreResult<()> {
                sqlx::query(&$crate::sql::dialect(
                    $style,
                    "INSERT INTO sessions (token_hash, username, csrf, expires_at) VALUES (?, ?, ?, ?)",
                ))
                .bind(token_hash)
                .bind(&session.username)
                .bind(&session.csrf)
                .bind(&session.expires_at)
                .execute(&self.pool)
                .await
                .map_err(db)?;
                Ok(())
            }

            async fn session(&self, token_hash: &str, now: &str) -> $crate::StoreResult<Option<$crate::accounts::Session>> {
                let row = sqlx::query(&$crate::sql::dialect(
                    $style,
                    "SELECT username, csrf, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?",
                ))
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
                row.map(|row| {
                    Ok($crate::accounts::Session {
                        username: row.try_get(0).map_err(db)?,
                        csrf: row.try_get(1).map_err(db)?,
                        expires_at: row.try_get(2).map_err(db)?,
                    })
                })
                .transpose()
            }

            async fn remove_session(&self, token_hash: &str) -> $crate::StoreResult<()> {
                sqlx::query(&$crate::sql::dialect($style, "DELETE FROM sessions WHERE token_hash = ?"))
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                Ok(())
            }
        }
    };
}
