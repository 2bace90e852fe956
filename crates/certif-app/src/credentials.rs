//! Verifiable credentials over the store (spec/credentials.md §2–§4): the issuer's keys, one
//! Open Badges 3.0 credential per published title and acquired block, revocation (by hand, and
//! of what a decision replaced on appeal issued), and the revocation status lists. The
//! credentials themselves are `certif_credentials`'s; this module gathers their inputs.

use std::collections::{HashMap, HashSet};

use certif_core::Certification;
use certif_core::certification::AwardCondition;
use certif_credentials::{
    AchievementInput, AchievementKind, CredentialInput, HolderIdentity, IssuerInput, IssuerKey, Jwks, PublicJwk, Salt, SealedKey,
    StatusEntryInput,
};
use certif_store::credentials::{CredentialStore as _, StoredCredential, StoredKey, TITLE};
use certif_store::jury::{Held, Holder, JuryStore as _};
use certif_store::{Record, Store as _};
use chrono::{DateTime, Utc};

use crate::curricula::stored_curricula;
use crate::database::Database;
use crate::error::{AppResult, InputError};

pub use crate::address::base_url;

mod passphrase;
pub mod report;
mod status;

pub use passphrase::{PASSPHRASE_ENV, PASSPHRASE_FILE_ENV, Passphrase};
pub use status::{StatusListDocument, status_list_jwt};

/// The bits of one status list: the W3C minimum, for herd privacy.
pub const STATUS_LIST_ENTRIES: i64 = certif_credentials::status_list::MIN_ENTRIES as i64;
/// Why a credential of a decision replaced on appeal is revoked.
pub const SUPERSEDED: &str = "décision remplacée par une décision rendue en appel";

pub fn jwks_url(base: &str) -> String {
    format!("{base}/.well-known/jwks.json")
}

pub fn status_list_url(base: &str, list: &str) -> String {
    format!("{base}/status/{list}")
}

/// The public verification page of a credential (`id` a UUID or `urn:uuid:…`), as of a document.
pub fn verify_url(base: &str, id: &str) -> String {
    crate::address::verify_url(base, id.trim_start_matches("urn:uuid:"))
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Generates a new Ed25519 issuer key, sealed with the passphrase; it signs from now on, the
/// older keys stay published. Answers its kid.
pub async fn generate_key(db: &Database, passphrase: &Passphrase, now: DateTime<Utc>, actor: &str) -> AppResult<String> {
    let key = IssuerKey::generate(&jwks_url(&base_url(db).await?)).map_err(|e| InputError(format!("clé : {e}")))?;
    let sealed = key.seal(passphrase.as_str()).map_err(|e| InputError(format!("clé : {e}")))?;
    let public = serde_json::to_string(&key.public_jwk()).map_err(|e| InputError(e.to_string()))?;
    let kid = key.kid().to_string();
    db.add_issuer_key(
        StoredKey { kid: kid.clone(), public_jwk: public, sealed: sealed.to_json(), created_at: rfc3339(now), retired_at: None },
        actor,
    )
    .await?;
    Ok(kid)
}

/// The public keys, old and current: what `/.well-known/jwks.json` publishes.
pub async fn jwks(db: &Database) -> AppResult<Jwks> {
    let mut keys = Vec::new();
    for stored in db.issuer_keys().await? {
        let key: PublicJwk = serde_json::from_str(&stored.public_jwk)
            .map_err(|e| InputError(format!("la clé publique {} enregistrée est illisible : {e}", stored.kid)))?;
        keys.push(key);
    }
    Ok(Jwks::new(keys))
}

/// The current signing key, unsealed.
pub async fn signing_key(db: &Database, passphrase: &Passphrase) -> AppResult<IssuerKey> {
    let Some(current) = db.issuer_keys().await?.into_iter().rfind(|k| k.retired_at.is_none()) else {
        return Err(InputError("aucune clé d'émission : créez-en une avec « certif keys generate »".into()).into());
    };
    let sealed = SealedKey::from_json(&current.sealed).map_err(|e| InputError(format!("clé {} : {e}", current.kid)))?;
    IssuerKey::unseal(&sealed, passphrase.as_str())
        .map_err(|e| InputError(format!("la clé d'émission ne s'ouvre pas ({e}) : vérifiez {PASSPHRASE_ENV}")).into())
}

/// Whose awards `issue` takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whose {
    Learner(String),
    Session(String),
    Everyone,
}

