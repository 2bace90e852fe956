//! Issuing in one step: build, check against both 1EdTech schemas, sign. What the CLI and the
//! server call, so no credential leaves certif unchecked (spec/credentials.md §2).

use crate::credential::{CredentialError, CredentialInput, OpenBadgeCredential, build_credential};
use crate::jwt::{JwtError, sign};
use crate::keys::IssuerKey;
use crate::schema::{SchemaViolation, validate_achievement_credential};

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error(transparent)]
    Credential(#[from] CredentialError),
    #[error("the credential breaks the OB 3.0 schema: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Schema(Vec<SchemaViolation>),
    #[error("the credential cannot be serialised: {0}")]
    Serialise(String),
    #[error(transparent)]
    Jwt(#[from] JwtError),
}

/// A credential and its VC-JWT: `credential export` writes them as `NAME.json` and `NAME.jwt`.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuedCredential {
    pub credential: OpenBadgeCredential,
    pub jwt: String,
}

pub fn issue(input: &CredentialInput, key: &IssuerKey) -> Result<IssuedCredential, IssueError> {
    let credential = build_credential(input)?;
    let json = serde_json::to_value(&credential).map_err(|e| IssueError::Serialise(e.to_string()))?;
    validate_achievement_credential(&json).map_err(IssueError::Schema)?;
    let jwt = sign(&credential, key)?;
    Ok(IssuedCredential { credential, jwt })
}
