-- A learner may hold several accommodations of one kind (a provisional decision, then the
-- definitive one), told apart by decided_on ('' when undated): it joins the key.
CREATE TABLE accommodations_history (
    learner_id TEXT NOT NULL REFERENCES learners (learner_id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    decided_on TEXT NOT NULL DEFAULT '',
    target_level TEXT, note TEXT, decided_by TEXT, definitive TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (learner_id, kind, decided_on)
);
INSERT INTO accommodations_history (learner_id, kind, decided_on, target_level, note, decided_by, definitive, version)
    SELECT learner_id, kind, COALESCE(decided_on, ''), target_level, note, decided_by, definitive, version FROM accommodations;
DROP TABLE accommodations;
ALTER TABLE accommodations_history RENAME TO accommodations;
