-- Jury sessions (spec/jury.md): the session and its life cycle, its members, its candidates
-- with the proposal taken at opening and the outcome adopted, points de jury, appeals. Dates
-- are ISO text, times RFC 3339 text, points exact decimal text, proposals, decisions and
-- minutes JSON text: the same values on every backend. Sessions are never deleted.

CREATE TABLE jury_sessions (
    session_id TEXT PRIMARY KEY,
    certification TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('title', 'vae')),
    deliberation_date TEXT NOT NULL,
    name TEXT NOT NULL,
    place TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'published')),
    created_at TEXT NOT NULL,
    opened_at TEXT,
    closed_at TEXT,
    published_on TEXT,
    -- The minutes' canonical JSON and its SHA-256 (hex), fixed at closing.
    minutes TEXT,
    minutes_sha256 TEXT,
    -- The president's signature: who, when, and the SHA-256 of the minutes signed.
    signed_by TEXT,
    signed_at TEXT,
    signature_sha256 TEXT
);

CREATE TABLE jury_members (
    session_id TEXT NOT NULL REFERENCES jury_sessions (session_id),
    name TEXT NOT NULL,
    -- The order members were added in (the minutes list them so).
    position BIGINT NOT NULL,
    role TEXT NOT NULL,
    representing TEXT,
    present BIGINT NOT NULL CHECK (present IN (0, 1)),
    PRIMARY KEY (session_id, name)
);

CREATE TABLE jury_candidates (
    session_id TEXT NOT NULL REFERENCES jury_sessions (session_id),
    learner_id TEXT NOT NULL REFERENCES learners (learner_id),
    -- The engine's decision taken at opening.
    proposal TEXT,
    -- The adopted outcome (outcome, blocks, votes, justification…), the proposal it was
    -- adopted on, and when: all three or none.
    decision TEXT,
    decided_proposal TEXT,
    decided_at TEXT,
    PRIMARY KEY (session_id, learner_id),
    CHECK ((decision IS NULL) = (decided_proposal IS NULL) AND (decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX jury_candidates_by_learner ON jury_candidates (learner_id);

CREATE TABLE jury_points (
    session_id TEXT NOT NULL,
    learner_id TEXT NOT NULL,
    module TEXT NOT NULL,
    points TEXT NOT NULL,
    justification TEXT NOT NULL,
    PRIMARY KEY (session_id, learner_id, module),
    FOREIGN KEY (session_id, learner_id) REFERENCES jury_candidates (session_id, learner_id)
);

CREATE TABLE jury_appeals (
    session_id TEXT NOT NULL,
    learner_id TEXT NOT NULL,
    received_on TEXT NOT NULL,
    note TEXT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (session_id, learner_id, received_on),
    FOREIGN KEY (session_id, learner_id) REFERENCES jury_candidates (session_id, learner_id)
);
