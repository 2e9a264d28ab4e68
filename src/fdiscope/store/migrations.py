"""Named, ordered, recorded schema migrations for the SQLite store.

Each migration is a ``(name, step)`` pair in :data:`MIGRATIONS`; ``step`` is an SQL script or a
function taking the connection.  Applied names are recorded in the ``migrations`` table with
the time they ran, so re-opening a database applies only the migrations it has not seen.
Never edit or reorder a migration that has shipped: append a new one instead.
"""

from __future__ import annotations

import datetime as _dt
import logging
import sqlite3
from collections.abc import Callable
from typing import TypeAlias

__all__ = ["MIGRATIONS", "Migration", "MigrationError", "apply_migrations", "applied_migrations"]

log = logging.getLogger(__name__)

#: ``(name, SQL script or function of the connection)``
Migration: TypeAlias = tuple[str, str | Callable[[sqlite3.Connection], None]]


class MigrationError(RuntimeError):
    """The database was written by a newer fdiscope, or a migration failed half-way."""


_INITIAL = """
CREATE TABLE documents (
    id          TEXT PRIMARY KEY,
    text        TEXT NOT NULL,
    title       TEXT,
    url         TEXT,
    published   TEXT,
    language    TEXT,
    source      TEXT,
    ingested_at TEXT NOT NULL
);
CREATE INDEX documents_published ON documents(published);

CREATE TABLE projects (
    id                 INTEGER PRIMARY KEY,
    doc_id             TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    investors          TEXT NOT NULL DEFAULT '[]',
    investor_countries TEXT NOT NULL DEFAULT '[]',
    host_country       TEXT,
    host_region        TEXT,
    location           TEXT,
    sector             TEXT,
    kind               TEXT,
    description        TEXT,
    amount_value       REAL,
    amount_currency    TEXT,
    amount_extra       TEXT,
    jobs               INTEGER,
    status             TEXT,
    evidence_start     INTEGER,
    evidence_end       INTEGER,
    evidence_quote     TEXT
);
CREATE INDEX projects_doc ON projects(doc_id);
CREATE INDEX projects_host ON projects(host_country, host_region);
CREATE INDEX projects_sector ON projects(sector);

CREATE TABLE trade (
    id             INTEGER PRIMARY KEY,
    doc_id         TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    reporter       TEXT,
    partner        TEXT,
    flow           TEXT,
    period         TEXT,
    value          REAL,
    currency       TEXT,
    change_pct     REAL,
    share_pct      REAL,
    evidence_start INTEGER,
    evidence_end   INTEGER,
    evidence_quote TEXT
);
CREATE INDEX trade_doc ON trade(doc_id);
CREATE INDEX trade_places ON trade(reporter, partner);

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    doc_id         TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name           TEXT,
    kind           TEXT,
    date           TEXT,
    city           TEXT,
    country        TEXT,
    evidence_start INTEGER,
    evidence_end   INTEGER,
    evidence_quote TEXT
);
CREATE INDEX events_doc ON events(doc_id);
CREATE INDEX events_country ON events(country);

-- Per-field provenance: record_type/record_id point into projects, trade or events.
CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    record_type TEXT NOT NULL CHECK (record_type IN ('project', 'trade', 'event')),
    record_id   INTEGER NOT NULL,
    field       TEXT NOT NULL,
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    "start"     INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    quote       TEXT NOT NULL,
    UNIQUE (record_type, record_id, field)
);

CREATE TABLE ingest_errors (
    id     INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL
);
"""

# A self-contained FTS table rather than an external-content one: documents has a TEXT key, and
# the implicit rowid of such a table may change on VACUUM, which would silently desync the index.
# "ё" is folded to "е" on both sides (unicode61 does not treat it as a diacritic).
_FTS = """
CREATE VIRTUAL TABLE documents_fts USING fts5(
    doc_id UNINDEXED, title, text,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(doc_id, title, text) VALUES (
        new.id,
        replace(replace(coalesce(new.title, ''), 'ё', 'е'), 'Ё', 'Е'),
        replace(replace(new.text, 'ё', 'е'), 'Ё', 'Е'));
END;
CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN
    DELETE FROM documents_fts WHERE doc_id = old.id;
END;
CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN
    DELETE FROM documents_fts WHERE doc_id = old.id;
    INSERT INTO documents_fts(doc_id, title, text) VALUES (
        new.id,
        replace(replace(coalesce(new.title, ''), 'ё', 'е'), 'Ё', 'Е'),
        replace(replace(new.text, 'ё', 'е'), 'Ё', 'Е'));
END;
INSERT INTO documents_fts(doc_id, title, text)
    SELECT id, replace(replace(coalesce(title, ''), 'ё', 'е'), 'Ё', 'Е'),
           replace(replace(text, 'ё', 'е'), 'Ё', 'Е')
    FROM documents;
"""

