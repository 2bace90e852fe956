//! The holders' documents (spec/credentials.md §1) over the store: the diploma, the attestation
//! of the blocks acquired, the transcript — each built only from a **published** jury decision
//! that still stands (spec/jury.md §8), typeset by `certif_documents`, given an id (UUID v4) and
//! a verification URL (`{base_url}/verify/{id}`), and recorded with the SHA-256 of its bytes.
//!
//! What a document states is what the jury decided on: the proposal adopted (blocks, UEs,
//! final marks, averages, ECTS, conditions), the fiche (title, code, level, certifier, blocks and
//! their competencies), the curriculum (UE and module titles, coefficients) and the learner's
//! record (names, birth), never the records as they are today.

use std::collections::HashMap;

use certif_core::certification::Certification;
use certif_core::curriculum::Curriculum;
use certif_core::dossier::{Dossier, EnglishScore};
use certif_core::engine::certified_level;
use certif_core::jury::{Outcome, presiding_member};
use certif_core::messages::{self, Lang};
use certif_core::{Decimal, Policy};
use certif_documents::Kind;
use certif_store::documents::{DocumentStore as _, IssuedDocument};
use certif_store::jury::{Held, Holder, JuryStatus, JuryStore as _, StoredJurySession};
use certif_store::record::LearnerRecord;
use certif_store::{Record, Store as _, StoreError};
use chrono::NaiveDate;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::certifications::{Resolved, resolve};
use crate::curricula::{Curricula, stored_curricula};
use crate::database::Database;
use crate::error::{AppError, AppResult, InputError};

mod transcript;

use crate::address::{base_url, verify_url};
use transcript::transcript;

/// Whose documents: one learner (from one session, else their latest that fits the kind), or
/// every holder of a session.
#[derive(Debug, Clone)]
pub enum Which {
    Learner { learner: String, session: Option<String> },
    Session(String),
}

/// A document's data, ready to typeset once given its id and URL.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub kind: Kind,
    pub learner: String,
    pub session: String,
    /// The template's JSON, without `id`, `verify_url` and `issued_on`.
    pub data: Value,
}

/// One document issued: what the store keeps, and the PDF.
#[derive(Debug, Clone)]
pub struct Issued {
    pub document: IssuedDocument,
    pub pdf: Vec<u8>,
}

impl Issued {
    /// Its file name in a session's directory: `LEARNER-KIND.pdf`.
    pub fn file_name(&self) -> String {
        format!("{}-{}.pdf", self.document.learner, self.document.kind)
    }
}

/// Whether `held` gives a learner a document of `kind`: a diploma for the title, an
/// attestation for blocks (the title acquires every block), a transcript for either.
fn fits(kind: Kind, held: &Held) -> bool {
    match kind {
        Kind::Diploma => *held == Held::Title,
        Kind::Attestation | Kind::Transcript => true,
    }
}

fn none_held(kind: Kind, learner: &str, session: Option<&str>) -> AppError {
    let what = match kind {
        Kind::Diploma => "aucun titre délivré",
        Kind::Attestation => "aucun bloc de compétences acquis",
        Kind::Transcript => "aucun titre ni bloc acquis",
    };
    let scope = session.map(|s| format!(" dans la session {s}")).unwrap_or_default();
    InputError(format!(
        "{learner} : {what} par une décision de jury publiée{scope} — le {} n'est délivré que sur décision publiée (certif holders)",
        kind.label()
    ))
    .into()
}

