-- The insertion survey (spec/declaration.md §2): one answer a learner and horizon (6 or 24
-- months after the award), a re-import replacing it; every change audited (entity
-- `insertion`). Dates are ISO text, words the spec's (`employed`, `cdi`…): the same values on
-- every backend. (0012 is another change's.)
CREATE TABLE insertion_answers (
    learner_id TEXT NOT NULL REFERENCES learners (learner_id) ON DELETE CASCADE,
    months_after INTEGER NOT NULL CHECK (months_after IN (6, 24)),
    surveyed_on TEXT NOT NULL,
    situation TEXT NOT NULL CHECK (situation IN ('employed', 'job_seeking', 'studying', 'unable_to_work', 'other')),
    in_target_job INTEGER NOT NULL CHECK (in_target_job IN (0, 1)),
    contract TEXT CHECK (contract IN ('cdi', 'cdd', 'interim', 'independent', 'other')),
    rome TEXT,
    PRIMARY KEY (learner_id, months_after)
);
