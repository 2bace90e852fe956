-- The holders' documents issued as PDF (spec/credentials.md §1): a row per document, by its id
-- (a UUID v4, the one its verification URL carries), with the SHA-256 of its bytes, whom and
-- which published session it states, when it was issued and, once an appeal changed that
-- decision, when and why it was revoked. Times are RFC 3339 text: the same values on every
-- backend. Every change audited (entity `document`). (0014 is another change's.)
CREATE TABLE documents (
    document_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('diploma', 'attestation', 'transcript')),
    learner_id TEXT NOT NULL REFERENCES learners (learner_id) ON DELETE CASCADE,
    session_id TEXT NOT NULL REFERENCES jury_sessions (session_id),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    issued_at TEXT NOT NULL,
    revoked_at TEXT,
    revocation_reason TEXT,
    CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL))
);

CREATE INDEX documents_by_learner ON documents (learner_id, session_id);
CREATE INDEX documents_by_sha256 ON documents (sha256);
