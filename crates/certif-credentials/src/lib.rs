//! Verifiable credentials for certif (spec/credentials.md §2–§4), pure: plain values in, plain
//! values out, no database, no network, no files.
//!
//! - [`credential`]: the Open Badges 3.0 `OpenBadgeCredential` of a title (`Diploma`) or a
//!   block (`Competency`), built from plain inputs; the holder only as a salted SHA-256.
//! - [`jwt`]: the VC-JWT proof (OB 3.0 §8.2): a compact JWS, `alg: EdDSA`, `kid` naming the
//!   issuer's key in its JWKS, the payload the credential plus `iss`, `jti`, `nbf`, `sub`.
//! - [`keys`]: Ed25519 issuer keys, the public JWKS (rotation keeps old keys), the private
//!   key sealed with a passphrase (Argon2id + XChaCha20-Poly1305).
//! - [`status_list`]: the W3C Bitstring Status List (revocation) and its signed credential.
//! - [`schema`]: the two 1EdTech JSON schemas, embedded.
//! - [`issue()`]: build, check against both schemas, sign — in one call.
//! - [`verify`]: a verifier that runs every check and says which failed and why.
//!
//! The store keeps keys, issued credentials and list indexes; the CLI and the server call this
//! crate (`/.well-known/jwks.json`, `/status/{list}`, `/verify`).

pub mod credential;
pub mod dates;
pub mod issue;
pub mod jwt;
pub mod keys;
pub mod schema;
pub mod status_list;
pub mod verify;

pub use credential::{
    AchievementInput, AchievementKind, CredentialError, CredentialInput, HolderIdentity, IssuerInput, OpenBadgeCredential, Salt,
    StatusEntryInput, build_credential,
};
pub use issue::{IssueError, IssuedCredential, issue};
pub use jwt::{JwtError, sign};
pub use keys::{IssuerKey, Jwks, KeyError, PublicJwk, SealedKey};
pub use status_list::{StatusList, StatusListCredential, StatusListError};
pub use verify::{Check, CheckOutcome, Reason, Verification, verify_credential};
