-- An account the admin disabled: kept (its audit trail names it) but it cannot sign in, and
-- its sessions were ended when it was disabled. 0 or 1, the same on every backend.
ALTER TABLE accounts ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;
