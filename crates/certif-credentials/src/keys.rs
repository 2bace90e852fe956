//! The issuer's Ed25519 keys: generation, the public JWKS (old keys stay published after a
//! rotation), and the private key sealed with a passphrase for storage.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::pkcs8::EncodePrivateKey;
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// What went wrong with a key, a JWKS or a sealed key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("no randomness: {0}")]
    Random(String),
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    #[error("wrong passphrase, or the sealed key was altered")]
    WrongPassphrase,
    #[error("sealed key unreadable: {0}")]
    SealedKeyInvalid(String),
    #[error("key derivation failed: {0}")]
    Derivation(String),
    #[error("JWKS unreadable: {0}")]
    JwksInvalid(String),
    #[error("the JWKS URL must be an absolute URI, got {0:?}")]
    JwksUrl(String),
    #[error("the key cannot be encoded for signing: {0}")]
    Encoding(String),
}

/// Argon2id costs for sealing (OWASP's first recommended setting: 19 MiB, 2 passes).
const SEAL_MEMORY_KIB: u32 = 19 * 1024;
const SEAL_PASSES: u32 = 2;
const SEAL_LANES: u32 = 1;
/// Costs above these come from a hostile or corrupt file: refused rather than obeyed.
const MAX_MEMORY_KIB: u32 = 256 * 1024;
const MAX_PASSES: u32 = 16;
const MAX_LANES: u32 = 8;
const SEALED_FORMAT: u32 = 1;

/// An issuer's signing key and its id (a URI: the JWKS URL and the key's RFC 7638 thumbprint).
pub struct IssuerKey {
    kid: String,
    signing: SigningKey,
}

impl std::fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerKey").field("kid", &self.kid).finish_non_exhaustive()
    }
}

impl IssuerKey {
    /// A new key; `jwks_url` is where its public half will be published.
    pub fn generate(jwks_url: &str) -> Result<Self, KeyError> {
        if !crate::credential::is_absolute_uri(jwks_url) || jwks_url.contains('#') {
            return Err(KeyError::JwksUrl(jwks_url.to_owned()));
        }
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).map_err(|e| KeyError::Random(e.to_string()))?;
        let signing = SigningKey::from_bytes(&seed);
        let kid = format!("{jwks_url}#{}", thumbprint(&signing.verifying_key()));
        Ok(Self { kid, signing })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as a JWK (`OKP`, `Ed25519`, `use: sig`).
    pub fn public_jwk(&self) -> PublicJwk {
        PublicJwk {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            x: URL_SAFE_NO_PAD.encode(self.signing.verifying_key().as_bytes()),
            kid: self.kid.clone(),
            alg: "EdDSA".into(),
            usage: "sig".into(),
        }
    }

    /// The key for jsonwebtoken (PKCS#8 DER, as its EdDSA signer reads it).
    pub(crate) fn encoding_key(&self) -> Result<jsonwebtoken::EncodingKey, KeyError> {
        let der = self.signing.to_pkcs8_der().map_err(|e| KeyError::Encoding(e.to_string()))?;
        Ok(jsonwebtoken::EncodingKey::from_ed_der(der.as_bytes()))
    }

