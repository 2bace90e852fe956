-- Accounts and sessions of the web application (spec/api.md). Passwords are Argon2id hashes;
-- sessions are kept by the SHA-256 of their token, never the token itself.

CREATE TABLE accounts (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    learner_id TEXT,
    modules TEXT NOT NULL,
    apprentices TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failures BIGINT NOT NULL,
    locked_until TEXT
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_username ON sessions (username);
