-- The certif account that sits in a jury seat (optional): it lets that account act as its role
-- through the API and the web. Never printed on the minutes.
ALTER TABLE jury_members ADD COLUMN account TEXT;
