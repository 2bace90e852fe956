//! What a credential is built from: plain values the caller (the store, the CLI) gathers.

use chrono::{DateTime, Utc};

use super::CredentialError;

/// The certifier that issues (an OB 3.0 `Profile`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerInput {
    /// The issuer's URI (its profile URL or DID); the JWT's `iss`.
    pub id: String,
    pub name: String,
    /// 14 digits (the caller parses it once as a checked SIRET).
    pub siret: String,
    pub url: String,
}

/// A title or one of its blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AchievementKind {
    Title,
    Block { code: String },
}

/// The achievement as the fiche states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AchievementInput {
    /// A stable URI for this achievement (the same for every holder).
    pub id: String,
    pub kind: AchievementKind,
    pub name: String,
    pub description: String,
    /// The award conditions in words.
    pub criteria_narrative: String,
    /// The title's RNCP code, e.g. `RNCP39668`.
    pub certification_code: String,
    /// The title's name, for the alignment to the fiche.
    pub certification_name: String,
    /// The fiche on France Compétences' site.
    pub fiche_url: String,
    /// ECTS credits (`creditsAvailable`).
    pub ects: Option<u32>,
    pub field_of_study: String,
    /// The national qualification level (niveau 7 = EQF 7).
    pub level: u8,
}

/// What identifies the holder; only its salted hash leaves certif.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HolderIdentity {
    EmailAddress(String),
    Identifier(String),
}

impl HolderIdentity {
    pub(super) fn value(&self) -> &str {
        match self {
            Self::EmailAddress(value) | Self::Identifier(value) => value,
        }
    }

    pub(super) fn identity_type(&self) -> &'static str {
        match self {
            Self::EmailAddress(_) => "emailAddress",
            Self::Identifier(_) => "identifier",
        }
    }
}

/// The salt of the holder's identity hash (kept with the credential, published in it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Salt(String);

impl Salt {
    /// 16 random bytes as hex.
    pub fn random() -> Result<Self, CredentialError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| CredentialError::Random(e.to_string()))?;
        Ok(Self(hex::encode(bytes)))
    }

    /// A salt already chosen (read back from the store).
    pub fn new(value: impl Into<String>) -> Result<Self, CredentialError> {
        let value = value.into();
        if value.is_empty() {
            return Err(CredentialError::Empty { field: "salt" });
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where the credential's revocation bit lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntryInput {
    /// The status list credential's URL (`/status/{list}`), also its `id`.
    pub list_url: String,
    pub index: u64,
}

/// Everything one credential is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialInput {
    /// `urn:uuid:…` or the verify URL.
    pub id: String,
    pub issuer: IssuerInput,
    pub achievement: AchievementInput,
    /// A URI naming the holder without personal data (a DID or a `urn:uuid:` pseudonym); the
    /// JWT's `sub`.
    pub subject_id: String,
    pub holder: HolderIdentity,
    pub salt: Salt,
    /// The jury's publication date.
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    pub status: StatusEntryInput,
}
