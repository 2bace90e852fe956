//! The VC-JWT proof (OB 3.0 §8.2): the credential becomes the JWT payload with `iss`, `jti`,
//! `nbf`, `sub` (and `exp` from `validUntil`), signed as a compact JWS with EdDSA.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, Header};
use serde::Serialize;

use crate::credential::OpenBadgeCredential;
use crate::keys::{IssuerKey, KeyError};
use crate::status_list::StatusListCredential;

/// The `typ` header OB 3.0's example uses.
pub const JWT_TYPE: &str = "JWT";

#[derive(Debug, thiserror::Error)]
pub enum JwtError {
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("signing failed: {0}")]
    Signing(String),
}

/// What a credential contributes to the JWT's registered claims (OB 3.0 §8.2.4.1).
pub trait RegisteredClaims {
    /// `issuer.id`
    fn issuer_id(&self) -> &str;
    /// `id`
    fn credential_id(&self) -> &str;
    /// `validFrom`
    fn valid_from(&self) -> DateTime<Utc>;
    /// `validUntil`
    fn valid_until(&self) -> Option<DateTime<Utc>>;
    /// `credentialSubject.id`
    fn subject_id(&self) -> Option<&str>;
}

impl RegisteredClaims for OpenBadgeCredential {
    fn issuer_id(&self) -> &str {
        &self.issuer.id
    }
    fn credential_id(&self) -> &str {
        &self.id
    }
    fn valid_from(&self) -> DateTime<Utc> {
        self.valid_from
    }
    fn valid_until(&self) -> Option<DateTime<Utc>> {
        self.valid_until
    }
    fn subject_id(&self) -> Option<&str> {
        Some(&self.credential_subject.id)
    }
}

impl RegisteredClaims for StatusListCredential {
    fn issuer_id(&self) -> &str {
        &self.issuer
    }
    fn credential_id(&self) -> &str {
        &self.id
    }
    fn valid_from(&self) -> DateTime<Utc> {
        self.valid_from
    }
    fn valid_until(&self) -> Option<DateTime<Utc>> {
        self.valid_until
    }
    fn subject_id(&self) -> Option<&str> {
        Some(&self.credential_subject.id)
    }
}

/// The payload: the credential's own members at the top level, then the JWT claims.
#[derive(Serialize)]
struct Payload<'a, C: Serialize> {
    #[serde(flatten)]
    credential: &'a C,
    iss: &'a str,
    jti: &'a str,
    nbf: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    exp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub: Option<&'a str>,
}

/// Signs a credential as a compact JWS: header `{alg: EdDSA, kid, typ: JWT}`, nothing else
/// (OB 3.0 §8.2.3 allows no other header).
pub fn sign<C: Serialize + RegisteredClaims>(credential: &C, key: &IssuerKey) -> Result<String, JwtError> {
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(key.kid().to_owned());
    header.typ = Some(JWT_TYPE.to_owned());
    let payload = Payload {
        credential,
        iss: credential.issuer_id(),
        jti: credential.credential_id(),
        nbf: credential.valid_from().timestamp(),
        exp: credential.valid_until().map(|until| until.timestamp()),
        sub: credential.subject_id(),
    };
    jsonwebtoken::encode(&header, &payload, &key.encoding_key()?).map_err(|e| JwtError::Signing(e.to_string()))
}