/// The (learner, session) pairs `which` names for `kind`, each from a standing published decision.
async fn targets(db: &Database, kind: Kind, which: &Which) -> AppResult<Vec<(String, String)>> {
    let holders: Vec<Holder> = db.holders().await?;
    match which {
        Which::Learner { learner, session } => {
            certif_core::ident::check(learner).map_err(|e| InputError(format!("{learner} : {e}")))?;
            if let Some(session) = session {
                published_session(db, session).await?;
            }
            let latest = holders
                .iter()
                .filter(|h| h.learner == *learner && fits(kind, &h.what) && session.as_ref().is_none_or(|s| *s == h.session))
                .max_by(|a, b| (a.published_on, &a.session).cmp(&(b.published_on, &b.session)));
            match latest {
                Some(h) => Ok(vec![(h.learner.clone(), h.session.clone())]),
                None => Err(none_held(kind, learner, session.as_deref())),
            }
        }
        Which::Session(session) => {
            published_session(db, session).await?;
            let mut learners: Vec<String> =
                holders.iter().filter(|h| h.session == *session && fits(kind, &h.what)).map(|h| h.learner.clone()).collect();
            learners.dedup();
            if learners.is_empty() {
                return Err(InputError(format!("session {session} : aucun titulaire à qui délivrer un {}", kind.label())).into());
            }
            Ok(learners.into_iter().map(|l| (l, session.clone())).collect())
        }
    }
}

async fn published_session(db: &Database, id: &str) -> AppResult<StoredJurySession> {
    let session = db.jury_session(id).await?.ok_or_else(|| InputError(format!("session de jury {id} : introuvable")))?;
    if session.status != JuryStatus::Published {
        return Err(InputError(format!(
            "session de jury {id} : {} — les documents ne sont délivrés que sur décision publiée (jury publish {id})",
            session.status.as_str()
        ))
        .into());
    }
    Ok(session)
}

/// What every document of a session shares: the session, its certification, the curricula.
struct Context {
    session: StoredJurySession,
    resolved: Resolved,
    president: Option<String>,
}

/// The data of `kind` for each holder `which` names, from what the store holds.
pub async fn prepare(db: &Database, kind: Kind, which: &Which) -> AppResult<Vec<Prepared>> {
    let targets = targets(db, kind, which).await?;
    let curricula = stored_curricula(db).await?;
    let policy = Policy::default();
    let mut contexts: HashMap<String, Context> = HashMap::new();
    // Many holders: every record in one pass; a few: each one's own.
    let mut all: HashMap<String, Vec<Record>> =
        if targets.len() > 50 { db.all_records().await?.into_iter().collect() } else { HashMap::new() };
    let mut prepared = Vec::with_capacity(targets.len());
    for (learner, session) in targets {
        if !contexts.contains_key(&session) {
            let stored = published_session(db, &session).await?;
            let resolved = resolve(db, &stored.session.certification)
                .await?
                .ok_or_else(|| InputError(format!("certification {} : inconnue", stored.session.certification)))?;
            let president = presiding_member(&resolved.jury.presiding, &stored.members).map(|m| m.name.clone());
            contexts.insert(session.clone(), Context { session: stored, resolved, president });
        }
        let Some(context) = contexts.get(&session) else { continue };
        let records = match all.remove(&learner) {
            Some(records) => records,
            None => db.records_of(&learner).await?,
        };
        let data = document_data(kind, context, &curricula, &policy, &learner, &records)?;
        prepared.push(Prepared { kind, learner, session, data });
    }
    Ok(prepared)
}

fn learner_record(records: &[Record]) -> Option<&LearnerRecord> {
    records.iter().find_map(|r| match r {
        Record::Learner(l) => Some(l),
        _ => None,
    })
}

fn stored(message: String) -> AppError {
    StoreError::Database(message).into()
}

/// One holder's document data.
fn document_data(
    kind: Kind,
    context: &Context,
    curricula: &Curricula,
    policy: &Policy,
    learner: &str,
    records: &[Record],
) -> AppResult<Value> {
    let session = &context.session;
    let certification = &context.resolved.certification;
    let record = learner_record(records).ok_or_else(|| InputError(format!("apprenant {learner} : inconnu")))?;
    let candidate = session
        .candidates
        .iter()
        .find(|c| c.learner == learner)
        .ok_or_else(|| InputError(format!("{learner} : pas candidat de la session {}", session.session.id)))?;
    let adopted =
        candidate.adopted.as_ref().ok_or_else(|| stored(format!("{learner} : sans décision dans la session {}", session.session.id)))?;
    let proposal: Value =
        serde_json::from_str(&adopted.proposal).map_err(|e| stored(format!("une proposition enregistrée est illisible : {e}")))?;
    let outcome = &adopted.deliberation.outcome;
    let mut data = header(context, record, outcome);
    let Some(object) = data.as_object_mut() else { return Ok(data) };
    match kind {
        Kind::Diploma => {}
        Kind::Attestation => {
            let blocks = attested_blocks(certification, outcome, &proposal);
            if blocks.is_empty() {
                return Err(none_held(kind, learner, Some(&session.session.id)));
            }
            object.insert("blocks".into(), Value::Array(blocks));
        }
        Kind::Transcript => {
            let curriculum = curricula.decided_against(policy, learner, records).ok().map(|(curriculum, _, _)| curriculum);
            let dossier = certif_store::dossier_from(records, session.session.date, |_| Some(certification.code.clone()));
            for (key, value) in transcript(certification, curriculum, dossier.as_ref(), policy, &proposal) {
                object.insert(key.into(), value);
            }
        }
    }
    Ok(data)
}

