//! A session prepared: created, its members seated, its candidates added (spec/jury.md §2–§4).

use super::*;

/// What `jury create` asks for.
pub struct NewSession {
    pub id: Option<String>,
    pub certification: String,
    pub kind: JuryKind,
    pub date: NaiveDate,
    pub name: Option<String>,
    pub place: Option<String>,
}

/// Creates a draft session; answers its id (the one given, else `jury-DATE-N`).
pub async fn create(db: &Database, new: NewSession, actor: &str) -> AppResult<String> {
    let certification = certification_of(db, &new.certification).await?;
    let id = match new.id {
        Some(id) => id,
        None => {
            let taken: HashSet<String> = db.jury_sessions().await?.into_iter().map(|s| s.session.id).collect();
            let stem = format!("jury-{}", new.date.format("%Y%m%d"));
            (1..).map(|n| format!("{stem}-{n}")).find(|id| !taken.contains(id)).unwrap_or(stem)
        }
    };
    certif_core::ident::check(&id).map_err(|e| InputError(format!("SESSION : {e}")))?;
    let name = new.name.unwrap_or_else(|| format!("Jury {} du {}", certification.certification.code, new.date.format("%d/%m/%Y")));
    let session = JurySession {
        id: id.clone(),
        certification: certification.certification.code,
        kind: new.kind,
        date: new.date,
        name,
        place: new.place,
    };
    db.create_jury_session(session, actor).await.map_err(caller_error)?;
    Ok(id)
}

/// Seats a member; a role the certification's jury does not have is refused.
pub async fn add_member(db: &Database, id: &str, member: Member, actor: &str) -> AppResult<()> {
    let session = session_of(db, id).await?;
    let composition = certification_of(db, &session.session.certification).await?.jury;
    let seated = composition.seats.iter().any(|s| s.role == member.role);
    if !seated && composition.min_others == 0 {
        let roles: Vec<&str> = composition.seats.iter().map(|s| s.role.as_str()).collect();
        return Err(InputError(format!("--role {} : ce jury n'a pas ce rôle ({})", member.role, roles.join(", "))).into());
    }
    if member.name.trim().is_empty() {
        return Err(InputError("--name : un membre a un nom".into()).into());
    }
    if member.representing.as_deref().is_some_and(|r| r.trim().is_empty()) {
        return Err(InputError("--representing : un représentant nomme la personne qu'il représente".into()).into());
    }
    if let Some(username) = &member.account
        && db.account(username).await?.is_none()
    {
        return Err(InputError(format!("--account {username} : aucun compte de ce nom (certif user add)")).into());
    }
    change(db, id, JuryChange::AddMember(member), actor).await
}

pub async fn remove_member(db: &Database, id: &str, name: &str, actor: &str) -> AppResult<()> {
    change(db, id, JuryChange::RemoveMember { name: name.to_string() }, actor).await
}

/// Which learners `candidates add` takes.
pub enum Candidates {
    All,
    Some(Vec<String>),
}

pub(super) fn learner_record(records: &[Record]) -> Option<&LearnerRecord> {
    records.iter().find_map(|r| match r {
        Record::Learner(l) => Some(l),
        _ => None,
    })
}

/// Why a learner cannot be a candidate of this session (spec/jury.md §4), if they cannot.
pub(super) fn unfit(session: &JurySession, curricula: &Curricula, records: &[Record], titled: &HashSet<String>) -> Option<String> {
    let Some(learner) = learner_record(records) else { return Some("apprenant inconnu".into()) };
    let certification = curricula.for_learner(learner.curriculum.as_deref()).map(|(_, c)| c.code.as_str());
    if certification != Some(session.certification.as_str()) {
        return Some(format!("ne prépare pas {}", session.certification));
    }
    let vae = learner.access_route == AccessRoute::Vae;
    match session.kind {
        JuryKind::Title if vae => return Some("voie VAE : relève d'un jury VAE".into()),
        JuryKind::Vae if !vae => return Some("voie hors VAE : relève d'un jury de titre".into()),
        _ => {}
    }
    if titled.contains(&learner.learner.id) {
        return Some("déjà titulaire du titre".into());
    }
    None
}

async fn title_holders(db: &Database, certification: &str) -> AppResult<HashSet<String>> {
    Ok(db.holders().await?.into_iter().filter(|h| h.certification == certification && h.what == Held::Title).map(|h| h.learner).collect())
}

/// Adds candidates: every learner who fits (`All`), or those named, refusing any who does not
/// fit with the reason (nothing added then).
pub async fn add_candidates(db: &Database, id: &str, which: Candidates, actor: &str) -> AppResult<usize> {
    let session = session_of(db, id).await?;
    let curricula = stored_curricula(db).await?;
    let titled = title_holders(db, &session.session.certification).await?;
    let learners = match which {
        Candidates::All => {
            let mut fitting = Vec::new();
            for (learner, records) in db.all_records().await? {
                if unfit(&session.session, &curricula, &records, &titled).is_none() {
                    fitting.push(learner);
                }
            }
            fitting
        }
        Candidates::Some(ids) => {
            let mut problems = Vec::new();
            for learner in &ids {
                certif_core::ident::check(learner).map_err(|e| InputError(format!("{learner} : {e}")))?;
                let records = db.records_of(learner).await?;
                if let Some(why) = unfit(&session.session, &curricula, &records, &titled) {
                    problems.push(format!("{learner} : {why}"));
                }
            }
            if !problems.is_empty() {
                return Err(InputError(format!("candidats refusés (rien n'a été ajouté) :\n  {}", problems.join("\n  "))).into());
            }
            ids
        }
    };
    let added = learners.len();
    change(db, id, JuryChange::AddCandidates(learners), actor).await?;
    Ok(added)
}

pub async fn remove_candidate(db: &Database, id: &str, learner: &str, actor: &str) -> AppResult<()> {
    change(db, id, JuryChange::RemoveCandidate { learner: learner.to_string() }, actor).await
}
