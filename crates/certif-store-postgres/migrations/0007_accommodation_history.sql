-- A learner may hold several accommodations of one kind (a provisional decision, then the
-- definitive one), told apart by decided_on ('' when undated): it joins the key.
UPDATE accommodations SET decided_on = '' WHERE decided_on IS NULL;
ALTER TABLE accommodations ALTER COLUMN decided_on SET DEFAULT '';
ALTER TABLE accommodations ALTER COLUMN decided_on SET NOT NULL;
ALTER TABLE accommodations DROP CONSTRAINT accommodations_pkey;
ALTER TABLE accommodations ADD PRIMARY KEY (learner_id, kind, decided_on);
