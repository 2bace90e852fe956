-- The certifier's settings (the CDC declaration's identifiers, …): one value a key, every
-- change audited (entity `config`).
CREATE TABLE config (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
