//! The jury's rows read back: a session, its members, candidates, points and appeals, and every
//! jury row as its audit entries hold it (for `verify_audit`).

use super::*;

#[sqlx_bounds]
impl<D: Dialect> Sql<D> {
    pub(super) fn session_of_row(row: &DbRow<D>) -> StoreResult<SessionRow> {
        let text = |i: usize| row.try_get::<String, _>(i).map_err(db);
        let optional = |i: usize| row.try_get::<Option<String>, _>(i).map_err(db);
        let (kind, status) = (text(2)?, text(6)?);
        Ok(SessionRow {
            session: JurySession {
                id: text(0)?,
                certification: text(1)?,
                kind: JuryKind::parse(&kind).ok_or_else(|| StoreError::Database(format!("unknown jury kind {kind:?}")))?,
                date: stored_date(&text(3)?, "deliberation date")?,
                name: text(4)?,
                place: optional(5)?,
            },
            status: JuryStatus::parse(&status).ok_or_else(|| StoreError::Database(format!("unknown jury status {status:?}")))?,
            created_at: text(7)?,
            opened_at: optional(8)?,
            closed_at: optional(9)?,
            published_on: optional(10)?.map(|d| stored_date(&d, "publication date")).transpose()?,
            minutes: optional(11)?,
            minutes_sha256: optional(12)?,
            signed_by: optional(13)?,
            signed_at: optional(14)?,
            signature_sha256: optional(15)?,
            version: row.try_get(16).map_err(db)?,
        })
    }

    pub(super) fn candidate_of_row(row: &DbRow<D>) -> StoreResult<CandidateRow> {
        let optional = |i: usize| row.try_get::<Option<String>, _>(i).map_err(db);
        let adopted = match (optional(2)?, optional(3)?, optional(4)?) {
            (Some(decision), Some(proposal), Some(at)) => Some(AdoptedRow {
                deliberation: serde_json::from_str(&decision)
                    .map_err(|e| StoreError::Database(format!("stored jury decision is not readable: {e}")))?,
                proposal: stored_document(proposal, "proposal")?,
                at,
            }),
            (None, None, None) => None,
            _ => return Err(StoreError::Database("a stored jury decision lacks its proposal or its time".into())),
        };
        Ok(CandidateRow {
            learner: row.try_get(0).map_err(db)?,
            appeal_of: optional(5)?,
            proposal: optional(1)?.map(|p| stored_document(p, "proposal")).transpose()?,
            adopted,
        })
    }

    pub(super) async fn read_session_row(connection: &mut Conn<D>, id: &str) -> StoreResult<Option<SessionRow>> {
        let row = sqlx::query(&in_dialect::<D>(&format!("SELECT {SESSION_COLUMNS} FROM jury_sessions WHERE session_id = ?")))
            .bind(id)
            .fetch_optional(&mut *connection)
            .await
            .map_err(db)?;
        row.as_ref().map(Self::session_of_row).transpose()
    }

    /// A member from `name, role, representing, present, account`, read from column `first` on.
    pub(super) fn member_of_row(row: &DbRow<D>, first: usize) -> StoreResult<Member> {
        Ok(Member {
            name: row.try_get(first).map_err(db)?,
            role: row.try_get(first + 1).map_err(db)?,
            representing: row.try_get(first + 2).map_err(db)?,
            present: row.try_get::<i64, _>(first + 3).map_err(db)? != 0,
            account: row.try_get(first + 4).map_err(db)?,
        })
    }

    pub(super) async fn read_members(connection: &mut Conn<D>, id: &str) -> StoreResult<Vec<Member>> {
        let rows = sqlx::query(&in_dialect::<D>(
            "SELECT name, role, representing, present, account FROM jury_members WHERE session_id = ? ORDER BY position",
        ))
        .bind(id)
        .fetch_all(&mut *connection)
        .await
        .map_err(db)?;
        rows.iter().map(|row| Self::member_of_row(row, 0)).collect()
    }

    /// A session's candidates, by learner id (sorted here: the backends' text collations differ).
    pub(super) async fn read_candidates(connection: &mut Conn<D>, id: &str) -> StoreResult<Vec<CandidateRow>> {
        let rows = sqlx::query(&in_dialect::<D>(&format!("SELECT {CANDIDATE_COLUMNS} FROM jury_candidates WHERE session_id = ?")))
            .bind(id)
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
        let mut candidates: Vec<CandidateRow> = rows.iter().map(Self::candidate_of_row).collect::<Result<_, _>>()?;
        candidates.sort_by(|a, b| a.learner.cmp(&b.learner));
        Ok(candidates)
    }

    pub(super) async fn read_candidate(connection: &mut Conn<D>, id: &str, learner: &str) -> StoreResult<CandidateRow> {
        let row = sqlx::query(&in_dialect::<D>(&format!(
            "SELECT {CANDIDATE_COLUMNS} FROM jury_candidates WHERE session_id = ? AND learner_id = ?"
        )))
        .bind(id)
        .bind(learner)
        .fetch_optional(&mut *connection)
        .await
        .map_err(db)?;
        row.as_ref().map(Self::candidate_of_row).transpose()?.ok_or_else(|| not_a_candidate(id, learner))
    }

