//! The Open Badges 3.0 `OpenBadgeCredential` (spec/credentials.md §2), typed, built from plain
//! inputs: one per published title (`achievementType: Diploma`) or acquired block
//! (`Competency`).

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::dates::{rfc3339, rfc3339_option};

mod input;
pub use input::{AchievementInput, AchievementKind, CredentialInput, HolderIdentity, IssuerInput, Salt, StatusEntryInput};

/// The W3C Verifiable Credentials 2.0 context (`credentials-v2.jsonld`).
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0.3 context (`context-3.0.3.json`).
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The 1EdTech JSON schema every credential names in `credentialSchema`.
pub const OB_SCHEMA_URL: &str = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";
/// The validator type OB 3.0 §9.1 asks verifiers to honour.
pub const OB_SCHEMA_TYPE: &str = "1EdTechJsonSchemaValidator2019";
/// The register the title and its blocks belong to.
pub const RNCP_FRAMEWORK: &str = "Répertoire national des certifications professionnelles (RNCP)";
/// The European Qualifications Framework's level descriptors (French levels 3–8 map one to one).
pub const EQF_URL: &str = "https://europass.europa.eu/en/description-eight-eqf-levels";

/// What went wrong building a credential: the field and why.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CredentialError {
    #[error("{field} is empty")]
    Empty { field: &'static str },
    #[error("{field} is not an absolute URI: {value:?}")]
    NotAUri { field: &'static str, value: String },
    #[error("the issuer's SIRET must be 14 digits, got {0:?}")]
    Siret(String),
    #[error("qualification level {0} is outside 1–8")]
    Level(u8),
    #[error("validUntil ({until}) is not after validFrom ({from})")]
    ValidUntilBeforeValidFrom { from: DateTime<Utc>, until: DateTime<Utc> },
    #[error("credentialSubject.id would disclose the holder's identifier in clear")]
    SubjectIdDisclosesHolder,
    #[error("no randomness for the salt: {0}")]
    Random(String),
}

/// An `OpenBadgeCredential` (OB 3.0 `AchievementCredential`) without its proof.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenBadgeCredential {
    #[serde(rename = "@context")]
    pub context: Vec<String>,
    pub id: String,
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub name: String,
    pub description: String,
    pub issuer: Profile,
    #[serde(with = "rfc3339")]
    pub valid_from: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rfc3339_option")]
    pub valid_until: Option<DateTime<Utc>>,
    #[serde(with = "rfc3339")]
    pub awarded_date: DateTime<Utc>,
    pub credential_subject: AchievementSubject,
    pub credential_schema: Vec<CredentialSchema>,
    pub credential_status: BitstringStatusListEntry,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: String,
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub name: String,
    pub url: String,
    pub other_identifier: Vec<IdentifierEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentifierEntry {
    #[serde(rename = "type")]
    pub kind: String,
    pub identifier: String,
    pub identifier_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AchievementSubject {
    pub id: String,
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub identifier: Vec<IdentityObject>,
    pub achievement: Achievement,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityObject {
    #[serde(rename = "type")]
    pub kind: String,
    pub hashed: bool,
    pub identity_hash: String,
    pub identity_type: String,
    pub salt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Achievement {
    pub id: String,
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub achievement_type: String,
    pub name: String,
    pub description: String,
    pub criteria: Criteria,
    pub alignment: Vec<Alignment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits_available: Option<u32>,
    pub field_of_study: String,
    /// The RNCP code of the title or the block, as people quote it.
    pub human_code: String,
    pub in_language: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criteria {
    pub narrative: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alignment {
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub target_name: String,
    pub target_url: String,
    pub target_code: String,
    pub target_framework: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialSchema {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// The credential's place in a Bitstring Status List (W3C).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BitstringStatusListEntry {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub status_purpose: String,
    /// A decimal string, as the spec types it.
    pub status_list_index: String,
    pub status_list_credential: String,
}

/// The IdentityHash of OB 3.0 (B.7): `sha256$` then the hex SHA-256 of the identifier's UTF-8
/// with the salt appended (`'a@example.comKosher'` in the spec's example).
pub fn identity_hash(value: &str, salt: &Salt) -> String {
    let mut hasher = Sha256::new();
    hasher.update(value.as_bytes());
    hasher.update(salt.as_str().as_bytes());
    format!("sha256${}", hex::encode(hasher.finalize()))
}

/// Builds the credential; checks what would make it unusable, names the field.
pub fn build_credential(input: &CredentialInput) -> Result<OpenBadgeCredential, CredentialError> {
    check_input(input)?;
    let issuer = &input.issuer;
    let achievement = &input.achievement;
    // nbf is in whole seconds and must equal validFrom (OB 3.0 §8.2.6.1).
    let valid_from = input.valid_from.trunc_subsecs(0);
    let valid_until = input.valid_until.map(|until| until.trunc_subsecs(0));

    let fiche_alignment = Alignment {
        types: vec!["Alignment".into()],
        target_name: achievement.certification_name.clone(),
        target_url: achievement.fiche_url.clone(),
        target_code: achievement.certification_code.clone(),
        target_framework: RNCP_FRAMEWORK.into(),
        target_type: Some("ceterms:Credential".into()),
    };
    let level_alignment = Alignment {
        types: vec!["Alignment".into()],
        target_name: format!("Niveau {0} (CEC / EQF {0})", achievement.level),
        target_url: EQF_URL.into(),
        target_code: achievement.level.to_string(),
        target_framework: "Cadre européen des certifications (CEC / EQF)".into(),
        target_type: None,
    };
    let (achievement_type, human_code, alignment) = match &achievement.kind {
        AchievementKind::Title => ("Diploma", achievement.certification_code.clone(), vec![fiche_alignment, level_alignment]),
        AchievementKind::Block { code } => {
            let block_alignment = Alignment {
                types: vec!["Alignment".into()],
                target_name: achievement.name.clone(),
                target_url: achievement.fiche_url.clone(),
                target_code: code.clone(),
                target_framework: RNCP_FRAMEWORK.into(),
                target_type: Some("ceasn:Competency".into()),
            };
            ("Competency", code.clone(), vec![block_alignment, fiche_alignment, level_alignment])
        }
    };

    Ok(OpenBadgeCredential {
        context: vec![VC_CONTEXT.into(), OB_CONTEXT.into()],
        id: input.id.clone(),
        types: vec!["VerifiableCredential".into(), "OpenBadgeCredential".into()],
        name: achievement.name.clone(),
        description: achievement.description.clone(),
        issuer: Profile {
            id: issuer.id.clone(),
            types: vec!["Profile".into()],
            name: issuer.name.clone(),
            url: issuer.url.clone(),
            other_identifier: vec![IdentifierEntry {
                kind: "IdentifierEntry".into(),
                identifier: issuer.siret.clone(),
                identifier_type: "identifier".into(),
            }],
        },
        valid_from,
        valid_until,
        awarded_date: valid_from,
        credential_subject: AchievementSubject {
            id: input.subject_id.clone(),
            types: vec!["AchievementSubject".into()],
            identifier: vec![IdentityObject {
                kind: "IdentityObject".into(),
                hashed: true,
                identity_hash: identity_hash(input.holder.value(), &input.salt),
                identity_type: input.holder.identity_type().into(),
                salt: input.salt.as_str().into(),
            }],
            achievement: Achievement {
                id: achievement.id.clone(),
                types: vec!["Achievement".into()],
                achievement_type: achievement_type.into(),
                name: achievement.name.clone(),
                description: achievement.description.clone(),
                criteria: Criteria { narrative: achievement.criteria_narrative.clone() },
                alignment,
                credits_available: achievement.ects,
                field_of_study: achievement.field_of_study.clone(),
                human_code,
                in_language: "fr".into(),
            },
        },
        credential_schema: vec![CredentialSchema { id: OB_SCHEMA_URL.into(), kind: OB_SCHEMA_TYPE.into() }],
        credential_status: BitstringStatusListEntry {
            id: format!("{}#{}", input.status.list_url, input.status.index),
            kind: "BitstringStatusListEntry".into(),
            status_purpose: "revocation".into(),
            status_list_index: input.status.index.to_string(),
            status_list_credential: input.status.list_url.clone(),
        },
    })
}

fn check_input(input: &CredentialInput) -> Result<(), CredentialError> {
    let issuer = &input.issuer;
    let achievement = &input.achievement;
    for (field, value) in [
        ("issuer.name", &issuer.name),
        ("achievement.name", &achievement.name),
        ("achievement.description", &achievement.description),
        ("achievement.criteria_narrative", &achievement.criteria_narrative),
        ("achievement.certification_code", &achievement.certification_code),
        ("achievement.certification_name", &achievement.certification_name),
        ("achievement.field_of_study", &achievement.field_of_study),
        ("holder", &input.holder.value().to_owned()),
    ] {
        if value.trim().is_empty() {
            return Err(CredentialError::Empty { field });
        }
    }
    if let AchievementKind::Block { code } = &achievement.kind
        && code.trim().is_empty()
    {
        return Err(CredentialError::Empty { field: "achievement.kind.code" });
    }
    for (field, value) in [
        ("id", &input.id),
        ("issuer.id", &issuer.id),
        ("issuer.url", &issuer.url),
        ("achievement.id", &achievement.id),
        ("achievement.fiche_url", &achievement.fiche_url),
        ("subject_id", &input.subject_id),
        ("status.list_url", &input.status.list_url),
    ] {
        if !is_absolute_uri(value) {
            return Err(CredentialError::NotAUri { field, value: value.clone() });
        }
    }
    if issuer.siret.len() != 14 || !issuer.siret.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CredentialError::Siret(issuer.siret.clone()));
    }
    if !(1..=8).contains(&achievement.level) {
        return Err(CredentialError::Level(achievement.level));
    }
    if let Some(until) = input.valid_until
        && until <= input.valid_from
    {
        return Err(CredentialError::ValidUntilBeforeValidFrom { from: input.valid_from, until });
    }
    let holder = input.holder.value();
    if input.subject_id == holder || input.subject_id.ends_with(&format!(":{holder}")) {
        return Err(CredentialError::SubjectIdDisclosesHolder);
    }
    Ok(())
}

/// A scheme (`https:`, `urn:`, `did:`) and no white space: enough to catch a missing value
/// or a relative path; the caller builds these from configuration.
pub(crate) fn is_absolute_uri(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    !rest.is_empty()
        && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !value.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_hash_matches_the_ob3_specification_example() {
        let salt = Salt::new("Kosher").unwrap();
        assert_eq!(identity_hash("a@example.com", &salt), "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399");
    }

    #[test]
    fn random_salts_differ() {
        assert_ne!(Salt::random().unwrap(), Salt::random().unwrap());
    }

    #[test]
    fn absolute_uris_are_told_from_paths_and_blanks() {
        assert!(is_absolute_uri("https://certif.example/verify/1"));
        assert!(is_absolute_uri("urn:uuid:3f1b0c1e-8a4c-4b7e-9d35-0f6a1f1e2d3c"));
        assert!(!is_absolute_uri("/verify/1"));
        assert!(!is_absolute_uri(""));
        assert!(!is_absolute_uri("https://a b"));
        assert!(!is_absolute_uri("1http:x"));
    }

    #[test]
    fn a_subject_id_naming_the_holder_in_clear_is_refused() {
        let input = |subject_id: &str, holder: HolderIdentity| CredentialInput {
            id: "urn:uuid:1".into(),
            issuer: IssuerInput {
                id: "https://i.example".into(),
                name: "I".into(),
                siret: "19860073600021".into(),
                url: "https://i.example".into(),
            },
            achievement: AchievementInput {
                id: "https://i.example/a".into(),
                kind: AchievementKind::Title,
                name: "T".into(),
                description: "D".into(),
                criteria_narrative: "C".into(),
                certification_code: "RNCP39668".into(),
                certification_name: "T".into(),
                fiche_url: "https://www.francecompetences.fr/recherche/rncp/39668/".into(),
                ects: None,
                field_of_study: "F".into(),
                level: 7,
            },
            subject_id: subject_id.into(),
            holder,
            salt: Salt::new("s").unwrap(),
            valid_from: DateTime::UNIX_EPOCH,
            valid_until: None,
            status: StatusEntryInput { list_url: "https://i.example/status/1".into(), index: 0 },
        };
        let mail = || HolderIdentity::EmailAddress("a@example.org".into());
        assert_eq!(build_credential(&input("mailto:a@example.org", mail())), Err(CredentialError::SubjectIdDisclosesHolder));
        // A short learner id that happens to occur inside a UUID is no disclosure.
        let pseudonym = "urn:uuid:0b7c5c3e-5f0e-4c1a-9a51-2f3d1c8e6a10";
        assert!(build_credential(&input(pseudonym, HolderIdentity::Identifier("1".into()))).is_ok());
        assert_eq!(
            build_credential(&input("urn:learner:42", HolderIdentity::Identifier("42".into()))),
            Err(CredentialError::SubjectIdDisclosesHolder)
        );
        assert!(matches!(build_credential(&input("urn:uuid:x", mail())), Ok(c) if c.credential_subject.id == "urn:uuid:x"));
    }
}