_EVIDENCE_INDEX = """
CREATE INDEX evidence_record ON evidence(record_type, record_id);
CREATE INDEX evidence_doc ON evidence(doc_id);
"""

# For the HTTP API and dashboard: filters, sorts and group-bys over many projects (portable SQL).
# A human correction of one field of a record (until resolve stores corrections as claims).
_BROWSE_INDEXES = """
CREATE INDEX projects_region_amount ON projects(host_region, amount_value);
CREATE INDEX projects_sector_amount ON projects(sector, amount_value);
CREATE INDEX projects_status ON projects(status);
CREATE INDEX projects_kind ON projects(kind);
CREATE INDEX projects_amount ON projects(amount_value);
CREATE INDEX projects_country ON projects(host_country);
CREATE INDEX trade_period ON trade(period);
CREATE INDEX events_date ON events(date);
CREATE TABLE corrections (
    id          INTEGER PRIMARY KEY,
    record_type TEXT NOT NULL,
    record_id   INTEGER NOT NULL,
    field       TEXT NOT NULL,
    value       TEXT,
    note        TEXT,
    author      TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX corrections_record ON corrections(record_type, record_id);
"""

# Resolution (fdiscope.resolve): entities group claims (the per-document records, never changed
# here); membership and canonical values are derived and rewritten by each resolution run; human
# corrections and their audit log are kept for ever and re-applied on every run.
_RESOLVE = """
CREATE TABLE entities (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    name         TEXT,
    investor_key TEXT,
    host_country TEXT,
    host_region  TEXT,
    sector       TEXT,
    status       TEXT,
    status_date  TEXT,
    amount_usd   REAL,
    n_claims     INTEGER NOT NULL DEFAULT 0,
    n_documents  INTEGER NOT NULL DEFAULT 0,
    n_sources    INTEGER NOT NULL DEFAULT 0,
    first_seen   TEXT,
    last_seen    TEXT,
    stale        INTEGER NOT NULL DEFAULT 0,
    canonical    TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    retired_at   TEXT,
    retired_into INTEGER
);
CREATE INDEX entities_kind_region ON entities(kind, host_region);
CREATE INDEX entities_investor ON entities(investor_key);
CREATE INDEX entities_status ON entities(status);
CREATE TABLE entity_claims (
    entity_id   INTEGER NOT NULL,
    record_type TEXT NOT NULL,
    record_id   INTEGER NOT NULL,
    claim_key   TEXT NOT NULL,
    doc_id      TEXT NOT NULL,
    score       REAL,
    PRIMARY KEY (record_type, record_id)
);
CREATE INDEX entity_claims_entity ON entity_claims(entity_id);
CREATE INDEX entity_claims_key ON entity_claims(claim_key);
CREATE TABLE claim_origins (
    claim_key  TEXT PRIMARY KEY,
    entity_id  INTEGER NOT NULL,
    first_at   TEXT NOT NULL
);
CREATE TABLE claim_supersessions (
    record_type   TEXT NOT NULL,
    record_id     INTEGER NOT NULL,
    superseded_at TEXT NOT NULL,
    reason        TEXT,
    PRIMARY KEY (record_type, record_id)
);
CREATE TABLE entity_corrections (
    id         INTEGER PRIMARY KEY,
    action     TEXT NOT NULL,
    entity_id  INTEGER,
    other_id   INTEGER,
    field      TEXT,
    value      TEXT,
    anchors    TEXT NOT NULL,
    note       TEXT,
    author     TEXT,
    created_at TEXT NOT NULL,
    undone_at  TEXT
);
CREATE INDEX entity_corrections_entity ON entity_corrections(entity_id);
CREATE TABLE entity_correction_log (
    id            INTEGER PRIMARY KEY,
    correction_id INTEGER NOT NULL,
    action        TEXT NOT NULL,
    detail        TEXT,
    author        TEXT,
    at            TEXT NOT NULL
);
CREATE TABLE resolution_runs (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    n_claims   INTEGER NOT NULL,
    n_entities INTEGER NOT NULL,
    settings   TEXT
);
"""

