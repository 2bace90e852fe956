-- A jury session's version moves on with every change (optimistic concurrency: a change decided
-- on a reading of the session is refused if it moved on since); a candidate examined again on
-- appeal names the published session whose decision they appealed.
ALTER TABLE jury_sessions ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE jury_candidates ADD COLUMN appeal_of TEXT REFERENCES jury_sessions (session_id);