impl Whose {
    fn takes(&self, holder: &Holder) -> bool {
        match self {
            Whose::Learner(learner) => holder.learner == *learner,
            Whose::Session(session) => holder.session == *session,
            Whose::Everyone => true,
        }
    }
}

/// What `issue` did: the credentials issued now, and how many awards already had theirs.
#[derive(Debug, Default)]
pub struct Issued {
    pub issued: Vec<StoredCredential>,
    pub already: usize,
}

/// What an award is called in the store: [`TITLE`] or the block's code.
pub fn achievement_of(held: &Held) -> &str {
    match held {
        Held::Title => TITLE,
        Held::Block(code) => code,
    }
}

/// Issues a credential for every published award (`Whose`) that has none yet: built, checked
/// against both OB 3.0 schemas, signed with the current key, recorded in one transaction.
pub async fn issue(db: &Database, whose: &Whose, passphrase: &Passphrase, now: DateTime<Utc>, actor: &str) -> AppResult<Issued> {
    let holders: Vec<Holder> = db.holders().await?.into_iter().filter(|h| whose.takes(h)).collect();
    if holders.is_empty() {
        let whom = match whose {
            Whose::Learner(learner) => format!("l'apprenant {learner}"),
            Whose::Session(session) => format!("la session {session}"),
            Whose::Everyone => "toutes les sessions".into(),
        };
        return Err(InputError(format!("{whom} : aucune décision publiée à attester (titre ou bloc)")).into());
    }
    let issued: HashSet<(String, String, String)> =
        db.credentials().await?.into_iter().map(|c| (c.learner, c.session, c.achievement)).collect();
    let awards = holders.len();
    let to_issue: Vec<Holder> = holders
        .into_iter()
        .filter(|h| !issued.contains(&(h.learner.clone(), h.session.clone(), achievement_of(&h.what).to_string())))
        .collect();
    // The awards asked for that already had their credential (not every credential stored).
    let mut outcome = Issued { issued: Vec::new(), already: awards - to_issue.len() };
    if to_issue.is_empty() {
        return Ok(outcome);
    }
    let key = signing_key(db, passphrase).await?;
    let base = base_url(db).await?;
    let curricula = stored_curricula(db).await?;
    let mut certifications: HashMap<String, Certification> = HashMap::new();
    let mut learners: HashMap<String, Option<String>> = HashMap::new();
    let mut slots = StatusSlots::new(db).await?;
    for holder in &to_issue {
        if !certifications.contains_key(&holder.certification) {
            let resolved = crate::certifications::resolve(db, &holder.certification)
                .await?
                .ok_or_else(|| InputError(format!("certification {} inconnue", holder.certification)))?;
            certifications.insert(holder.certification.clone(), resolved.certification);
        }
        let certification = &certifications[&holder.certification];
        if !learners.contains_key(&holder.learner) {
            let records = db.records_of(&holder.learner).await?;
            let named = records.iter().find_map(|r| match r {
                Record::Learner(l) => Some(l.curriculum.clone()),
                _ => None,
            });
            learners.insert(holder.learner.clone(), named.flatten());
        }
        let curriculum = curricula.for_learner(learners[&holder.learner].as_deref()).map(|(c, _)| c);
        let ects = curriculum.map(|c| {
            c.ues
                .iter()
                .filter(|ue| matches!(&holder.what, Held::Title) || matches!(&holder.what, Held::Block(b) if *b == *ue.block))
                .map(|ue| ue.ects)
                .sum()
        });
        let (list, index) = slots.take();
        let id = format!("urn:uuid:{}", crate::random_uuid()?);
        let input = CredentialInput {
            id: id.clone(),
            issuer: issuer_input(certification, &base)?,
            achievement: achievement_input(certification, &holder.what, ects.filter(|e| *e > 0))?,
            subject_id: format!("urn:uuid:{}", crate::random_uuid()?),
            holder: HolderIdentity::Identifier(holder.learner.clone()),
            salt: Salt::random().map_err(|e| InputError(e.to_string()))?,
            valid_from: holder.published_on.and_time(chrono::NaiveTime::MIN).and_utc(),
            valid_until: None,
            status: StatusEntryInput { list_url: status_list_url(&base, &list), index: index as u64 },
        };
        let signed = certif_credentials::issue(&input, &key)
            .map_err(|e| InputError(format!("{} ({}) : {e}", holder.learner, achievement_of(&holder.what))))?;
        outcome.issued.push(StoredCredential {
            id,
            learner: holder.learner.clone(),
            session: holder.session.clone(),
            achievement: achievement_of(&holder.what).to_string(),
            status_list: list,
            status_index: index,
            kid: key.kid().to_string(),
            issued_at: rfc3339(now),
            jwt: signed.jwt,
            revoked_at: None,
            revocation_reason: None,
        });
    }
    db.record_credentials(outcome.issued.clone(), actor).await?;
    Ok(outcome)
}

