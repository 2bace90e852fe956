//! A session ended: the minutes built at closing, the president's signature, publication.

use super::*;

/// The proposal as the minutes keep it, read back from its stored JSON.
fn proposal_line(json: &str) -> AppResult<ProposalLine> {
    #[derive(Deserialize)]
    struct Title {
        status: TitleStatus,
        reasons: Vec<certif_core::codes::ReasonCode>,
    }
    #[derive(Deserialize)]
    struct Block {
        code: String,
        status: Status,
    }
    #[derive(Deserialize)]
    struct Proposed {
        title: Title,
        blocks: Vec<Block>,
    }
    let proposed: Proposed =
        serde_json::from_str(json).map_err(|e| StoreError::Database(format!("une proposition enregistrée est illisible : {e}")))?;
    Ok(ProposalLine {
        title: proposed.title.status,
        blocks_validated: proposed.blocks.into_iter().filter(|b| b.status == Status::Validated).map(|b| b.code).collect(),
        reasons: proposed.title.reasons,
    })
}

/// The minutes of a session whose candidates are all decided (else `JURY_CANDIDATE_UNDECIDED`).
async fn minutes_of(db: &Database, session: &StoredJurySession) -> AppResult<Minutes> {
    let undecided: Vec<&str> = session.candidates.iter().filter(|c| c.adopted.is_none()).map(|c| c.learner.as_str()).collect();
    if !undecided.is_empty() {
        return Err(one(JuryCode::JuryCandidateUndecided, format!("sans décision adoptée : {}", undecided.join(", "))));
    }
    let resolved = certification_of(db, &session.session.certification).await?;
    let certification = &resolved.certification;
    let mut candidates = Vec::with_capacity(session.candidates.len());
    for candidate in &session.candidates {
        let Some(adopted) = &candidate.adopted else { continue };
        let records = db.records_of(&candidate.learner).await?;
        let learner = learner_record(&records);
        let d = &adopted.deliberation;
        candidates.push(CandidateLine {
            learner: candidate.learner.clone(),
            name: learner.map(|l| l.learner.display_name()).unwrap_or_default(),
            route: learner.map(|l| messages::route(l.access_route, Lang::Fr).to_string()).unwrap_or_default(),
            proposal: proposal_line(&adopted.proposal)?,
            points: candidate
                .points
                .iter()
                .map(|p| PointsLine { module: p.module.clone(), points: p.points.to_string(), justification: p.justification.clone() })
                .collect(),
            code: d.outcome.minutes_code(),
            outcome: d.outcome.clone(),
            votes: d.votes,
            casting_vote_decided: d.votes.in_favour == d.votes.against && d.votes.casting_vote == Some(CastingVote::For),
            justification: d.justification.clone(),
        });
    }
    let composition = &resolved.jury;
    let president = jury::presiding_member(&composition.presiding, &session.members).map(|m| m.name.clone());
    Ok(Minutes {
        certification: CertificationLine {
            code: certification.code.clone(),
            title: certification.title.clone(),
            level: certification.level.map(|l| l.to_string()),
            certifier: certification.certifiers.first().map(|c| c.name.clone()),
        },
        session: session.session.id.clone(),
        kind: session.session.kind.as_str().to_string(),
        date: session.session.date,
        place: session.session.place.clone(),
        // Accounts are how certif knows who acts, not part of what the jury decided.
        members: session.members.iter().map(|m| Member { account: None, ..m.clone() }).collect(),
        totals: Minutes::totals_of(&candidates),
        candidates,
        president,
        signature: None,
    })
}

/// Closes the session with its minutes (refused while a candidate is undecided).
pub async fn close(db: &Database, id: &str, actor: &str) -> AppResult<()> {
    let session = session_of(db, id).await?;
    if session.status != JuryStatus::Open {
        return change(db, id, JuryChange::Close { minutes: String::new() }, actor).await;
    }
    let minutes = minutes_of(db, &session).await?;
    let json = String::from_utf8(minutes.canonical_json()).map_err(|e| StoreError::Database(e.to_string()))?;
    // The minutes are those of the session as read: a deliberation meanwhile is a conflict.
    changed_since(db, id, JuryChange::Close { minutes: json }, session.version, actor).await
}

/// The president signs the closed minutes (by their SHA-256, recorded with the name and time).
pub async fn sign(db: &Database, id: &str, name: &str, actor: &str) -> AppResult<String> {
    let session = session_of(db, id).await?;
    let Some(minutes) = &session.minutes else {
        return change(db, id, JuryChange::Sign { name: name.into(), at: String::new(), sha256: String::new() }, actor)
            .await
            .map(|()| String::new());
    };
    let composition = certification_of(db, &session.session.certification).await?.jury;
    let presides = jury::presiding_member(&composition.presiding, &session.members).is_some_and(|m| m.name.trim() == name.trim());
    if !presides {
        return Err(
            InputError(format!("--as {name} : seul le membre qui préside ({}) signe le procès-verbal", composition.presiding)).into()
        );
    }
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    change(db, id, JuryChange::Sign { name: name.trim().to_string(), at, sha256: minutes.sha256.clone() }, actor).await?;
    Ok(minutes.sha256.clone())
}

/// Publishes the decisions on `on` (not before the deliberation): holders from then on. The
/// credentials and documents of decisions this one replaces on appeal are revoked (credential
/// status bits are set from the publication on, whatever happens to this sweep).
pub async fn publish(db: &Database, id: &str, on: NaiveDate, actor: &str) -> AppResult<()> {
    let session = session_of(db, id).await?;
    if on < session.session.date && session.status == JuryStatus::Closed {
        return Err(InputError(format!(
            "--on {} : avant la délibération du {}",
            on.format("%d/%m/%Y"),
            session.session.date.format("%d/%m/%Y")
        ))
        .into());
    }
    change(db, id, JuryChange::Publish { on }, actor).await?;
    crate::credentials::revoke_superseded(db, chrono::Utc::now(), actor).await?;
    // The documents a decision replaced on appeal stated are revoked too.
    for candidate in session.candidates.iter().filter(|c| c.adopted.is_some()) {
        if let Some(appealed) = &candidate.appeal_of {
            crate::documents::revoke(db, &candidate.learner, appealed, crate::credentials::SUPERSEDED, actor).await?;
        }
    }
    Ok(())
}
