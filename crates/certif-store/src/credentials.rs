//! What certif keeps of the verifiable credentials it issues (spec/credentials.md §2–§3): the
//! issuer's signing keys (the private half sealed with a passphrase, never in clear), each
//! issued credential with its place in a revocation status list, and revocations. Every change
//! is audited (entities `issuer_key` and `credential`); the audit check holds each row against
//! its latest entry, the credential's JWT by its SHA-256.

use std::future::Future;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::StoreResult;

/// The audit log's entity for an issuer key (keyed by its kid).
pub const AUDITED_KEY: &str = "issuer_key";
/// The audit log's entity for an issued credential (keyed by its id).
pub const AUDITED: &str = "credential";
/// What `achievement` holds for the title itself (a block holds its code).
pub const TITLE: &str = "title";

/// An issuer key as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    pub kid: String,
    /// The public JWK (JSON): published at `/.well-known/jwks.json`, also once retired.
    pub public_jwk: String,
    /// The private key sealed with the passphrase (`certif_credentials::SealedKey` as JSON).
    pub sealed: String,
    /// RFC 3339.
    pub created_at: String,
    /// When a newer key took over (RFC 3339); the newest key has none.
    pub retired_at: Option<String>,
}

/// One issued credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCredential {
    /// The credential's `id` (`urn:uuid:…`).
    pub id: String,
    pub learner: String,
    /// The published jury session whose decision it attests.
    pub session: String,
    /// [`TITLE`], or the block's code.
    pub achievement: String,
    /// The status list it has a bit in, and the bit's index.
    pub status_list: String,
    pub status_index: i64,
    /// The key it was signed with.
    pub kid: String,
    /// RFC 3339.
    pub issued_at: String,
    /// The compact JWS (VC-JWT).
    pub jwt: String,
    pub revoked_at: Option<String>,
    pub revocation_reason: Option<String>,
}

/// What certif keeps of its credentials.
pub trait CredentialStore: Send + Sync {
    /// Stores a new key; every key not yet retired is retired at its `created_at` (they stay
    /// published). Audited.
    fn add_issuer_key(&self, key: StoredKey, actor: &str) -> impl Future<Output = StoreResult<()>> + Send;

    /// Every key, oldest first.
    fn issuer_keys(&self) -> impl Future<Output = StoreResult<Vec<StoredKey>>> + Send;

    /// Stores credentials in one transaction, each audited. A credential for an award
    /// (learner, session, achievement) already issued, an id or a status bit already taken, is
    /// refused (`StoreError::Invalid`) and nothing is written.
    fn record_credentials(&self, credentials: Vec<StoredCredential>, actor: &str) -> impl Future<Output = StoreResult<usize>> + Send;

    fn credential(&self, id: &str) -> impl Future<Output = StoreResult<Option<StoredCredential>>> + Send;

    /// A learner's credentials, by issue time then id.
    fn credentials_of(&self, learner: &str) -> impl Future<Output = StoreResult<Vec<StoredCredential>>> + Send;

    /// Every credential, by status list then index.
    fn credentials(&self) -> impl Future<Output = StoreResult<Vec<StoredCredential>>> + Send;

    /// The first index of `list` no credential has.
    fn next_status_index(&self, list: &str) -> impl Future<Output = StoreResult<i64>> + Send;

    /// Revokes the credentials `ids` at `at` for `reason`, audited, in one transaction; one
    /// already revoked is left as it is. An unknown id is `StoreError::NotFound`, nothing
    /// written. Answers how many were revoked now.
    fn revoke_credentials(&self, ids: Vec<String>, reason: &str, at: &str, actor: &str) -> impl Future<Output = StoreResult<usize>> + Send;
}

/// A key's audited values (its public half; the sealed private key never enters the log).
pub fn key_values_json(key: &StoredKey) -> String {
    #[derive(Serialize)]
    struct Audited<'a> {
        public_jwk: &'a str,
        created_at: &'a str,
        retired_at: Option<&'a str>,
        sealed_sha256: String,
    }
    let audited = Audited {
        public_jwk: &key.public_jwk,
        created_at: &key.created_at,
        retired_at: key.retired_at.as_deref(),
        sealed_sha256: hex::encode(Sha256::digest(key.sealed.as_bytes())),
    };
    serde_json::to_string(&audited).unwrap_or_default()
}

/// A credential's audited values (the JWT by its SHA-256).
pub fn values_json(credential: &StoredCredential) -> String {
    #[derive(Serialize)]
    struct Audited<'a> {
        learner: &'a str,
        session: &'a str,
        achievement: &'a str,
        status_list: &'a str,
        status_index: i64,
        kid: &'a str,
        issued_at: &'a str,
        jwt_sha256: String,
        revoked_at: Option<&'a str>,
        revocation_reason: Option<&'a str>,
    }
    let audited = Audited {
        learner: &credential.learner,
        session: &credential.session,
        achievement: &credential.achievement,
        status_list: &credential.status_list,
        status_index: credential.status_index,
        kid: &credential.kid,
        issued_at: &credential.issued_at,
        jwt_sha256: hex::encode(Sha256::digest(credential.jwt.as_bytes())),
        revoked_at: credential.revoked_at.as_deref(),
        revocation_reason: credential.revocation_reason.as_deref(),
    };
    serde_json::to_string(&audited).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_log_holds_a_key_without_its_sealed_secret() {
        let key = StoredKey {
            kid: "https://certif.example/.well-known/jwks.json#k1".into(),
            public_jwk: r#"{"kty":"OKP"}"#.into(),
            sealed: r#"{"ciphertext":"SECRET"}"#.into(),
            created_at: "2027-01-01T00:00:00Z".into(),
            retired_at: None,
        };
        let values = key_values_json(&key);
        assert!(!values.contains("SECRET"), "{values}");
        assert!(values.contains("sealed_sha256"), "{values}");
    }

    #[test]
    fn a_credential_is_audited_with_its_jwt_digest_not_its_text() {
        let credential = StoredCredential {
            id: "urn:uuid:1".into(),
            learner: "A-1".into(),
            session: "S".into(),
            achievement: TITLE.into(),
            status_list: "1".into(),
            status_index: 7,
            kid: "k".into(),
            issued_at: "2027-01-01T00:00:00Z".into(),
            jwt: "eyJ.payload.sig".into(),
            revoked_at: None,
            revocation_reason: None,
        };
        let values = values_json(&credential);
        assert!(!values.contains("eyJ"), "{values}");
        assert!(values.contains(&hex::encode(Sha256::digest(b"eyJ.payload.sig"))), "{values}");
    }
}
