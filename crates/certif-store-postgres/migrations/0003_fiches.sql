-- RNCP fiches imported from France Compétences' open-data export, searchable (French full-text
-- search), with the codes the search filters on, the links between certifications, and
-- certification overlays.

CREATE TABLE fiches (
    code TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    level BIGINT,
    active BIGINT NOT NULL,
    registration_end TEXT,
    blocks BIGINT NOT NULL,
    search_text TEXT NOT NULL,
    document BYTEA NOT NULL,
    imported_at TEXT NOT NULL,
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('french', title), 'A') || setweight(to_tsvector('french', search_text), 'B')
    ) STORED
);
CREATE INDEX fiches_search ON fiches USING GIN (search);

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