/// The next free bits: list "1" first, a new list once one is full.
struct StatusSlots {
    list: i64,
    next: i64,
}

impl StatusSlots {
    async fn new(db: &Database) -> AppResult<StatusSlots> {
        let mut list = 1;
        loop {
            let next = db.next_status_index(&list.to_string()).await?;
            if next < STATUS_LIST_ENTRIES {
                return Ok(StatusSlots { list, next });
            }
            list += 1;
        }
    }

    fn take(&mut self) -> (String, i64) {
        if self.next >= STATUS_LIST_ENTRIES {
            self.list += 1;
            self.next = 0;
        }
        self.next += 1;
        (self.list.to_string(), self.next - 1)
    }
}

/// The certifier as the fiche names it, with its SIRET.
fn issuer_input(certification: &Certification, base: &str) -> AppResult<IssuerInput> {
    let Some(certifier) = certification.certifiers.first() else {
        return Err(InputError(format!("{} : la fiche ne nomme aucun certificateur (nom, SIRET)", certification.code)).into());
    };
    let name = certifier.commercial_name.as_ref().map_or_else(|| certifier.name.clone(), |short| format!("{short} — {}", certifier.name));
    Ok(IssuerInput { id: format!("{base}/issuer"), name, siret: certifier.siret.clone(), url: base.to_string() })
}

/// The fiche's page on France Compétences' site (`RNCP39668` → `…/rncp/39668/`).
pub fn fiche_url(code: &str) -> String {
    format!("https://www.francecompetences.fr/recherche/rncp/{}/", code.trim_start_matches("RNCP"))
}

/// The title's award conditions in words.
fn criteria(certification: &Certification) -> String {
    let mut lines: Vec<String> = certification
        .award_conditions
        .iter()
        .map(|condition| match condition {
            AwardCondition::AllBlocks => format!("valider les {} blocs de compétences du titre", certification.blocks.len()),
            AwardCondition::CompanyPeriods => "accomplir les périodes en entreprise requises".into(),
            AwardCondition::English => "attester le niveau d'anglais requis (B2 du CECRL par défaut)".into(),
            AwardCondition::InternationalMobility => "effectuer la mobilité internationale requise".into(),
        })
        .collect();
    lines.push("décision du jury de certification".into());
    format!("Conditions de délivrance : {}.", lines.join(" ; "))
}

