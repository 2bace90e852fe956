-- A cohort is read page by page in its ids' byte order (what Rust's sort gives, whatever the
-- database's locale): `learner_id COLLATE "C"`, indexed so that each page is an index range.
-- SQLite's primary key already orders by bytes; it has no counterpart.

CREATE INDEX learners_id_bytes ON learners (learner_id COLLATE "C");