    /// The private key encrypted with a key derived from `passphrase`; the kid is bound to it.
    pub fn seal(&self, passphrase: &str) -> Result<SealedKey, KeyError> {
        let mut salt = [0u8; 16];
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut salt).map_err(|e| KeyError::Random(e.to_string()))?;
        getrandom::fill(&mut nonce).map_err(|e| KeyError::Random(e.to_string()))?;
        let costs = (SEAL_MEMORY_KIB, SEAL_PASSES, SEAL_LANES);
        let cipher = cipher_for(passphrase, &salt, costs)?;
        let seed = Zeroizing::new(self.signing.to_bytes());
        let ciphertext = cipher
            .encrypt(&XNonce::from(nonce), Payload { msg: seed.as_ref(), aad: self.kid.as_bytes() })
            .map_err(|_| KeyError::Encoding("encryption failed".into()))?;
        Ok(SealedKey {
            format: SEALED_FORMAT,
            kid: self.kid.clone(),
            kdf: "argon2id".into(),
            memory_kib: costs.0,
            passes: costs.1,
            lanes: costs.2,
            salt: URL_SAFE_NO_PAD.encode(salt),
            nonce: URL_SAFE_NO_PAD.encode(nonce),
            ciphertext: URL_SAFE_NO_PAD.encode(ciphertext),
        })
    }

    /// The key back from its sealed form; a wrong passphrase is an error, never a panic.
    pub fn unseal(sealed: &SealedKey, passphrase: &str) -> Result<Self, KeyError> {
        let invalid = |why: &str| KeyError::SealedKeyInvalid(why.to_owned());
        if sealed.format != SEALED_FORMAT || sealed.kdf != "argon2id" {
            return Err(invalid("unknown format or key derivation"));
        }
        if sealed.memory_kib > MAX_MEMORY_KIB || sealed.passes > MAX_PASSES || sealed.lanes > MAX_LANES {
            return Err(invalid("key derivation costs out of bounds"));
        }
        let salt = URL_SAFE_NO_PAD.decode(&sealed.salt).map_err(|_| invalid("salt is not base64url"))?;
        let nonce = URL_SAFE_NO_PAD.decode(&sealed.nonce).map_err(|_| invalid("nonce is not base64url"))?;
        let ciphertext = URL_SAFE_NO_PAD.decode(&sealed.ciphertext).map_err(|_| invalid("ciphertext is not base64url"))?;
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| invalid("nonce is not 24 bytes"))?;
        let cipher = cipher_for(passphrase, &salt, (sealed.memory_kib, sealed.passes, sealed.lanes))?;
        let seed = Zeroizing::new(
            cipher
                .decrypt(&XNonce::from(nonce), Payload { msg: &ciphertext, aad: sealed.kid.as_bytes() })
                .map_err(|_| KeyError::WrongPassphrase)?,
        );
        let seed: &[u8; 32] = seed.as_slice().try_into().map_err(|_| invalid("key is not 32 bytes"))?;
        Ok(Self { kid: sealed.kid.clone(), signing: SigningKey::from_bytes(seed) })
    }
}

fn cipher_for(passphrase: &str, salt: &[u8], (memory_kib, passes, lanes): (u32, u32, u32)) -> Result<XChaCha20Poly1305, KeyError> {
    if passphrase.is_empty() {
        return Err(KeyError::EmptyPassphrase);
    }
    let params = Params::new(memory_kib, passes, lanes, Some(32)).map_err(|e| KeyError::Derivation(e.to_string()))?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, key.as_mut())
        .map_err(|e| KeyError::Derivation(e.to_string()))?;
    XChaCha20Poly1305::new_from_slice(key.as_ref()).map_err(|e| KeyError::Derivation(e.to_string()))
}

/// RFC 7638 thumbprint of an Ed25519 key: SHA-256 of the required members in lexicographic
/// order, base64url.
fn thumbprint(key: &VerifyingKey) -> String {
    #[derive(Serialize)]
    struct Required<'a> {
        crv: &'a str,
        kty: &'a str,
        x: String,
    }
    let required = Required { crv: "Ed25519", kty: "OKP", x: URL_SAFE_NO_PAD.encode(key.as_bytes()) };
    // Serialising a struct of three strings cannot fail; an empty input would still hash.
    let canonical = serde_json::to_vec(&required).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(Sha256::digest(&canonical))
}

/// A sealed private key, as the store keeps it (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SealedKey {
    pub format: u32,
    pub kid: String,
    pub kdf: String,
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
    pub salt: String,
    pub nonce: String,
    pub ciphertext: String,
}

impl SealedKey {
    pub fn from_json(text: &str) -> Result<Self, KeyError> {
        serde_json::from_str(text).map_err(|e| KeyError::SealedKeyInvalid(e.to_string()))
    }

