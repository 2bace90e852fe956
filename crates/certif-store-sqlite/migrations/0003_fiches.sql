-- RNCP fiches imported from France Compétences' open-data export, searchable (FTS5), with the
-- codes the search filters on, the links between certifications, and certification overlays.

CREATE TABLE fiches (
    code TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    level INTEGER,
    active INTEGER NOT NULL,
    registration_end TEXT,
    blocks INTEGER NOT NULL,
    search_text TEXT NOT NULL,
    document BLOB NOT NULL,
    imported_at TEXT NOT NULL
);

-- ROME, NSF and Formacode codes of each fiche.
CREATE TABLE fiche_codes (
    code TEXT NOT NULL REFERENCES fiches (code) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (code, kind, value)
);
CREATE INDEX fiche_codes_by_value ON fiche_codes (kind, value);

-- `successor` replaces `predecessor`, as the fiche `declared_by` says (either end may declare it).
CREATE TABLE fiche_links (
    predecessor TEXT NOT NULL,
    successor TEXT NOT NULL,
    declared_by TEXT NOT NULL REFERENCES fiches (code) ON DELETE CASCADE,
    PRIMARY KEY (predecessor, successor, declared_by)
);
CREATE INDEX fiche_links_by_successor ON fiche_links (successor);

CREATE TABLE overlays (
    code TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

-- Full-text search over titles, blocks and competencies; accents folded ("aeronautique" finds
-- "aéronautique"). The index follows the fiches table through triggers.
CREATE VIRTUAL TABLE fiches_fts USING fts5 (
    title, search_text, content = 'fiches', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER fiches_fts_insert AFTER INSERT ON fiches BEGIN
    INSERT INTO fiches_fts (rowid, title, search_text) VALUES (new.rowid, new.title, new.search_text);
END;
CREATE TRIGGER fiches_fts_delete AFTER DELETE ON fiches BEGIN
    INSERT INTO fiches_fts (fiches_fts, rowid, title, search_text) VALUES ('delete', old.rowid, old.title, old.search_text);
END;
CREATE TRIGGER fiches_fts_update AFTER UPDATE ON fiches BEGIN
    INSERT INTO fiches_fts (fiches_fts, rowid, title, search_text) VALUES ('delete', old.rowid, old.title, old.search_text);
    INSERT INTO fiches_fts (rowid, title, search_text) VALUES (new.rowid, new.title, new.search_text);
END;