/// What every document shows: certifier, certification, holder, jury.
fn header(context: &Context, record: &LearnerRecord, outcome: &Outcome) -> Value {
    let certification = &context.resolved.certification;
    let session = &context.session;
    let certifier = certification.certifiers.first();
    let holder = &record.learner;
    let code = outcome.minutes_code();
    json!({
        "certifier": {
            "name": certifier.map(|c| c.name.as_str()).unwrap_or(""),
            "commercial_name": certifier.and_then(|c| c.commercial_name.as_deref()),
            "siret": certifier.map(|c| c.siret.as_str()).unwrap_or(""),
        },
        "certification": {
            "code": certification.code,
            "title": certification.title,
            "level": certification.level.map(|l| l.to_string()),
        },
        "holder": {
            "learner": holder.id,
            "family_name": holder.family_name,
            "given_names": holder.given_names,
            "birth_date": holder.birth_date.map(|d| d.to_string()),
            "birth_place": holder.birth_place_insee.as_ref().map(|insee| format!("commune INSEE {insee}")),
        },
        "jury": {
            "session": session.session.id,
            "name": session.session.name,
            "date": session.session.date.to_string(),
            "published_on": session.published_on.map(|d| d.to_string()).unwrap_or_else(|| session.session.date.to_string()),
            "place": session.session.place,
            "president": context.president,
            "outcome": format!("{code} — {}", messages::jury_outcome(code, Lang::Fr)),
        },
    })
}

/// The codes of the blocks the decision acquires: every block validated in the proposal when
/// the title is awarded, else those the jury's outcome names.
fn acquired_blocks(outcome: &Outcome, proposal: &Value) -> Vec<String> {
    match outcome {
        Outcome::Award => blocks_of(proposal)
            .iter()
            .filter(|b| b.get("status").and_then(Value::as_str) == Some("validated"))
            .filter_map(|b| b.get("code").and_then(Value::as_str).map(String::from))
            .collect(),
        other => other.blocks_acquired().to_vec(),
    }
}

fn blocks_of(proposal: &Value) -> &[Value] {
    proposal.get("blocks").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

fn via_of(proposal: &Value, block: &str) -> &'static str {
    let via = blocks_of(proposal).iter().find(|b| b.get("code").and_then(Value::as_str) == Some(block)).and_then(|b| b.get("via"));
    match via.and_then(Value::as_str) {
        Some("vae") => messages::via(certif_core::decision::Via::Vae, Lang::Fr),
        _ => messages::via(certif_core::decision::Via::Training, Lang::Fr),
    }
}

/// One attestation page a block acquired: its code, title and competencies as the fiche lists them.
fn attested_blocks(certification: &Certification, outcome: &Outcome, proposal: &Value) -> Vec<Value> {
    acquired_blocks(outcome, proposal)
        .iter()
        .map(|code| {
            let block = certification.block(code);
            json!({
                "code": code,
                "title": block.map(|b| b.title.as_str()).unwrap_or(""),
                "via": via_of(proposal, code),
                "competencies": block.map(|b| b.competencies.iter().map(|c| json!({"id": c.id, "text": c.text, "details": c.details})).collect::<Vec<_>>()).unwrap_or_default(),
            })
        })
        .collect()
}

