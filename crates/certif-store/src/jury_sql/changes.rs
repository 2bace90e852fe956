//! Each change to a jury session written: its rows and the audit entries it answers (the
//! dispatch and the transaction are `change_jury_session_versioned`'s).

use super::*;

#[sqlx_bounds]
impl<D: Dialect> Sql<D> {
    /// Writes the session's changing columns from `after`, and answers the audit entry.
    pub(super) async fn update_session(connection: &mut Conn<D>, before: &SessionRow, after: &SessionRow) -> StoreResult<Change> {
        sqlx::query(&in_dialect::<D>(
            "UPDATE jury_sessions SET status = ?, opened_at = ?, closed_at = ?, published_on = ?, minutes = ?, minutes_sha256 = ?, \
             signed_by = ?, signed_at = ?, signature_sha256 = ? WHERE session_id = ?",
        ))
        .bind(after.status.as_str())
        .bind(&after.opened_at)
        .bind(&after.closed_at)
        .bind(after.published_on.map(|d| d.to_string()))
        .bind(&after.minutes)
        .bind(&after.minutes_sha256)
        .bind(&after.signed_by)
        .bind(&after.signed_at)
        .bind(&after.signature_sha256)
        .bind(&after.session.id)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
        Ok(change("jury_session", after.session.id.clone(), None, Some(json(before)?), json(after)?))
    }