# Ingest metadata: the site's name, the sha256 of the raw input (skips re-reading on resume),
# the first stored near-duplicate (the same story elsewhere; independent sources are counted by
# it), whether the document was extracted ("extracted") or only stored ("unsupported-language"),
# and the MinHash signature (hex numbers) so later runs find copies of earlier documents.
_INGEST_METADATA = """
ALTER TABLE documents ADD COLUMN sitename TEXT;
ALTER TABLE documents ADD COLUMN raw_sha256 TEXT;
ALTER TABLE documents ADD COLUMN duplicate_of TEXT;
ALTER TABLE documents ADD COLUMN extraction TEXT;
ALTER TABLE documents ADD COLUMN minhash TEXT;
CREATE INDEX documents_raw_sha256 ON documents(raw_sha256);
CREATE INDEX documents_duplicate_of ON documents(duplicate_of);
"""

# For the HTTP API and dashboard over resolved projects (fdiscope.store.browse): a flat copy of
# each current project entity with its canonical values, side tables for its investors and
# investor countries (one row per value, so filters and group-bys use an index instead of
# parsing JSON), and totals by region and dimension.  All derived from ``entities`` and rebuilt
# after each resolution run (``browse_state`` remembers which run they reflect).
_ENTITY_BROWSE = """
CREATE TABLE entity_browse (
    entity_id          INTEGER PRIMARY KEY,
    name               TEXT,
    host_country       TEXT,
    host_region        TEXT,
    sector             TEXT,
    project_kind       TEXT,
    status             TEXT,
    status_date        TEXT,
    amount_usd         REAL,
    amount_value       REAL,
    amount_currency    TEXT,
    jobs               INTEGER,
    n_claims           INTEGER NOT NULL DEFAULT 0,
    n_documents        INTEGER NOT NULL DEFAULT 0,
    n_sources          INTEGER NOT NULL DEFAULT 0,
    first_seen         TEXT,
    last_seen          TEXT,
    stale              INTEGER NOT NULL DEFAULT 0,
    investors          TEXT,
    investor_countries TEXT
);
CREATE INDEX entity_browse_region_sector ON entity_browse(host_region, sector);
CREATE INDEX entity_browse_region_status_usd ON entity_browse(host_region, status, amount_usd);
CREATE INDEX entity_browse_region_usd ON entity_browse(host_region, amount_usd);
CREATE INDEX entity_browse_region_first ON entity_browse(host_region, first_seen);
CREATE INDEX entity_browse_sector_status ON entity_browse(sector, status, project_kind);
CREATE INDEX entity_browse_status ON entity_browse(status);
CREATE INDEX entity_browse_country ON entity_browse(host_country);
CREATE INDEX entity_browse_usd ON entity_browse(amount_usd);
CREATE INDEX entity_browse_first ON entity_browse(first_seen);
CREATE INDEX entity_browse_last ON entity_browse(last_seen);
CREATE TABLE entity_investor_countries (
    country   TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    PRIMARY KEY (country, entity_id)
);
CREATE INDEX entity_investor_countries_entity ON entity_investor_countries(entity_id);
CREATE TABLE entity_investor_names (
    investor  TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    PRIMARY KEY (investor, entity_id)
);
CREATE INDEX entity_investor_names_entity ON entity_investor_names(entity_id);
CREATE TABLE entity_totals (
    region    TEXT NOT NULL,
    dimension TEXT NOT NULL,
    k         TEXT,
    n         INTEGER NOT NULL,
    usd       REAL
);
CREATE INDEX entity_totals_region ON entity_totals(region, dimension);
CREATE INDEX entity_claims_doc ON entity_claims(doc_id);
CREATE TABLE browse_state (
    name  TEXT PRIMARY KEY,
    value TEXT
);
"""