    pub fn to_json(&self) -> String {
        // A struct of strings and integers always serialises.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// One public key of the JWKS. Members other issuers may leave out read as empty, so one
/// foreign key (RSA, no `use`) does not make a whole key set unreadable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicJwk {
    pub kty: String,
    #[serde(default)]
    pub crv: String,
    #[serde(default)]
    pub x: String,
    #[serde(default)]
    pub kid: String,
    #[serde(default)]
    pub alg: String,
    #[serde(rename = "use", default)]
    pub usage: String,
}

impl PublicJwk {
    /// The Ed25519 verifying key, when this JWK is one (32 bytes, a valid point).
    pub(crate) fn ed25519_key(&self) -> Option<jsonwebtoken::DecodingKey> {
        let for_eddsa_signatures = matches!(self.alg.as_str(), "" | "EdDSA") && matches!(self.usage.as_str(), "" | "sig");
        if self.kty != "OKP" || self.crv != "Ed25519" || !for_eddsa_signatures {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(&self.x).ok()?;
        let bytes: [u8; 32] = bytes.try_into().ok()?;
        // jsonwebtoken slices 32 bytes without checking: only a checked key reaches it.
        VerifyingKey::from_bytes(&bytes).ok()?;
        jsonwebtoken::DecodingKey::from_ed_components(&self.x).ok()
    }
}

/// The published key set (`/.well-known/jwks.json`): every key the issuer ever signed with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwks {
    pub keys: Vec<PublicJwk>,
}

impl Jwks {
    pub fn new(keys: impl IntoIterator<Item = PublicJwk>) -> Self {
        Self { keys: keys.into_iter().collect() }
    }

    /// Adds a key (a rotation): the old ones stay, so what they signed still verifies.
    pub fn publish(&mut self, key: PublicJwk) {
        if !self.keys.iter().any(|known| known.kid == key.kid) {
            self.keys.push(key);
        }
    }

    pub fn find(&self, kid: &str) -> Option<&PublicJwk> {
        self.keys.iter().find(|key| key.kid == kid)
    }

    pub fn from_json(text: &str) -> Result<Self, KeyError> {
        serde_json::from_str(text).map_err(|e| KeyError::JwksInvalid(e.to_string()))
    }