fn achievement_input(certification: &Certification, held: &Held, ects: Option<u32>) -> AppResult<AchievementInput> {
    let level = certification
        .level
        .ok_or_else(|| InputError(format!("{} : la fiche ne donne pas de niveau de qualification", certification.code)))?;
    let fiche = fiche_url(&certification.code);
    let field_of_study = certification.title.clone();
    // What differs between the title and a block: its id, kind, name, description, criteria.
    let (id, kind, name, description, criteria_narrative) = match held {
        Held::Title => (
            fiche.clone(),
            AchievementKind::Title,
            certification.title.clone(),
            format!(
                "Titre enregistré au Répertoire national des certifications professionnelles ({}), niveau {level} (CEC {level}).",
                certification.code
            ),
            criteria(certification),
        ),
        Held::Block(code) => {
            let block =
                certification.block(code).ok_or_else(|| InputError(format!("{} : bloc {code} absent de la fiche", certification.code)))?;
            let competencies: Vec<&str> = block.competencies.iter().map(|c| c.text.as_str()).collect();
            (
                format!("{fiche}#{code}"),
                AchievementKind::Block { code: code.clone() },
                block.title.clone(),
                format!("Bloc de compétences {code} du titre {} ({}).", certification.title, certification.code),
                if competencies.is_empty() {
                    "Bloc validé par le jury de certification.".into()
                } else {
                    format!("Compétences évaluées et validées par le jury de certification : {}.", competencies.join(" ; "))
                },
            )
        }
    };
    Ok(AchievementInput {
        id,
        kind,
        name,
        description,
        criteria_narrative,
        certification_code: certification.code.clone(),
        certification_name: certification.title.clone(),
        fiche_url: fiche,
        ects,
        field_of_study,
        level,
    })
}

/// The credential `id` names (`urn:uuid:…` or the bare UUID).
pub async fn find(db: &Database, id: &str) -> AppResult<Option<StoredCredential>> {
    let id = id.trim();
    let id = if id.starts_with("urn:uuid:") { id.to_string() } else { format!("urn:uuid:{id}") };
    Ok(db.credential(&id).await?)
}

/// Revokes one credential (audited); its bit is set in the status list from now on.
pub async fn revoke(db: &Database, id: &str, reason: &str, now: DateTime<Utc>, actor: &str) -> AppResult<StoredCredential> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(InputError("une révocation dit pourquoi (--reason)".into()).into());
    }
    let Some(credential) = find(db, id).await? else {
        return Err(InputError(format!("{id} : aucun justificatif de ce nom")).into());
    };
    if let Some(at) = &credential.revoked_at {
        return Err(InputError(format!("{} : déjà révoqué le {at}", credential.id)).into());
    }
    db.revoke_credentials(vec![credential.id.clone()], reason, &rfc3339(now), actor).await?;
    Ok(find(db, &credential.id).await?.unwrap_or(credential))
}

/// The awards that still stand, as (learner, session, achievement).
pub async fn standing(db: &Database) -> AppResult<HashSet<(String, String, String)>> {
    Ok(db.holders().await?.into_iter().map(|h| (h.learner, h.session, achievement_of(&h.what).to_string())).collect())
}

/// Revokes what decisions replaced on appeal issued (run when a session is published).
pub async fn revoke_superseded(db: &Database, now: DateTime<Utc>, actor: &str) -> AppResult<usize> {
    let standing = standing(db).await?;
    let superseded: Vec<String> = db
        .credentials()
        .await?
        .into_iter()
        .filter(|c| c.revoked_at.is_none() && !standing.contains(&(c.learner.clone(), c.session.clone(), c.achievement.clone())))
        .map(|c| c.id)
        .collect();
    if superseded.is_empty() {
        return Ok(0);
    }
    Ok(db.revoke_credentials(superseded, SUPERSEDED, &rfc3339(now), actor).await?)
}

/// A learner's credentials, by session then achievement (title first).
pub async fn of_learner(db: &Database, learner: &str) -> AppResult<Vec<StoredCredential>> {
    let mut credentials = db.credentials_of(learner).await?;
    credentials
        .sort_by(|a, b| (&a.session, a.achievement != TITLE, &a.achievement).cmp(&(&b.session, b.achievement != TITLE, &b.achievement)));
    Ok(credentials)
}

/// The credential as JSON (the JWT's payload without its registered claims): what `credential
/// export` writes as `.json` and the learner's page shows.
pub fn decoded(credential: &StoredCredential) -> AppResult<serde_json::Value> {
    certif_credentials::verify::decoded_credential(&credential.jwt)
        .ok_or_else(|| InputError(format!("{} : le JWT enregistré est illisible", credential.id)).into())
}
