#!/usr/bin/env python3
"""The comparison for `certif referential import`: the same RNCP export loaded the plain Python
way — ElementTree's iterparse (C expat underneath) and the standard sqlite3 module — into the
same tables as certif's SQLite store (fiches with their JSON document, ROME/NSF/Formacode codes,
links, an FTS5 index kept by triggers), in one transaction. Competency lists are split on lines
and bullet runs as certif does (simplified: sub-items are kept as items).

    python3 bench/rncp_import.py EXPORT.xml OUT.db

Prints fiches, blocks, seconds, MB/s and fiches/s. See BENCHMARKS.md.
"""
import json
import os
import re
import sqlite3
import sys
import time
import xml.etree.ElementTree as ET

SCHEMA = """
CREATE TABLE fiches (code TEXT PRIMARY KEY, title TEXT NOT NULL, level INTEGER, active INTEGER NOT NULL,
    registration_end TEXT, blocks INTEGER NOT NULL, search_text TEXT NOT NULL, document TEXT NOT NULL, imported_at TEXT NOT NULL);
CREATE TABLE fiche_codes (code TEXT NOT NULL REFERENCES fiches (code) ON DELETE CASCADE, kind TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (code, kind, value));
CREATE INDEX fiche_codes_by_value ON fiche_codes (kind, value);
CREATE TABLE fiche_links (predecessor TEXT NOT NULL, successor TEXT NOT NULL, declared_by TEXT NOT NULL,
    PRIMARY KEY (predecessor, successor, declared_by));
CREATE INDEX fiche_links_by_successor ON fiche_links (successor);
CREATE VIRTUAL TABLE fiches_fts USING fts5 (title, search_text, content = 'fiches', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER fiches_fts_insert AFTER INSERT ON fiches BEGIN
    INSERT INTO fiches_fts (rowid, title, search_text) VALUES (new.rowid, new.title, new.search_text);
END;
"""

ROUTES = {"SI_JURY_FI": "student", "SI_JURY_CA": "apprenticeship", "SI_JURY_FC": "continuing_education",
          "SI_JURY_CQ": "professionalisation_contract", "SI_JURY_CL": "individual_candidate", "SI_JURY_VAE": "vae"}
BULLETS = re.compile(r"(?:^|\s{2,})[*o\-•]\s+|\n")


def text(element, path):
    found = element.find(path)
    return found.text.strip() if found is not None and found.text else None


def items(value):
    return [item.strip() for item in BULLETS.split(value or "") if item and item.strip()]


def date(value):
    if not value:
        return None
    day, month, year = value.split("/")
    return f"{year}-{month}-{day}"


def fiche_document(f):
    code = text(f, "NUMERO_FICHE")
    blocks = []
    for b in f.iterfind("BLOCS_COMPETENCES/BLOC_COMPETENCES"):
        block_code = text(b, "CODE")
        competencies = [{"id": f"{block_code}-C{n}", "text": t} for n, t in enumerate(items(text(b, "LISTE_COMPETENCES")), 1)]
        blocks.append({"code": block_code, "title": text(b, "LIBELLE"), "competencies": competencies,
                       "assessment": text(b, "MODALITES_EVALUATION")})
    routes = []
    for tag, route in ROUTES.items():
        r = f.find(tag)
        if r is not None:
            routes.append({"route": route, "open": text(r, "ACTIF") == "Oui", "jury": items(text(r, "COMPOSITION"))})
    level = text(f, "NOMENCLATURE_EUROPE/NIVEAU")
    return {
        "code": code, "id_fiche": text(f, "ID_FICHE"), "title": text(f, "INTITULE"),
        "level": int(level[3:]) if level and level.startswith("NIV") else None,
        "active": text(f, "ACTIF") == "Oui", "state": text(f, "ETAT_FICHE"),
        "certifiers": [{"siret": text(c, "SIRET_CERTIFICATEUR"), "name": text(c, "NOM_CERTIFICATEUR")}
                       for c in f.iterfind("CERTIFICATEURS/CERTIFICATEUR")],
        "registration_end": date(text(f, "DATE_FIN_ENREGISTREMENT")), "effective_on": date(text(f, "DATE_EFFET")),
        "predecessors": [e.text for e in f.iterfind("ANCIENNES_CERTIFICATIONS/ANCIENNE_CERTIFICATION/ID_FICHE_ANCIENNE_CERTIFICATION")],
        "successors": [e.text for e in f.iterfind("NOUVELLES_CERTIFICATIONS/NOUVELLE_CERTIFICATION/ID_FICHE_NOUVELLE_CERTIFICATION")],
        "nsf": [{"code": text(c, "CODE"), "label": text(c, "LIBELLE")} for c in f.iterfind("CODES_NSF/NSF")],
        "formacodes": [{"code": text(c, "CODE"), "label": text(c, "LIBELLE")} for c in f.iterfind("FORMACODES/FORMACODE")],
        "rome": [{"code": text(c, "CODE"), "label": text(c, "LIBELLE")} for c in f.iterfind("CODES_ROME/ROME")],
        "blocks": blocks, "access_routes": routes,
        "activities": items(text(f, "ACTIVITES_VISEES")), "capacities": text(f, "CAPACITES_ATTESTEES"),
        "sectors": text(f, "SECTEURS_ACTIVITE"), "jobs": text(f, "TYPE_EMPLOI_ACCESSIBLES"), "objectives": text(f, "OBJECTIFS_CONTEXTE"),
    }


def main(export, database):
    started = time.perf_counter()
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.executescript(SCHEMA)
    db.execute("BEGIN IMMEDIATE")
    imported_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    fiches = blocks = 0
    for _, element in ET.iterparse(export, events=("end",)):
        if element.tag != "FICHE":
            continue
        d = fiche_document(element)
        search_text = "\n".join([b["title"] or "" for b in d["blocks"]] + [c["text"] for b in d["blocks"] for c in b["competencies"]])
        db.execute("INSERT INTO fiches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (d["code"], d["title"], d["level"], int(d["active"]), d["registration_end"], len(d["blocks"]), search_text,
                    json.dumps(d, ensure_ascii=False), imported_at))
        db.executemany("INSERT OR IGNORE INTO fiche_codes VALUES (?, ?, ?)",
                       [(d["code"], kind, c["code"]) for kind in ("rome", "nsf", "formacodes") for c in d[kind]])
        db.executemany("INSERT OR IGNORE INTO fiche_links VALUES (?, ?, ?)",
                       [(p, d["code"], d["code"]) for p in d["predecessors"]] + [(d["code"], s, d["code"]) for s in d["successors"]])
        fiches += 1
        blocks += len(d["blocks"])
        element.clear()
    db.execute("COMMIT")
    db.close()
    seconds = time.perf_counter() - started
    size = os.path.getsize(export)
    print(f"{export}: {fiches} fiches, {blocks} blocks; {size / 1e6:.1f} MB in {seconds:.2f} s "
          f"({size / 1e6 / seconds:.1f} MB/s, {fiches / seconds:.0f} fiches/s)")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