def _minhash_bands(conn: sqlite3.Connection) -> None:
    """Near-duplicate lookup in the database, not in memory: one row per LSH band key of each
    document's MinHash signature (fdiscope.ingest.dedupe.band_keys), indexed by key.  Portable
    SQL (PostgreSQL runs it too); stored documents get their keys (and missing signatures) here,
    a few hundred at a time."""
    from ..ingest.dedupe import band_keys, minhash, parse_signature, signature_text

    conn.execute(
        "CREATE TABLE minhash_bands ("
        " key BIGINT NOT NULL,"
        " doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
        " PRIMARY KEY (key, doc_id))"
    )
    conn.execute("CREATE INDEX minhash_bands_doc ON minhash_bands(doc_id)")
    last = -1
    while True:
        rows = conn.execute(
            "SELECT rowid, id, minhash, text FROM documents WHERE rowid > ? ORDER BY rowid LIMIT 500",
            (last,),
        ).fetchall()
        if not rows:
            return
        for rowid, doc_id, hexes, text in rows:
            if hexes is None:
                sig = minhash(text)
                hexes = signature_text(sig)
                conn.execute("UPDATE documents SET minhash = ? WHERE id = ?", (hexes, doc_id))
            else:
                sig = parse_signature(hexes)
            conn.executemany(
                "INSERT INTO minhash_bands(key, doc_id) VALUES (?, ?)",
                [(k, doc_id) for k in band_keys(sig)],
            )
            last = rowid


# Leaner writes for bulk ingest (every document adds ~16 band rows and ~10 evidence rows):
# evidence_record duplicated the first two columns of evidence's UNIQUE (record_type, record_id,
# field) index, which serves the same lookups; and band rows live in their primary key (no
# rowid b-tree beside it).  PostgreSQL only drops the index (its tables have no such rowid).
_WRITE_PATH = """
DROP INDEX evidence_record;
CREATE TABLE minhash_bands_new (
    key BIGINT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (key, doc_id)
) WITHOUT ROWID;
INSERT INTO minhash_bands_new(key, doc_id) SELECT key, doc_id FROM minhash_bands;
DROP TABLE minhash_bands;
ALTER TABLE minhash_bands_new RENAME TO minhash_bands;
CREATE INDEX minhash_bands_doc ON minhash_bands(doc_id);
"""

#: The schema history, oldest first.
MIGRATIONS: list[Migration] = [
    ("0001_initial", _INITIAL),
    ("0002_documents_fts", _FTS),
    ("0003_evidence_indexes", _EVIDENCE_INDEX),
    ("0004_browse_indexes", _BROWSE_INDEXES),
    ("0005_resolve_entities", _RESOLVE),
    ("0006_ingest_metadata", _INGEST_METADATA),
    ("0007_entity_browse", _ENTITY_BROWSE),
    ("0008_minhash_bands", _minhash_bands),
    ("0009_write_path", _WRITE_PATH),
]


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations recorded in ``conn``, in the order they were applied."""
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    return [row[0] for row in conn.execute("SELECT name FROM migrations ORDER BY rowid")]


def apply_migrations(conn: sqlite3.Connection, migrations: list[Migration] | None = None) -> list[str]:
    """Apply the migrations ``conn`` has not recorded yet, each in its own transaction.

    The connection must be in autocommit mode (``isolation_level=None``).

    Returns:
        The names applied now (empty when the database was current).

    Raises:
        MigrationError: the database records a migration this version does not know, or a step failed.
    """
    migrations = MIGRATIONS if migrations is None else migrations
    done = applied_migrations(conn)
    known = [name for name, _ in migrations]
    unknown = [name for name in done if name not in known]
    if unknown:
        raise MigrationError(
            f"the database has migrations {unknown} that this fdiscope does not know; "
            "upgrade fdiscope or use a different --db"
        )
    applied: list[str] = []
    for name, step in migrations:
        if name in done:
            continue
        if getattr(conn, "dialect", "sqlite") == "postgresql":
            from .dialect import PG_MIGRATIONS  # SQLite-only steps have a PostgreSQL version

            step = PG_MIGRATIONS.get(name, step)
        log.info("applying migration %s", name)
        try:
            conn.execute("BEGIN IMMEDIATE")
            if isinstance(step, str):
                # executescript() would COMMIT first; run statement by statement inside our transaction.
                for statement in _split_sql(step):
                    conn.execute(statement)
            else:
                step(conn)
            conn.execute("INSERT INTO migrations(name, applied_at) VALUES (?, ?)", (name, _now()))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise MigrationError(
                f"migration {name} failed: {exc}; the database is left as it was before it"
            ) from exc
        applied.append(name)
    return applied


def _split_sql(script: str) -> list[str]:
    """Split a script into complete statements (trigger bodies keep their inner semicolons)."""
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        if not buf and line.strip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        raise MigrationError(f"incomplete SQL statement in migration: {buf.strip()[:80]!r}")
    return statements