    pub fn to_json(&self) -> String {
        // A struct of strings always serialises.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWKS_URL: &str = "https://certif.example/.well-known/jwks.json";

    #[test]
    fn a_generated_key_publishes_an_okp_jwk_under_its_kid() {
        let key = IssuerKey::generate(JWKS_URL).unwrap();
        let jwk = key.public_jwk();
        assert!(key.kid().starts_with("https://certif.example/.well-known/jwks.json#"));
        assert_eq!(jwk.kid, key.kid());
        assert_eq!((jwk.kty.as_str(), jwk.crv.as_str(), jwk.alg.as_str(), jwk.usage.as_str()), ("OKP", "Ed25519", "EdDSA", "sig"));
        assert_eq!(URL_SAFE_NO_PAD.decode(&jwk.x).unwrap().len(), 32);
        assert!(jwk.ed25519_key().is_some());
    }

    #[test]
    fn the_thumbprint_follows_rfc_8037_appendix_a3() {
        // RFC 8037 A.3: the JWK thumbprint of the A.2 public key.
        let x = URL_SAFE_NO_PAD.decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo").unwrap();
        let key = VerifyingKey::from_bytes(&x.try_into().unwrap()).unwrap();
        assert_eq!(thumbprint(&key), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    }

    #[test]
    fn a_sealed_key_unseals_with_its_passphrase_only() {
        let key = IssuerKey::generate(JWKS_URL).unwrap();
        let sealed = key.seal("correct horse battery staple").unwrap();
        let json = sealed.to_json();
        assert!(!json.contains(&URL_SAFE_NO_PAD.encode(key.signing.to_bytes())));
        let back = IssuerKey::unseal(&SealedKey::from_json(&json).unwrap(), "correct horse battery staple").unwrap();
        assert_eq!(back.kid(), key.kid());
        assert_eq!(back.signing.to_bytes(), key.signing.to_bytes());
        assert!(matches!(IssuerKey::unseal(&sealed, "wrong"), Err(KeyError::WrongPassphrase)));
        assert!(matches!(IssuerKey::unseal(&sealed, ""), Err(KeyError::EmptyPassphrase)));
    }

    #[test]
    fn a_sealed_key_moved_to_another_kid_does_not_unseal() {
        let key = IssuerKey::generate(JWKS_URL).unwrap();
        let mut sealed = key.seal("pass").unwrap();
        sealed.kid = format!("{JWKS_URL}#other");
        assert!(matches!(IssuerKey::unseal(&sealed, "pass"), Err(KeyError::WrongPassphrase)));
    }

    #[test]
    fn hostile_sealed_keys_are_refused_without_panicking() {
        let key = IssuerKey::generate(JWKS_URL).unwrap();
        let sealed = key.seal("pass").unwrap();
        let mut huge = sealed.clone();
        huge.memory_kib = u32::MAX;
        assert!(matches!(IssuerKey::unseal(&huge, "pass"), Err(KeyError::SealedKeyInvalid(_))));
        let mut short_nonce = sealed.clone();
        short_nonce.nonce = "AAAA".into();
        assert!(matches!(IssuerKey::unseal(&short_nonce, "pass"), Err(KeyError::SealedKeyInvalid(_))));
        let mut garbage = sealed.clone();
        garbage.ciphertext = "!!".into();
        assert!(matches!(IssuerKey::unseal(&garbage, "pass"), Err(KeyError::SealedKeyInvalid(_))));
        let mut truncated = sealed;
        truncated.ciphertext.truncate(8); // 6 whole bytes: decodes, then fails authentication
        assert!(matches!(IssuerKey::unseal(&truncated, "pass"), Err(KeyError::WrongPassphrase)));
    }

    #[test]
    fn rotation_keeps_the_old_public_key() {
        let old = IssuerKey::generate(JWKS_URL).unwrap();
        let new = IssuerKey::generate(JWKS_URL).unwrap();
        let mut jwks = Jwks::new([old.public_jwk()]);
        jwks.publish(new.public_jwk());
        jwks.publish(new.public_jwk());
        assert_eq!(jwks.keys.len(), 2);
        let back = Jwks::from_json(&jwks.to_json()).unwrap();
        assert!(back.find(old.kid()).is_some() && back.find(new.kid()).is_some());
    }

    #[test]
    fn a_jwk_with_a_short_or_foreign_key_gives_no_verifying_key() {
        let mut jwk = IssuerKey::generate(JWKS_URL).unwrap().public_jwk();
        jwk.x = "AAAA".into();
        assert!(jwk.ed25519_key().is_none());
        jwk.kty = "RSA".into();
        assert!(jwk.ed25519_key().is_none());
        assert!(Jwks::from_json("{\"keys\": 3}").is_err());
    }

    #[test]
    fn a_foreign_jwks_reads_and_only_its_ed25519_signing_keys_serve() {
        let ours = IssuerKey::generate(JWKS_URL).unwrap().public_jwk();
        let text = format!(
            r#"{{"keys": [{{"kty": "RSA", "n": "qEcL", "e": "AQAB", "kid": "rsa-1"}}, {{"kty": "OKP", "crv": "Ed25519", "x": "{}", "kid": "bare"}}]}}"#,
            ours.x
        );
        let jwks = Jwks::from_json(&text).unwrap();
        assert!(jwks.find("rsa-1").unwrap().ed25519_key().is_none());
        assert!(jwks.find("bare").unwrap().ed25519_key().is_some());
        let mut encryption = ours;
        encryption.usage = "enc".into();
        assert!(encryption.ed25519_key().is_none());
    }

    #[test]
    fn a_key_needs_an_absolute_jwks_url() {
        assert!(matches!(IssuerKey::generate("jwks.json"), Err(KeyError::JwksUrl(_))));
        assert!(matches!(IssuerKey::generate("https://a.example/jwks.json#x"), Err(KeyError::JwksUrl(_))));
    }
}