/// Gives each prepared document its id and URL, typesets it and takes its SHA-256 (CPU only:
/// no store). `issued_at` is RFC 3339.
pub fn render(prepared: &Prepared, base_url: &str, id: String, issued_at: &str) -> AppResult<Issued> {
    let mut data = prepared.data.clone();
    if let Some(object) = data.as_object_mut() {
        object.insert("id".into(), json!(id));
        object.insert("verify_url".into(), json!(verify_url(base_url, &id)));
        object.insert("issued_on".into(), json!(issued_at.get(..10).unwrap_or(issued_at)));
    }
    let pdf = certif_documents::document_pdf(prepared.kind, &data)
        .map_err(|e| InputError(format!("{} de {} : {e}", prepared.kind.label(), prepared.learner)))?;
    let sha256 = Sha256::digest(&pdf).iter().map(|b| format!("{b:02x}")).collect();
    Ok(Issued {
        document: IssuedDocument {
            id,
            kind: prepared.kind.as_str().to_string(),
            learner: prepared.learner.clone(),
            session: prepared.session.clone(),
            sha256,
            issued_at: issued_at.to_string(),
            revoked_at: None,
            revocation_reason: None,
        },
        pdf,
    })
}

/// Renders every prepared document, on as many threads as the machine has (typesetting is CPU
/// work), keeping their order.
pub fn render_all(prepared: &[Prepared], base_url: &str, issued_at: &str) -> AppResult<Vec<Issued>> {
    let ids: Vec<String> = prepared.iter().map(|_| crate::random_uuid()).collect::<AppResult<_>>()?;
    let threads = std::thread::available_parallelism().map(usize::from).unwrap_or(1).max(1);
    let chunk = prepared.len().div_ceil(threads).max(1);
    let results: Vec<AppResult<Vec<Issued>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = prepared
            .chunks(chunk)
            .zip(ids.chunks(chunk))
            .map(|(documents, ids)| {
                scope.spawn(move || {
                    documents.iter().zip(ids).map(|(p, id)| render(p, base_url, id.clone(), issued_at)).collect::<AppResult<Vec<_>>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(stored("a document's typesetting stopped unexpectedly".into()))))
            .collect()
    });
    let mut issued = Vec::with_capacity(prepared.len());
    for result in results {
        issued.extend(result?);
    }
    Ok(issued)
}

/// Issues the documents of `kind` `which` names: prepared from the published decisions,
/// typeset, and recorded (ids and SHA-256, audited) in one transaction.
pub async fn issue(db: &Database, kind: Kind, which: &Which, actor: &str) -> AppResult<Vec<Issued>> {
    let base = base_url(db).await?;
    let prepared = prepare(db, kind, which).await?;
    let issued_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let issued = render_all(&prepared, &base, &issued_at)?;
    db.record_documents(issued.iter().map(|i| i.document.clone()).collect(), actor).await?;
    Ok(issued)
}

/// Revokes what `session` issued to `learner` (an appeal changed the decision); answers how many.
pub async fn revoke(db: &Database, learner: &str, session: &str, reason: &str, actor: &str) -> AppResult<usize> {
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Ok(db.revoke_documents(learner, session, reason, &at, actor).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_ids_are_fresh_uuids_of_version_4() {
        let (a, b) = (crate::random_uuid().unwrap(), crate::random_uuid().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
    }

    #[test]
    fn an_award_acquires_the_blocks_its_proposal_validated_and_a_vae_block_says_so() {
        let proposal = json!({"blocks": [
            {"code": "B1", "status": "validated", "via": "training"},
            {"code": "B2", "status": "validated", "via": "vae"},
            {"code": "B3", "status": "not_validated", "via": "training"}
        ]});
        assert_eq!(acquired_blocks(&Outcome::Award, &proposal), ["B1", "B2"]);
        assert_eq!(acquired_blocks(&Outcome::ValidateBlocks { blocks: vec!["B3".into()] }, &proposal), ["B3"]);
        assert!(acquired_blocks(&Outcome::Refuse, &proposal).is_empty());
        assert_eq!(via_of(&proposal, "B2"), "VAE");
        assert_eq!(via_of(&proposal, "B1"), "formation");
    }
}
