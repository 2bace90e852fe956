-- The national declaration's life cycle (spec/declaration.md §1): one row per award sent to
-- the Caisse des Dépôts, by its idTechnique. An award with no row is still to declare; a
-- re-export replaces its row (same idTechnique). Every change is audited (entity
-- `declaration`); the audit check holds each row against its latest entry.
CREATE TABLE declarations (
    id_technique TEXT PRIMARY KEY,
    certification TEXT NOT NULL,
    session_id TEXT NOT NULL,
    learner_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('exported', 'accepted', 'rejected')),
    flow_id TEXT NOT NULL,
    exported_at TEXT NOT NULL,
    answered_at TEXT,
    message TEXT
);
CREATE INDEX declarations_by_flow ON declarations (flow_id);