    /// Points de jury of a session: `(learner, points)`, by learner then module.
    pub(super) async fn read_points(connection: &mut Conn<D>, id: &str) -> StoreResult<Vec<(String, JuryPoints)>> {
        let rows = sqlx::query(&in_dialect::<D>("SELECT learner_id, module, points, justification FROM jury_points WHERE session_id = ?"))
            .bind(id)
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
        let mut points = rows
            .iter()
            .map(|row| {
                let text: String = row.try_get(2).map_err(db)?;
                let points = text.parse().map_err(|_| StoreError::Database(format!("stored points de jury {text:?} are not a number")))?;
                Ok((
                    row.try_get::<String, _>(0).map_err(db)?,
                    JuryPoints { module: row.try_get(1).map_err(db)?, points, justification: row.try_get(3).map_err(db)? },
                ))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        points.sort_by(|(a, p), (b, q)| (a, &p.module).cmp(&(b, &q.module)));
        Ok(points)
    }

    /// Appeals of a session, in the order recorded.
    pub(super) async fn read_appeals(connection: &mut Conn<D>, id: &str) -> StoreResult<Vec<JuryAppeal>> {
        let rows =
            sqlx::query(&in_dialect::<D>("SELECT learner_id, received_on, note, recorded_at FROM jury_appeals WHERE session_id = ?"))
                .bind(id)
                .fetch_all(&mut *connection)
                .await
                .map_err(db)?;
        let mut appeals = rows
            .iter()
            .map(|row| {
                Ok(JuryAppeal {
                    learner: row.try_get(0).map_err(db)?,
                    received_on: stored_date(&row.try_get::<String, _>(1).map_err(db)?, "appeal date")?,
                    note: row.try_get(2).map_err(db)?,
                    recorded_at: row.try_get(3).map_err(db)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        appeals.sort_by(|a, b| (&a.recorded_at, &a.learner, a.received_on).cmp(&(&b.recorded_at, &b.learner, b.received_on)));
        Ok(appeals)
    }

    /// Every jury row as `(entity, key, values as JSON)`, the JSON its audit entries hold, for
    /// `verify_audit`. A row that does not read gets values no entry holds, so it is named.
    pub(crate) async fn read_jury_rows(connection: &mut Conn<D>) -> StoreResult<Vec<(&'static str, String, String)>> {
        let unreadable = |values: StoreResult<String>| values.unwrap_or_else(|e| format!("unreadable: {e}"));
        let mut rows = Vec::new();
        for row in sqlx::query(&format!("SELECT {SESSION_COLUMNS} FROM jury_sessions")).fetch_all(&mut *connection).await.map_err(db)? {
            let values = Self::session_of_row(&row).and_then(|session| {
                let values = json(&session)?;
                // The audit log holds the minutes' SHA-256, not their text: text changed since
                // they were hashed makes the row differ from its entry.
                Ok(match (&session.minutes, &session.minutes_sha256) {
                    (Some(text), Some(sha256)) if sha256_hex(text.as_bytes()) != *sha256 => format!("{values} (minutes altered)"),
                    _ => values,
                })
            });
            rows.push(("jury_session", row.try_get::<String, _>(0).map_err(db)?, unreadable(values)));
        }
        let statement = "SELECT session_id, name, role, representing, present, account FROM jury_members";
        for row in sqlx::query(statement).fetch_all(&mut *connection).await.map_err(db)? {
            let name: String = row.try_get(1).map_err(db)?;
            let values = (|| json(&Self::member_of_row(&row, 1)?))();
            rows.push(("jury_member", format!("{}/{name}", row.try_get::<String, _>(0).map_err(db)?), unreadable(values)));
        }
        let statement = format!("SELECT {CANDIDATE_COLUMNS}, session_id FROM jury_candidates");
        for row in sqlx::query(&statement).fetch_all(&mut *connection).await.map_err(db)? {
            let key = format!("{}/{}", row.try_get::<String, _>(6).map_err(db)?, row.try_get::<String, _>(0).map_err(db)?);
            rows.push(("jury_candidate", key, unreadable(Self::candidate_of_row(&row).and_then(|c| json(&c)))));
        }
        let statement = "SELECT session_id, learner_id, module, points, justification FROM jury_points";
        for row in sqlx::query(statement).fetch_all(&mut *connection).await.map_err(db)? {
            let [session, learner, module, points, justification] = [0, 1, 2, 3, 4].map(|i| row.try_get::<String, _>(i).map_err(db));
            let values = json(&PointsJson { points: &points?, justification: &justification? });
            rows.push(("jury_points", format!("{}/{}/{}", session?, learner?, module?), unreadable(values)));
        }
        let statement = "SELECT session_id, learner_id, received_on, note, recorded_at FROM jury_appeals";
        for row in sqlx::query(statement).fetch_all(&mut *connection).await.map_err(db)? {
            let (session, learner, received_on): (String, String, String) =
                (row.try_get(0).map_err(db)?, row.try_get(1).map_err(db)?, row.try_get(2).map_err(db)?);
            let values = (|| {
                json(&JuryAppeal {
                    learner: learner.clone(),
                    received_on: stored_date(&received_on, "appeal date")?,
                    note: row.try_get(3).map_err(db)?,
                    recorded_at: row.try_get(4).map_err(db)?,
                })
            })();
            rows.push(("jury_appeal", format!("{session}/{learner}/{received_on}"), unreadable(values)));
        }
        Ok(rows)
    }
}
