//! The audit log's anchor outside the database: how many entries the log had and the last
//! one's hash, signed with an Ed25519 key the database never holds. Whoever can rewrite the
//! database (delete the last entries and move `audit_head` back, or recompute every hash after
//! an edit) keeps a chain that checks out on its own, but cannot make entry `count` hash as
//! anchored, nor sign a new anchor. Ed25519 rather than an HMAC: checking needs only the
//! public key, so the machine that verifies cannot forge.

use certif_core::messages::Lang;
use ed25519_dalek::{Signature, Signer as _, Verifier as _};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::audit::{AuditEntry, GENESIS};

/// What an anchor file says it is.
pub const FORMAT: &str = "certif-audit-anchor/1";

/// A signed statement: "the audit log had `count` entries, the last hashing to `hash`".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    pub format: String,
    pub count: i64,
    /// Entry `count`'s hash (`GENESIS` for an empty log).
    pub hash: String,
    /// When it was taken (RFC 3339).
    pub at: String,
    /// The signing key's id (`key_id`).
    pub key_id: String,
    /// Ed25519 over the fields above, hex.
    pub signature: String,
}

/// Why an anchor does not hold, or cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorError {
    #[error("not a certif audit anchor (format {0:?})")]
    Format(String),
    #[error("the anchor was signed by key {anchor}, not by the key given ({given})")]
    OtherKey { anchor: String, given: String },
    #[error("the anchor's signature is not valid: the anchor was altered or forged")]
    Signature,
    #[error("the log has {rows} entries but the anchor of {at} vouches for {count}: entries were removed")]
    Shortened { rows: usize, count: i64, at: String },
    #[error("entry {count} is not the one anchored on {at}: the log was rewritten up to it")]
    Rewritten { count: i64, at: String },
}

impl AnchorError {
    /// The message for people, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (AnchorError::Format(format), Lang::Fr) => format!("ce n'est pas une ancre d'audit certif (format {format:?})"),
            (AnchorError::OtherKey { anchor, given }, Lang::Fr) => {
                format!("l'ancre a été signée par la clé {anchor}, pas par la clé fournie ({given})")
            }
            (AnchorError::Signature, Lang::Fr) => "la signature de l'ancre n'est pas valide : l'ancre a été modifiée ou forgée".into(),
            (AnchorError::Shortened { rows, count, at }, Lang::Fr) => {
                format!("le journal a {rows} entrées mais l'ancre du {at} en garantit {count} : des entrées ont été supprimées")
            }
            (AnchorError::Rewritten { count, at }, Lang::Fr) => {
                format!("l'entrée {count} n'est pas celle ancrée le {at} : le journal a été réécrit jusqu'à elle")
            }
            (error, Lang::En) => error.to_string(),
        }
    }
}

/// A key that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a key is 64 hexadecimal digits (32 bytes)")]
pub struct KeyError;

fn key_bytes(text: &str) -> Result<[u8; 32], KeyError> {
    let bytes = hex::decode(text.trim()).map_err(|_| KeyError)?;
    bytes.try_into().map_err(|_| KeyError)
}

/// A signing key from its 32-byte seed in hex (`CERTIF_AUDIT_KEY`).
pub fn signing_key(hex_seed: &str) -> Result<SigningKey, KeyError> {
    Ok(SigningKey::from_bytes(&key_bytes(hex_seed)?))
}

/// A public key in hex (`CERTIF_AUDIT_PUBLIC_KEY`).
pub fn verifying_key(hex_key: &str) -> Result<VerifyingKey, KeyError> {
    VerifyingKey::from_bytes(&key_bytes(hex_key)?).map_err(|_| KeyError)
}

/// A key pair from 32 random bytes: (the seed, the public key), in hex.
pub fn key_pair(seed: [u8; 32]) -> (String, String) {
    let key = SigningKey::from_bytes(&seed);
    (hex::encode(seed), hex::encode(key.verifying_key().as_bytes()))
}

/// A key's short name: the first 16 hex digits of SHA-256 of the public key.
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

/// What is signed: every field but the signature, one per line.
fn message(format: &str, count: i64, hash: &str, at: &str, key_id: &str) -> String {
    format!("{format}\ncount={count}\nhash={hash}\nat={at}\nkey_id={key_id}\n")
}

impl Anchor {
    /// Anchors the head `(count, hash)` of a log at `at`.
    pub fn sign(count: i64, hash: &str, at: &str, key: &SigningKey) -> Anchor {
        let key_id = key_id(&key.verifying_key());
        let signature = key.sign(message(FORMAT, count, hash, at, &key_id).as_bytes());
        Anchor { format: FORMAT.into(), count, hash: hash.into(), at: at.into(), key_id, signature: hex::encode(signature.to_bytes()) }
    }

    /// Checks that `key` signed this anchor as it reads.
    pub fn check_signature(&self, key: &VerifyingKey) -> Result<(), AnchorError> {
        if self.format != FORMAT {
            return Err(AnchorError::Format(self.format.clone()));
        }
        let given = key_id(key);
        if self.key_id != given {
            return Err(AnchorError::OtherKey { anchor: self.key_id.clone(), given });
        }
        let bytes: [u8; 64] = hex::decode(&self.signature).ok().and_then(|b| b.try_into().ok()).ok_or(AnchorError::Signature)?;
        let message = message(&self.format, self.count, &self.hash, &self.at, &self.key_id);
        key.verify(message.as_bytes(), &Signature::from_bytes(&bytes)).map_err(|_| AnchorError::Signature)
    }

    /// Checks that the log, oldest first, still holds the anchored entry: at least `count`
    /// entries, entry `count` hashing as anchored. (That the chain up to it holds is
    /// `audit::verify`'s part.)
    pub fn check_log(&self, entries: &[AuditEntry]) -> Result<(), AnchorError> {
        if self.count == 0 {
            return if self.hash == GENESIS { Ok(()) } else { Err(AnchorError::Rewritten { count: 0, at: self.at.clone() }) };
        }
        let rewritten = || AnchorError::Rewritten { count: self.count, at: self.at.clone() };
        let index = usize::try_from(self.count - 1).map_err(|_| rewritten())?;
        match entries.get(index) {
            None => Err(AnchorError::Shortened { rows: entries.len(), count: self.count, at: self.at.clone() }),
            Some(entry) if entry.seq == self.count && entry.hash == self.hash => Ok(()),
            Some(_) => Err(rewritten()),
        }
    }
}
