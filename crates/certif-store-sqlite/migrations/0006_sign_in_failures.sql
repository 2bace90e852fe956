-- Failed sign-ins, counted in one statement each (never read-modify-written): per username and
-- source address, and per username from every source (source '*'). The pair's lock and the
-- account-wide progressive delay replace the per-account lock of 0004 (README, "Security").

CREATE TABLE sign_in_failures (
    username TEXT NOT NULL,
    source TEXT NOT NULL,
    failures INTEGER NOT NULL,
    locked_until TEXT,
    last_failure TEXT NOT NULL,
    PRIMARY KEY (username, source)
);
CREATE INDEX sign_in_failures_by_last_failure ON sign_in_failures (last_failure);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

ALTER TABLE accounts DROP COLUMN failures;
ALTER TABLE accounts DROP COLUMN locked_until;