    pub(super) async fn add_member(connection: &mut Conn<D>, id: &str, member: Member) -> StoreResult<Vec<Change>> {
        if member.name.trim().is_empty() {
            return Err(StoreError::Invalid("un membre du jury a un nom".into()));
        }
        let seated = Self::read_members(connection, id).await?;
        if let Some(twice) = seated.iter().find(|m| same_name(&m.name, &member.name)) {
            return Err(StoreError::Refused {
                code: JuryCode::JuryMemberTwice.as_str(),
                message: format!("{} siège déjà dans la session de jury {id} ({})", twice.name, twice.role),
            });
        }
        let position: i64 =
            sqlx::query_scalar(&in_dialect::<D>("SELECT COALESCE(MAX(position), 0) + 1 FROM jury_members WHERE session_id = ?"))
                .bind(id)
                .fetch_one(&mut *connection)
                .await
                .map_err(db)?;
        sqlx::query(&in_dialect::<D>(
            "INSERT INTO jury_members (session_id, name, position, role, representing, present, account) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ))
        .bind(id)
        .bind(&member.name)
        .bind(position)
        .bind(&member.role)
        .bind(&member.representing)
        .bind(i64::from(member.present))
        .bind(&member.account)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
        Ok(vec![change("jury_member", format!("{id}/{}", member.name), None, None, json(&member)?)])
    }

    pub(super) async fn remove_member(connection: &mut Conn<D>, id: &str, name: &str) -> StoreResult<Vec<Change>> {
        let members = Self::read_members(connection, id).await?;
        let Some(member) = members.iter().find(|m| m.name == name) else {
            return Err(StoreError::NotFound(format!("membre {name} de la session de jury {id}")));
        };
        sqlx::query(&in_dialect::<D>("DELETE FROM jury_members WHERE session_id = ? AND name = ?"))
            .bind(id)
            .bind(name)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
        // A removal is audited as an entry whose `after` is the JSON null.
        Ok(vec![change("jury_member", format!("{id}/{name}"), None, Some(json(member)?), REMOVED.into())])
    }

    pub(super) async fn add_candidates(connection: &mut Conn<D>, id: &str, learners: Vec<String>) -> StoreResult<Vec<Change>> {
        let mut present: HashSet<String> = Self::read_candidates(connection, id).await?.into_iter().map(|c| c.learner).collect();
        let mut changes = Vec::new();
        for learner in learners {
            if present.contains(&learner) {
                continue;
            }
            let known = sqlx::query(&in_dialect::<D>("SELECT 1 FROM learners WHERE learner_id = ?"))
                .bind(&learner)
                .fetch_optional(&mut *connection)
                .await
                .map_err(db)?;
            if known.is_none() {
                return Err(StoreError::Invalid(format!("apprenant {learner} : inconnu, pas ajouté à la session de jury {id}")));
            }
            sqlx::query(&in_dialect::<D>("INSERT INTO jury_candidates (session_id, learner_id) VALUES (?, ?)"))
                .bind(id)
                .bind(&learner)
                .execute(&mut *connection)
                .await
                .map_err(db)?;
            let row = CandidateRow { learner: learner.clone(), appeal_of: None, proposal: None, adopted: None };
            changes.push(change("jury_candidate", format!("{id}/{learner}"), Some(&learner), None, json(&row)?));
            present.insert(learner);
        }
        Ok(changes)
    }

    pub(super) async fn remove_candidate(connection: &mut Conn<D>, id: &str, learner: &str) -> StoreResult<Vec<Change>> {
        let candidate = Self::read_candidate(connection, id, learner).await?;
        // Only a draft loses a candidate: it has no points nor appeals yet.
        sqlx::query(&in_dialect::<D>("DELETE FROM jury_candidates WHERE session_id = ? AND learner_id = ?"))
            .bind(id)
            .bind(learner)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
        Ok(vec![change("jury_candidate", format!("{id}/{learner}"), Some(learner), Some(json(&candidate)?), REMOVED.into())])
    }

    pub(super) async fn refer_to_appeal(connection: &mut Conn<D>, id: &str, learner: &str, appealed: String) -> StoreResult<Vec<Change>> {
        let before = Self::read_candidate(connection, id, learner).await?;
        let published = match Self::read_session_row(connection, &appealed).await? {
            Some(session) => session.status == JuryStatus::Published && appealed != id,
            None => false,
        };
        let appeal = sqlx::query(&in_dialect::<D>("SELECT 1 FROM jury_appeals WHERE session_id = ? AND learner_id = ?"))
            .bind(&appealed)
            .bind(learner)
            .fetch_optional(&mut *connection)
            .await
            .map_err(db)?;
        if !published || appeal.is_none() {
            return Err(StoreError::Invalid(format!(
                "{learner} n'a aucun recours enregistré contre une décision publiée de la session de jury {appealed}"
            )));
        }
        sqlx::query(&in_dialect::<D>("UPDATE jury_candidates SET appeal_of = ? WHERE session_id = ? AND learner_id = ?"))
            .bind(&appealed)
            .bind(id)
            .bind(learner)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
        let after = CandidateRow { appeal_of: Some(appealed), ..before.clone() };
        Ok(vec![change("jury_candidate", format!("{id}/{learner}"), Some(learner), Some(json(&before)?), json(&after)?)])
    }

    pub(super) async fn open(connection: &mut Conn<D>, session: SessionRow, proposals: Vec<(String, String)>) -> StoreResult<Vec<Change>> {
        let id = session.session.id.clone();
        let candidates = Self::read_candidates(connection, &id).await?;
        let mut given: Vec<(String, Box<RawValue>)> = Vec::new();
        for (learner, proposal) in proposals {
            if !candidates.iter().any(|c| c.learner == learner) {
                return Err(StoreError::Invalid(format!("{learner} n'est pas candidat de la session de jury {id}")));
            }
            if given.iter().any(|(l, _)| *l == learner) {
                return Err(StoreError::Invalid(format!("deux propositions pour {learner}")));
            }
            let proposal = document(proposal, &format!("la proposition pour {learner}"))?;
            given.push((learner, proposal));
        }
        let after = SessionRow { status: JuryStatus::Open, opened_at: Some(now()), ..session.clone() };
        let mut changes = vec![Self::update_session(connection, &session, &after).await?];
        for before in candidates {
            let Some((_, proposal)) = given.iter().find(|(l, _)| *l == before.learner) else {
                return Err(StoreError::Invalid(format!(
                    "aucune proposition pour {} : la session de jury {id} s'ouvre avec celle de chaque candidat",
                    before.learner
                )));
            };
            sqlx::query(&in_dialect::<D>("UPDATE jury_candidates SET proposal = ? WHERE session_id = ? AND learner_id = ?"))
                .bind(proposal.get())
                .bind(&id)
                .bind(&before.learner)
                .execute(&mut *connection)
                .await
                .map_err(db)?;
            let after = CandidateRow { proposal: Some(proposal.clone()), ..before.clone() };
            let key = format!("{id}/{}", before.learner);
            changes.push(change("jury_candidate", key, Some(&before.learner), Some(json(&before)?), json(&after)?));
        }
        Ok(changes)
    }

    pub(super) async fn set_points(connection: &mut Conn<D>, id: &str, learner: &str, points: JuryPoints) -> StoreResult<Vec<Change>> {
        Self::read_candidate(connection, id, learner).await?;
        if points.module.trim().is_empty() || points.justification.trim().is_empty() {
            return Err(StoreError::Invalid("des points de jury nomment leur module et sont justifiés".into()));
        }
        let before = Self::stored_points(connection, id, learner, &points.module).await?;
        let text = points_text(points.points);
        let statement = if before.is_some() {
            "UPDATE jury_points SET points = ?, justification = ? WHERE session_id = ? AND learner_id = ? AND module = ?"
        } else {
            "INSERT INTO jury_points (points, justification, session_id, learner_id, module) VALUES (?, ?, ?, ?, ?)"
        };
        sqlx::query(&in_dialect::<D>(statement))
            .bind(&text)
            .bind(&points.justification)
            .bind(id)
            .bind(learner)
            .bind(&points.module)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
        let after = json(&PointsJson { points: &text, justification: &points.justification })?;
        Ok(vec![change("jury_points", format!("{id}/{learner}/{}", points.module), Some(learner), before, after)])
    }

    /// The audit JSON of the points stored on one module, if any.
    pub(super) async fn stored_points(connection: &mut Conn<D>, id: &str, learner: &str, module: &str) -> StoreResult<Option<String>> {
        let row = sqlx::query(&in_dialect::<D>(
            "SELECT points, justification FROM jury_points WHERE session_id = ? AND learner_id = ? AND module = ?",
        ))
        .bind(id)
        .bind(learner)
        .bind(module)
        .fetch_optional(&mut *connection)
        .await
        .map_err(db)?;
        row.map(|row| {
            let (points, justification): (String, String) = (row.try_get(0).map_err(db)?, row.try_get(1).map_err(db)?);
            json(&PointsJson { points: &points, justification: &justification })
        })
        .transpose()
    }

    pub(super) async fn remove_points(connection: &mut Conn<D>, id: &str, learner: &str, module: &str) -> StoreResult<Vec<Change>> {
        let Some(before) = Self::stored_points(connection, id, learner, module).await? else {
            return Err(StoreError::NotFound(format!("points de jury de {learner} en {module} dans la session de jury {id}")));
        };
        sqlx::query(&in_dialect::<D>("DELETE FROM jury_points WHERE session_id = ? AND learner_id = ? AND module = ?"))
            .bind(id)
            .bind(learner)
            .bind(module)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
        Ok(vec![change("jury_points", format!("{id}/{learner}/{module}"), Some(learner), Some(before), REMOVED.into())])
    }

    pub(super) async fn deliberate(
        connection: &mut Conn<D>,
        id: &str,
        learner: &str,
        deliberation: Deliberation,
        proposal: String,
    ) -> StoreResult<Vec<Change>> {
        let before = Self::read_candidate(connection, id, learner).await?;
        let proposal = document(proposal, "the proposal deliberated on")?;
        let adopted = AdoptedRow { deliberation, proposal, at: now() };
        sqlx::query(&in_dialect::<D>(
            "UPDATE jury_candidates SET decision = ?, decided_proposal = ?, decided_at = ? WHERE session_id = ? AND learner_id = ?",
        ))
        .bind(json(&adopted.deliberation)?)
        .bind(adopted.proposal.get())
        .bind(&adopted.at)
        .bind(id)
        .bind(learner)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
        let after = CandidateRow { adopted: Some(adopted), ..before.clone() };
        Ok(vec![change("jury_candidate", format!("{id}/{learner}"), Some(learner), Some(json(&before)?), json(&after)?)])
    }

    pub(super) async fn close(connection: &mut Conn<D>, session: SessionRow, minutes: String) -> StoreResult<Vec<Change>> {
        let id = &session.session.id;
        let undecided: Vec<String> =
            Self::read_candidates(connection, id).await?.into_iter().filter(|c| c.adopted.is_none()).map(|c| c.learner).collect();
        if !undecided.is_empty() {
            return Err(StoreError::Refused {
                code: JuryCode::JuryCandidateUndecided.as_str(),
                message: format!("la session de jury {id} ne peut être close : aucune décision adoptée pour {}", undecided.join(", ")),
            });
        }
        let minutes = document(minutes, "le procès-verbal")?.get().to_string();
        let after = SessionRow {
            status: JuryStatus::Closed,
            closed_at: Some(now()),
            minutes_sha256: Some(sha256_hex(minutes.as_bytes())),
            minutes: Some(minutes),
            ..session.clone()
        };
        Ok(vec![Self::update_session(connection, &session, &after).await?])
    }

    pub(super) async fn sign(
        connection: &mut Conn<D>,
        session: SessionRow,
        name: String,
        at: String,
        sha256: String,
    ) -> StoreResult<Vec<Change>> {
        if session.minutes_sha256.as_deref() != Some(sha256.as_str()) {
            return Err(StoreError::Invalid(format!(
                "le procès-verbal signé ({sha256}) n'est pas celui de la session de jury {} ({})",
                session.session.id,
                session.minutes_sha256.as_deref().unwrap_or("aucun")
            )));
        }
        if name.trim().is_empty() {
            return Err(StoreError::Invalid("une signature porte un nom".into()));
        }
        let after = SessionRow { signed_by: Some(name), signed_at: Some(at), signature_sha256: Some(sha256), ..session.clone() };
        Ok(vec![Self::update_session(connection, &session, &after).await?])
    }

    pub(super) async fn publish(connection: &mut Conn<D>, session: SessionRow, on: NaiveDate) -> StoreResult<Vec<Change>> {
        if on < session.session.date {
            return Err(StoreError::Invalid(format!(
                "la session de jury {} délibère le {} : elle ne peut être publiée le {on}",
                session.session.id, session.session.date
            )));
        }
        let after = SessionRow { status: JuryStatus::Published, published_on: Some(on), ..session.clone() };
        Ok(vec![Self::update_session(connection, &session, &after).await?])
    }

    pub(super) async fn appeal(connection: &mut Conn<D>, id: &str, appeal: JuryAppeal) -> StoreResult<Vec<Change>> {
        Self::read_candidate(connection, id, &appeal.learner).await?;
        let received_on = appeal.received_on.to_string();
        let known = sqlx::query(&in_dialect::<D>("SELECT 1 FROM jury_appeals WHERE session_id = ? AND learner_id = ? AND received_on = ?"))
            .bind(id)
            .bind(&appeal.learner)
            .bind(&received_on)
            .fetch_optional(&mut *connection)
            .await
            .map_err(db)?;
        if known.is_some() {
            return Err(StoreError::Invalid(format!("un recours de {} reçu le {received_on} est déjà enregistré", appeal.learner)));
        }
        sqlx::query(&in_dialect::<D>(
            "INSERT INTO jury_appeals (session_id, learner_id, received_on, note, recorded_at) VALUES (?, ?, ?, ?, ?)",
        ))
        .bind(id)
        .bind(&appeal.learner)
        .bind(&received_on)
        .bind(&appeal.note)
        .bind(&appeal.recorded_at)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
        let key = format!("{id}/{}/{received_on}", appeal.learner);
        Ok(vec![change("jury_appeal", key, Some(&appeal.learner), None, json(&appeal)?)])
    }
}
