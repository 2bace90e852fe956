-- Verifiable credentials (spec/credentials.md §2–§3). The issuer's Ed25519 keys: the public
-- JWK (published, also once retired) and the private key sealed with a passphrase (Argon2id +
-- XChaCha20-Poly1305), never in clear. Each issued credential: the award it attests (title or
-- block of a published session), its bit in a revocation status list, its JWT, its revocation.
-- Every change is audited (entities `issuer_key`, `credential`).
CREATE TABLE issuer_keys (
    kid TEXT PRIMARY KEY,
    public_jwk TEXT NOT NULL,
    sealed TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT
);
CREATE TABLE credentials (
    credential_id TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    achievement TEXT NOT NULL,
    status_list TEXT NOT NULL,
    status_index BIGINT NOT NULL CHECK (status_index >= 0),
    kid TEXT NOT NULL REFERENCES issuer_keys (kid),
    issued_at TEXT NOT NULL,
    jwt TEXT NOT NULL,
    revoked_at TEXT,
    revocation_reason TEXT,
    UNIQUE (status_list, status_index),
    UNIQUE (learner_id, session_id, achievement)
);
CREATE INDEX credentials_by_learner ON credentials (learner_id);
