//! The national declaration of holders (spec/declaration.md §1) over the store: the settings
//! that name the emitter and the certifier, and the awards to declare with what their holders'
//! records say. The mapping and the flow are `certif_declaration`'s.

use certif_core::engine::{certified_level, english_valid_until};
use certif_declaration::{Award, FlowHeader};
use certif_store::config::ConfigStore as _;
use certif_store::jury::{Held, JuryStore as _};
use certif_store::{Record, Store as _};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::database::Database;
use crate::error::{AppResult, InputError};

/// The settings the declaration needs: key, what it is, its length bounds in the schema.
pub const SETTINGS: [(&str, &str, usize, usize); 3] = [
    ("cdc.emitter_id_client", "idClient de l'émetteur du flux (8 caractères, donné par la Caisse des Dépôts)", 8, 8),
    ("cdc.certifier_id_client", "idClient du certificateur (8 caractères)", 8, 8),
    ("cdc.certifier_contract_id", "idContrat du certificateur (1 à 20 caractères)", 1, 20),
];

/// Sets a known setting to a value the schema accepts (audited by the store).
pub async fn set_setting(db: &Database, key: &str, value: &str, actor: &str) -> AppResult<()> {
    let Some((_, what, min, max)) = SETTINGS.iter().find(|(k, ..)| *k == key) else {
        let known: Vec<&str> = SETTINGS.iter().map(|(k, ..)| *k).collect();
        return Err(InputError(format!("{key} : réglage inconnu (connus : {})", known.join(", "))).into());
    };
    let value = value.trim();
    let length = value.chars().count();
    if length < *min || length > *max || value.chars().any(char::is_control) {
        return Err(InputError(format!("{key} = {value:?} : {what}")).into());
    }
    Ok(db.set_config(key, value, actor).await?)
}

/// The flow's header for `certification`: refused, naming each, while a setting is unset.
pub async fn header(
    db: &Database,
    certification: &str,
    flow_id: String,
    timestamp: chrono::DateTime<chrono::FixedOffset>,
) -> AppResult<FlowHeader> {
    let mut values = Vec::new();
    let mut unset = Vec::new();
    for (key, what, ..) in SETTINGS {
        match db.config(key).await? {
            Some(value) => values.push(value),
            None => unset.push(format!("  certif config set {key} VALEUR   # {what}")),
        }
    }
    if !unset.is_empty() {
        return Err(InputError(format!("la déclaration a besoin de réglages encore absents :\n{}", unset.join("\n"))).into());
    }
    let [emitter, certifier, contract] = <[String; 3]>::try_from(values).map_err(|_| InputError("réglages incomplets".into()))?;
    Ok(FlowHeader {
        flow_id,
        timestamp,
        emitter_id_client: emitter,
        certifier_id_client: certifier,
        certifier_contract_id: contract,
        certification: certification.to_string(),
    })
}

/// The `idTechnique` of an award: a UUID (version 8, name-based) derived from the award's
/// certification, session and learner, so every re-export gives the CDC the same one.
pub fn id_technique(certification: &str, session: &str, learner: &str) -> String {
    let digest = Sha256::digest(format!("certif/accrochage/{certification}/{session}/{learner}").as_bytes());
    certif_declaration::uuid_text(digest[..16].try_into().unwrap_or([0; 16]), 8)
}

/// Which awards an export takes.
#[derive(Debug, Clone, Default)]
pub struct Which {
    pub certification: String,
    pub session: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The published awards of the title `which` names, with their holders' records; blocks are
/// not declared (the schema has no element for them).
pub async fn awards(db: &Database, which: &Which) -> AppResult<Vec<Award>> {
    let policy = certif_core::Policy::default();
    let mut awards = Vec::new();
    for holder in db.holders().await? {
        let published = holder.published_on;
        if holder.what != Held::Title
            || holder.certification != which.certification
            || which.session.as_ref().is_some_and(|s| *s != holder.session)
            || which.from.is_some_and(|from| published < from)
            || which.to.is_some_and(|to| published > to)
        {
            continue;
        }
        let records = db.records_of(&holder.learner).await?;
        let Some(learner) = records.iter().find_map(|r| match r {
            Record::Learner(l) => Some(l.clone()),
            _ => None,
        }) else {
            continue;
        };
        // The level the best certificate valid on the jury's date attests.
        let english_level = records
            .iter()
            .filter_map(|r| match r {
                Record::English { certificate, .. } => Some(certificate),
                _ => None,
            })
            .filter(|c| c.date <= holder.jury_date && english_valid_until(c, &policy).is_none_or(|until| until >= holder.jury_date))
            .filter_map(|c| certified_level(c, &policy))
            .max()
            .map(|level| level.as_str().to_string());
        awards.push(Award {
            id_technique: id_technique(&holder.certification, &holder.session, &holder.learner),
            learner: learner.learner,
            usage_name: None,
            route: learner.access_route,
            enrolled_on: Some(learner.enrolled_on),
            jury_date: holder.jury_date,
            english_level,
            proof_url: None,
        });
    }
    Ok(awards)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_award_s_id_technique_is_a_stable_uuid_of_its_own() {
        let id = id_technique("RNCP39668", "jury-2026", "A-0001");
        assert_eq!(id, id_technique("RNCP39668", "jury-2026", "A-0001"), "the same on every export");
        assert_ne!(id, id_technique("RNCP39668", "jury-2026", "A-0002"));
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "8", "version 8");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "RFC 9562 variant: {id}");
    }
}
