-- certif's records. Every value is text (ISO dates, marks as 12.5/ABJ/ABI) so that SQLite and
-- PostgreSQL hold exactly the same values. Never edit a released migration: add a new one.

CREATE TABLE curricula (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    certification TEXT NOT NULL,
    source TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

CREATE TABLE learners (
    learner_id TEXT PRIMARY KEY,
    family_name TEXT, given_names TEXT, birth_date TEXT, sex TEXT, birth_place_insee TEXT,
    access_route TEXT NOT NULL, enrolled_on TEXT NOT NULL,
    employer TEXT, employer_siret TEXT, contract_start TEXT, contract_end TEXT, master TEXT,
    curriculum TEXT,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE marks (
    learner_id TEXT NOT NULL REFERENCES learners (learner_id) ON DELETE CASCADE,
    module TEXT NOT NULL,
    session1 TEXT, session2 TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (learner_id, module)
);

CREATE TABLE company_periods (
    learner_id TEXT NOT NULL REFERENCES learners (learner_id) ON DELETE CASCADE,
    period_id TEXT NOT NULL,
    start_on TEXT NOT NULL, end_on TEXT NOT NULL, evaluation TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (learner_id, period_id)
);

CREATE TABLE mobility (
    learner_id TEXT NOT NULL REFERENCES learners (learner_id) ON DELETE CASCADE,
    start_on TEXT NOT NULL, country TEXT NOT NULL, end_on TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (learner_id, start_on, country)
);

CREATE TABLE english (
    learner_id TEXT NOT NULL REFERENCES learners (learner_id) ON DELETE CASCADE,
    test TEXT NOT NULL, taken_on TEXT NOT NULL, score TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (learner_id, test, taken_on)
);

CREATE TABLE vae (
    learner_id TEXT NOT NULL REFERENCES learners (learner_id) ON DELETE CASCADE,
    block TEXT NOT NULL, decision TEXT NOT NULL, decided_on TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (learner_id, block)
);

CREATE TABLE equivalences (
    learner_id TEXT NOT NULL REFERENCES learners (learner_id) ON DELETE CASCADE,
    block TEXT NOT NULL, basis TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (learner_id, block)
);

-- Health data: only roles that need it may read it (enforced by the server).
CREATE TABLE accommodations (
    learner_id TEXT NOT NULL REFERENCES learners (learner_id) ON DELETE CASCADE,
    kind TEXT NOT NULL, target_level TEXT, note TEXT, decided_on TEXT, decided_by TEXT, definitive TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (learner_id, kind)
);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    learner_id TEXT,
    before TEXT,
    after TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_learner ON audit_log (learner_id);

-- The chain's head, kept apart so that removing the last rows of audit_log shows.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    count BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, count, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
