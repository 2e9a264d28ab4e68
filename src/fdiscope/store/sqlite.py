"""The SQLite store: documents, their records, per-field evidence and ingest errors.

A document's id is the hash of its text, so storing the same article twice changes nothing.
A document and all its records are written in one transaction, and every evidence span is
checked against the stored text before it is written (``text[start:end] == quote``), so the
database never holds a document without its records nor a value without its true sentence.

Near-duplicates (the same story published again elsewhere) are stored too, with
``duplicate_of`` naming the first stored copy (:meth:`Store.duplicate_of`,
:meth:`Store.copies_of`); each document keeps its MinHash signature so that later runs find
copies of documents stored earlier.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias, cast

from ..model import Document, EventRecord, Evidence, EvidenceError, ProjectRecord, TradeRecord
from .dialect import connect_postgres, is_postgres_url
from .migrations import applied_migrations, apply_migrations
from .queries import RECORD_TYPES, QueryError, RecordFilter, build_where, fts_query

__all__ = [
    "DEFAULT_DB",
    "Record",
    "Store",
    "StoreError",
    "RecordNotFound",
    "StoredRecord",
    "IngestError",
    "PreparedDocument",
    "RecordRow",
    "default_db_path",
    "prepare_document",
]

log = logging.getLogger(__name__)

#: Database used when neither an argument nor ``FDISCOPE_DB`` names one.
DEFAULT_DB = "fdiscope.db"

Record: TypeAlias = ProjectRecord | TradeRecord | EventRecord


class StoreError(RuntimeError):
    """The database cannot be opened or used; the message says which file and what to do."""


class RecordNotFound(StoreError, LookupError):
    """No record with the requested type and id."""


def default_db_path() -> str:
    """``$FDISCOPE_DB`` if set, else ``./fdiscope.db``."""
    return os.environ.get("FDISCOPE_DB") or DEFAULT_DB


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A record read back from the store, with its id and the document it came from."""

    type: str  # project | trade | event
    id: int
    doc_id: str
    record: Record
    doc_title: str | None = None
    doc_url: str | None = None
    published: str | None = None

    @property
    def ref(self) -> str:
        """The reference ``fdiscope show`` accepts, e.g. ``project:12``."""
        return f"{self.type}:{self.id}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.ref, "type": self.type, "doc_id": self.doc_id}
        out.update(self.record.to_dict())
        out["evidence_span"] = self.record.evidence.to_dict() if self.record.evidence else None
        out["document"] = {"title": self.doc_title, "url": self.doc_url, "published": self.published}
        return out


@dataclass(frozen=True, slots=True)
class IngestError:
    """One item that could not be ingested."""

    id: int
    source: str
    reason: str
    at: str


#: One record ready to insert: its type, its column values (those of ``_COLUMNS[type]`` then
#: evidence start, end and quote) and its per-field evidence as (field, start, end, quote).
RecordRow: TypeAlias = tuple[str, tuple[Any, ...], tuple[tuple[str, int, int, str], ...]]


class PreparedDocument:
    """A document's records and signature, checked and turned into the rows the store inserts.

    Built by :func:`prepare_document` wherever the records are (a worker process, typically):
    the evidence is checked there against the text, the records become plain tuples and the
    MinHash signature its stored hex form and band keys, so the process that writes only
    executes inserts.  Pickles as plain tuples (cheap to send back from a worker).
    """

    __slots__ = ("records", "minhash", "keys")

    def __init__(self, records: tuple[RecordRow, ...], minhash: str, keys: tuple[int, ...]) -> None:
        self.records = records
        self.minhash = minhash
        self.keys = keys

    def __reduce__(self) -> tuple[Any, ...]:
        return (PreparedDocument, (self.records, self.minhash, self.keys))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PreparedDocument) and (self.records, self.minhash, self.keys) == (
            other.records,
            other.minhash,
            other.keys,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PreparedDocument({len(self.records)} records, {len(self.keys)} band keys)"


def prepare_document(
    document: Document,
    projects: Sequence[ProjectRecord] = (),
    trade: Sequence[TradeRecord] = (),
    events: Sequence[EventRecord] = (),
    signature: tuple[int, ...] | None = None,
) -> PreparedDocument:
    """Check a document's records against its text and turn them into rows (no database needed).

    ``signature`` is the text's MinHash signature when the caller has it (else computed here).

    Raises:
        EvidenceError: a record's evidence does not reproduce its quote from ``document.text``.
    """
    from ..ingest.dedupe import band_keys, minhash, signature_text

    rows: list[RecordRow] = []
    groups: tuple[tuple[str, Sequence[Record]], ...] = (
        ("project", projects),
        ("trade", trade),
        ("event", events),
    )
    for rtype, group in groups:
        for i, rec in enumerate(group):
            _check_record_evidence(document, rtype, i, rec)
            ev = rec.evidence
            values = _record_values(rtype, rec)
            values += [ev.start, ev.end, ev.quote] if ev else [None, None, None]
            evidence = tuple((name, e.start, e.end, e.quote) for name, e in rec.provenance.items())
            rows.append((rtype, tuple(values), evidence))
    sig = signature if signature is not None else minhash(document.text)
    return PreparedDocument(tuple(rows), signature_text(sig), tuple(band_keys(sig)))


_COLUMNS: dict[str, tuple[str, ...]] = {
    "project": (
        "investors",
        "investor_countries",
        "host_country",
        "host_region",
        "location",
        "sector",
        "kind",
        "description",
        "amount_value",
        "amount_currency",
        "amount_extra",
        "jobs",
        "status",
    ),
    "trade": TradeRecord.FIELDS,
    "event": EventRecord.FIELDS,
}


#: record type -> the INSERT of one row (id and doc_id, then the values of a :data:`RecordRow`)
_INSERT_RECORD: dict[str, str] = {
    rtype: f"INSERT INTO {RECORD_TYPES[rtype]} ("
    + ", ".join(f'"{c}"' for c in ["id", "doc_id", *cols, "evidence_start", "evidence_end", "evidence_quote"])
    + ") VALUES ("
    + ", ".join("?" * (len(cols) + 5))
    + ")"
    for rtype, cols in _COLUMNS.items()
}


def _resolve_path(path_or_url: str | os.PathLike[str] | None) -> str:
    if path_or_url is None:
        return default_db_path()
    path = os.fspath(path_or_url)
    if is_postgres_url(path):
        return path
    for prefix in ("sqlite:///", "sqlite://"):
        if path.startswith(prefix):
            return path[len(prefix) :] or ":memory:"
    return path


class Store:
    """An fdiscope database in one SQLite file (or ``":memory:"``).

    Args:
        path_or_url: a file path, ``sqlite:///path`` URL or ``":memory:"``; default
            ``$FDISCOPE_DB`` or ``./fdiscope.db``.  Missing migrations are applied on open.

    Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, path_or_url: str | os.PathLike[str] | None = None) -> None:
        self.path = _resolve_path(path_or_url)
        self._lock = threading.RLock()
        #: "sqlite" or "postgresql": the engine behind :attr:`conn` (see store/dialect.py)
        self.dialect = "postgresql" if is_postgres_url(self.path) else "sqlite"
        if self.dialect == "postgresql":
            try:
                self.conn: Any = connect_postgres(self.path)
            except sqlite3.DatabaseError as exc:
                raise StoreError(
                    f"cannot open database {_safe_url(self.path)}: {exc}; check that the PostgreSQL "
                    "server is running and the URL (user, password, host, port, database) is right"
                ) from exc
            try:
                self.applied_now = apply_migrations(cast(sqlite3.Connection, self.conn))
            except BaseException:
                self.conn.close()
                raise
            return
        if self.path != ":memory:":
            parent = Path(self.path).parent
            if not parent.is_dir():
                raise StoreError(f"cannot create database {self.path}: folder {parent} does not exist")
        try:
            # Autocommit mode: transactions are explicit (see _transaction), so none is left open.
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA busy_timeout = 5000")
            if self.path != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
                # Under WAL a commit still survives a crash of the process (kill -9); only a power
                # loss may drop the last commits, never corrupt the file.  Saves an fsync a commit.
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self.applied_now = apply_migrations(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot open database {self.path}: {exc}; check that it is an fdiscope SQLite file"
            ) from exc
        self._lock = threading.RLock()

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({_safe_url(self.path)!r})"

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @property
    def migrations(self) -> list[str]:
        """Names of the migrations recorded in this database, oldest first."""
        return applied_migrations(self.conn)

    def count(self, table: str) -> int:
        """Number of rows in one of the store's tables."""
        if table not in {"documents", "projects", "trade", "events", "evidence", "ingest_errors"}:
            raise StoreError(f"unknown table {table!r}")
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    # -- documents -------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def stored_ids(self, doc_ids: Iterable[str]) -> set[str]:
        """Those of ``doc_ids`` that are already stored (one query per 500 ids)."""
        ids = list(doc_ids)
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(f"SELECT id FROM documents WHERE id IN ({marks})", chunk)
            found.update(r[0] for r in rows)
        return found

    def add_document(
        self,
        document: Document,
        projects: Sequence[ProjectRecord] = (),
        trade: Sequence[TradeRecord] = (),
        events: Sequence[EventRecord] = (),
        signature: tuple[int, ...] | None = None,
    ) -> bool:
        """Store a document and its records in one transaction.

        ``signature`` is the text's MinHash signature when the caller has it already (else it is
        computed here); it is stored with its band keys for the near-duplicate lookup.

        Returns:
            True if the document was new; False if it was already stored (then nothing is written).

        Raises:
            EvidenceError: a record's evidence does not reproduce its quote from ``document.text``;
                nothing is written.
        """
        prepared = prepare_document(document, projects, trade, events, signature)
        status = self.add_prepared([(document, prepared)])[0]
        assert not isinstance(status, EvidenceError)
        return status

    def add_documents(
        self,
        items: Iterable[
            tuple[Document, Sequence[ProjectRecord], Sequence[TradeRecord], Sequence[EventRecord]]
        ],
        *,
        signatures: Sequence[tuple[int, ...] | None] | None = None,
    ) -> list[bool | EvidenceError]:
        """Store many documents with their records in one transaction (bulk ingest).

        Each document goes in with all its records or not at all, as with :meth:`add_document`;
        one commit for the whole batch saves a sync per document.  ``signatures``, when given,
        are the documents' MinHash signatures in the same order (None: computed here).

        Returns:
            Per item, in order: True (new), False (already stored) or the :class:`EvidenceError`
            that kept it out (the other documents are still written).
        """
        prepared: list[tuple[Document, PreparedDocument | EvidenceError]] = []
        for n, (document, projects, trade, events) in enumerate(items):
            sig = signatures[n] if signatures is not None else None
            try:
                prepared.append((document, prepare_document(document, projects, trade, events, sig)))
            except EvidenceError as exc:
                prepared.append((document, exc))
        return self.add_prepared(prepared)

    def add_prepared(
        self, items: Sequence[tuple[Document, PreparedDocument | EvidenceError]]
    ) -> list[bool | EvidenceError]:
        """Store documents whose records are already checked and serialised (:func:`prepare_document`).

        One transaction for the whole batch; each table gets one ``executemany`` for all the
        batch's rows.  An :class:`EvidenceError` in place of the prepared rows is passed through
        (that document is not written, the others are).

        Returns:
            Per item, in order: True (new), False (already stored) or the EvidenceError given.
        """
        out: list[bool | EvidenceError] = []
        if not items:
            return out
        with self._transaction() as conn:
            self._insert_prepared(conn, items, out)
        return out

    def _insert_prepared(
        self,
        conn: sqlite3.Connection,
        items: Sequence[tuple[Document, PreparedDocument | EvidenceError]],
        out: list[bool | EvidenceError],
    ) -> None:
        now = _now()
        new: list[tuple[str, PreparedDocument]] = []
        for document, prepared in items:
            if isinstance(prepared, EvidenceError):
                out.append(prepared)
                continue
            # One statement per document: its row count says whether it was new (ids are hashes
            # of the text, so a document stored earlier, or twice in a batch, is skipped).
            cur = conn.execute(
                "INSERT OR IGNORE INTO documents"
                "(id, text, title, url, published, language, source, ingested_at,"
                " sitename, raw_sha256, duplicate_of, extraction, minhash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    document.id,
                    document.text,
                    document.title,
                    document.url,
                    document.published,
                    document.language,
                    document.source,
                    now,
                    document.sitename,
                    document.raw_sha256,
                    document.duplicate_of,
                    document.extraction,
                    prepared.minhash,
                ),
            )
            is_new = cur.rowcount != 0
            out.append(is_new)
            if is_new:
                new.append((document.id, prepared))
        if not new:
            return
        conn.executemany(
            "INSERT OR IGNORE INTO minhash_bands(key, doc_id) VALUES (?, ?)",
            [(k, doc_id) for doc_id, prepared in new for k in prepared.keys],
        )
        # Record ids are reserved per table up front, in the order a record-by-record insert
        # would take them, so that evidence rows can name their record without a round trip.
        needed = {rtype: 0 for rtype in RECORD_TYPES}
        for _doc_id, prepared in new:
            for rtype, _values, _evidence in prepared.records:
                needed[rtype] += 1
        next_id = {rtype: iter(self._reserve_ids(conn, rtype, n)) for rtype, n in needed.items() if n}
        rows: dict[str, list[tuple[Any, ...]]] = {rtype: [] for rtype in RECORD_TYPES}
        evidence: list[tuple[Any, ...]] = []
        for doc_id, prepared in new:
            for rtype, values, ev_rows in prepared.records:
                rid = next(next_id[rtype])
                rows[rtype].append((rid, doc_id, *values))
                evidence.extend(
                    (rtype, rid, name, doc_id, start, end, quote) for name, start, end, quote in ev_rows
                )
        for rtype, table_rows in rows.items():
            if table_rows:
                conn.executemany(_INSERT_RECORD[rtype], table_rows)
        if evidence:
            conn.executemany(
                'INSERT INTO evidence(record_type, record_id, field, doc_id, "start", "end", quote)'
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                evidence,
            )

    def _reserve_ids(self, conn: sqlite3.Connection, rtype: str, n: int) -> list[int]:
        """``n`` new ids of a record table, ascending, for rows inserted in this transaction.

        SQLite: the ids after the largest (what it would assign itself; the transaction holds
        the write lock).  PostgreSQL: taken from the table's sequence (safe with other writers).
        """
        table = RECORD_TYPES[rtype]
        if self.dialect == "postgresql":
            rows = conn.execute(
                "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)", (table, n)
            ).fetchall()
            return sorted(int(r[0]) for r in rows)
        top = conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
        first = int(top or 0) + 1
        return list(range(first, first + n))

    def get_document(self, doc_id: str) -> Document | None:
        row = self.conn.execute(
            "SELECT id, text, title, url, published, language, source,"
            " sitename, raw_sha256, duplicate_of, extraction"
            " FROM documents WHERE id = ?",
            (doc_id,),
        ).fetchone()
        return _document(row) if row else None

    def iter_documents(self) -> Iterator[Document]:
        for row in self.conn.execute(
            "SELECT id, text, title, url, published, language, source,"
            " sitename, raw_sha256, duplicate_of, extraction"
            " FROM documents ORDER BY ingested_at, id"
        ):
            yield _document(row)

    def search_documents(self, q: str, limit: int = 20) -> list[Document]:
        """Documents containing every word of ``q`` (full-text, best match first)."""
        rows = self.conn.execute(
            "SELECT d.id, d.text, d.title, d.url, d.published, d.language, d.source,"
            " d.sitename, d.raw_sha256, d.duplicate_of, d.extraction"
            " FROM documents_fts f JOIN documents d ON d.id = f.doc_id"
            + (
                " WHERE f.tsv @@ fdiscope_tsquery(?)"
                " ORDER BY ts_rank(f.tsv, fdiscope_tsquery(?)) DESC, d.id LIMIT ?"
                if self.dialect == "postgresql"
                else " WHERE documents_fts MATCH ? ORDER BY f.rank LIMIT ?"
            ),
            (fts_query(q), fts_query(q), limit) if self.dialect == "postgresql" else (fts_query(q), limit),
        ).fetchall()
        return [_document(r) for r in rows]

    # -- ingest bookkeeping: raw inputs and near-duplicates ------------------------------------

    def has_raw(self, raw_sha256: str) -> bool:
        """True when a document read from raw bytes with this sha256 is stored (cheap resume)."""
        sql = "SELECT 1 FROM documents WHERE raw_sha256 = ? LIMIT 1"
        return self.conn.execute(sql, (raw_sha256,)).fetchone() is not None

    def duplicate_of(self, doc_id: str) -> str | None:
        """The id of the first stored near-duplicate of a document, or None for an original.

        Independent sources of a story are the original plus nothing else: copies point at it.
        """
        row = self.conn.execute("SELECT duplicate_of FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def copies_of(self, doc_id: str) -> list[str]:
        """Ids of the documents stored as near-duplicates of ``doc_id``, oldest first."""
        sql = "SELECT id FROM documents WHERE duplicate_of = ? ORDER BY ingested_at, rowid"
        return [r[0] for r in self.conn.execute(sql, (doc_id,))]

    def minhash_signatures(self) -> Iterator[tuple[str, tuple[int, ...]]]:
        """(doc id, MinHash signature) of every stored document, in the order they were stored.

        Documents stored before signatures were kept get theirs computed and saved first.
        """
        missing = self.conn.execute("SELECT id, text FROM documents WHERE minhash IS NULL").fetchall()
        if missing:
            with self._transaction() as conn:
                conn.executemany(
                    "UPDATE documents SET minhash = ? WHERE id = ?",
                    [(_signature_text(r["text"]), r["id"]) for r in missing],
                )
        from ..ingest.dedupe import parse_signature

        for row in self.conn.execute("SELECT id, minhash FROM documents ORDER BY rowid"):
            yield row[0], parse_signature(row[1])

    def minhash_candidates(self, keys: Iterable[int]) -> list[tuple[str, tuple[int, ...]]]:
        """(doc id, MinHash signature) of the stored documents sharing a band key, oldest first.

        One indexed query (see ``fdiscope.ingest.dedupe.StoredNearDuplicateIndex``).
        """
        from ..ingest.dedupe import parse_signature

        keys = list(keys)
        if not keys:
            return []
        marks = ", ".join("?" * len(keys))
        rows = self.conn.execute(
            "SELECT d.id, d.minhash FROM documents d WHERE d.id IN"
            f" (SELECT b.doc_id FROM minhash_bands b WHERE b.key IN ({marks})) ORDER BY d.rowid",
            keys,
        ).fetchall()
        return [(r[0], parse_signature(r[1])) for r in rows]

    def minhash_keyed_candidates(self, keys: Iterable[int]) -> list[tuple[int, int, str, tuple[int, ...]]]:
        """(band key, storage order, doc id, MinHash signature) of the stored documents with any
        of ``keys``: the candidates of many lookups at once (one query per 500 keys)."""
        from ..ingest.dedupe import parse_signature

        keys = list(keys)
        out: list[tuple[int, int, str, tuple[int, ...]]] = []
        parsed: dict[str, tuple[int, ...]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT b.key, d.rowid, d.id, d.minhash FROM minhash_bands b JOIN documents d"
                f" ON d.id = b.doc_id WHERE b.key IN ({marks})",
                chunk,
            ).fetchall()
            for key, order, doc_id, hexes in rows:
                sig = parsed.get(doc_id)
                if sig is None:
                    sig = parsed[doc_id] = parse_signature(hexes)
                out.append((int(key), int(order), doc_id, sig))
        return out

    # -- errors ----------------------------------------------------------------------------

    def add_error(self, source: str, reason: str) -> int:
        """Record an item that could not be ingested; returns the error row id."""
        with self._transaction() as conn:
            cur = conn.execute(
                "INSERT INTO ingest_errors(source, reason, at) VALUES (?, ?, ?)", (source, reason, _now())
            )
            return int(cur.lastrowid or 0)

    def errors(self) -> list[IngestError]:
        return [
            IngestError(r["id"], r["source"], r["reason"], r["at"])
            for r in self.conn.execute("SELECT id, source, reason, at FROM ingest_errors ORDER BY id")
        ]

    # -- records ---------------------------------------------------------------------------

    def _insert_record(self, conn: sqlite3.Connection, doc_id: str, rtype: str, rec: Record) -> int:
        values = _record_values(rtype, rec)
        ev = rec.evidence
        cols = list(_COLUMNS[rtype]) + ["evidence_start", "evidence_end", "evidence_quote"]
        values += [ev.start, ev.end, ev.quote] if ev else [None, None, None]
        quoted = ", ".join(f'"{c}"' for c in ["doc_id", *cols])
        marks = ", ".join("?" * (len(cols) + 1))
        cur = conn.execute(
            f"INSERT INTO {RECORD_TYPES[rtype]} ({quoted}) VALUES ({marks})", [doc_id, *values]
        )
        rid = int(cur.lastrowid or 0)
        conn.executemany(
            'INSERT INTO evidence(record_type, record_id, field, doc_id, "start", "end", quote)'
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(rtype, rid, name, e.doc_id, e.start, e.end, e.quote) for name, e in rec.provenance.items()],
        )
        return rid

    def query(self, record_type: str, flt: RecordFilter | None = None) -> list[StoredRecord]:
        """Records of one type matching ``flt``, oldest id first.

        Raises:
            QueryError: the filter does not apply to this record type.
        """
        flt = flt or RecordFilter()
        where, params = build_where(record_type, flt)
        # Records replaced by a re-extraction of their document stay stored (they are claims,
        # see fdiscope.resolve.reextract) but are not listed.
        current = (
            "NOT EXISTS (SELECT 1 FROM claim_supersessions s WHERE s.record_type = ? AND s.record_id = r.id)"
        )
        where = f"{where} AND {current}" if where else f" WHERE {current}"
        params = [*params, record_type]
        sql = (
            f"SELECT r.*, d.title AS doc_title, d.url AS doc_url, d.published AS doc_published"
            f" FROM {RECORD_TYPES[record_type]} r JOIN documents d ON d.id = r.doc_id{where} ORDER BY r.id"
        )
        if flt.limit:
            sql += " LIMIT ?"
            params.append(flt.limit)
        rows = self.conn.execute(sql, params).fetchall()
        prov = self._provenance(record_type, [r["id"] for r in rows])
        return [self._stored(record_type, row, prov.get(row["id"], {})) for row in rows]

    def get(self, record_type: str, record_id: int) -> StoredRecord:
        """One record by type and id.

        Raises:
            RecordNotFound: there is no such record.
        """
        if record_type not in RECORD_TYPES:
            raise QueryError(f"unknown record type {record_type!r}; use one of {sorted(RECORD_TYPES)}")
        row = self.conn.execute(
            f"SELECT r.*, d.title AS doc_title, d.url AS doc_url, d.published AS doc_published"
            f" FROM {RECORD_TYPES[record_type]} r JOIN documents d ON d.id = r.doc_id WHERE r.id = ?",
            (record_id,),
        ).fetchone()
        if row is None:
            raise RecordNotFound(
                f"no {record_type} record with id {record_id}; "
                f"list them with `fdiscope {RECORD_TYPES[record_type]}`"
            )
        return self._stored(record_type, row, self._provenance(record_type, [record_id]).get(record_id, {}))

    def records_of(self, doc_id: str) -> dict[str, list[StoredRecord]]:
        """All records of one document, by type."""
        out: dict[str, list[StoredRecord]] = {}
        for rtype, table in RECORD_TYPES.items():
            sql = f"SELECT id FROM {table} WHERE doc_id = ? ORDER BY id"
            ids = [r[0] for r in self.conn.execute(sql, (doc_id,))]
            out[rtype] = [self.get(rtype, i) for i in ids]
        return out

    def _provenance(self, record_type: str, ids: list[int]) -> dict[int, dict[str, Evidence]]:
        out: dict[int, dict[str, Evidence]] = {}
        # Chunked to stay below SQLite's bound-parameter limit.
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            for r in self.conn.execute(
                f'SELECT record_id, field, doc_id, "start", "end", quote FROM evidence'
                f" WHERE record_type = ? AND record_id IN ({marks}) ORDER BY id",
                [record_type, *chunk],
            ):
                out.setdefault(r["record_id"], {})[r["field"]] = Evidence(
                    r["doc_id"], r["start"], r["end"], r["quote"]
                )
        return out

    def _stored(self, rtype: str, row: sqlite3.Row, provenance: dict[str, Evidence]) -> StoredRecord:
        rec = _record_from_row(rtype, row, provenance)
        return StoredRecord(
            type=rtype,
            id=int(row["id"]),
            doc_id=row["doc_id"],
            record=rec,
            doc_title=row["doc_title"],
            doc_url=row["doc_url"],
            published=row["doc_published"],
        )


# -- conversion helpers --------------------------------------------------------------------


def _safe_url(path: str) -> str:
    """A database URL with its password hidden (for messages and repr)."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", path)


def _document(row: sqlite3.Row) -> Document:
    return Document(
        text=row["text"],
        id=row["id"],
        title=row["title"],
        url=row["url"],
        published=row["published"],
        language=row["language"],
        source=row["source"],
        sitename=row["sitename"],
        raw_sha256=row["raw_sha256"],
        duplicate_of=row["duplicate_of"],
        extraction=row["extraction"],
    )


def _check_one(document: Document, where: str, ev: Evidence) -> None:
    if ev.doc_id != document.id:
        raise EvidenceError(
            f"{where} points at document {ev.doc_id!r}, not {document.id!r}; "
            "build evidence from the document being stored"
        )
    if not (0 <= ev.start < ev.end <= len(document.text)) or document.text[ev.start : ev.end] != ev.quote:
        raise EvidenceError(
            f"{where}: text[{ev.start}:{ev.end}] does not equal its quote {ev.quote[:60]!r}; "
            "the extractor built a wrong span (use model.make_evidence)"
        )


def _check_record_evidence(document: Document, rtype: str, index: int, rec: Record) -> None:
    if rec.evidence is not None:
        _check_one(document, f"{rtype} #{index} evidence", rec.evidence)
    for name, ev in rec.provenance.items():
        _check_one(document, f"{rtype} #{index} field {name!r}", ev)


def _record_values(rtype: str, rec: Record) -> list[Any]:
    if isinstance(rec, ProjectRecord):
        amount = dict(rec.amount) if rec.amount else None
        value = currency = extra = None
        if amount is not None:
            value = amount.pop("value", None)
            currency = amount.pop("currency", None)
            extra = json.dumps(amount, ensure_ascii=False, sort_keys=True) if amount else None
        return [
            json.dumps(list(rec.investors), ensure_ascii=False),
            json.dumps(list(rec.investor_countries), ensure_ascii=False),
            rec.host_country,
            rec.host_region,
            rec.location,
            rec.sector,
            rec.kind,
            rec.description,
            value,
            currency,
            extra,
            rec.jobs,
            rec.status,
        ]
    return [getattr(rec, name) for name in _COLUMNS[rtype]]


def _record_from_row(rtype: str, row: sqlite3.Row, provenance: dict[str, Evidence]) -> Record:
    ev = None
    if row["evidence_start"] is not None:
        ev = Evidence(row["doc_id"], row["evidence_start"], row["evidence_end"], row["evidence_quote"])
    if rtype == "project":
        amount: dict[str, Any] | None = None
        if row["amount_value"] is not None or row["amount_currency"] is not None or row["amount_extra"]:
            amount = {"value": _number(row["amount_value"]), "currency": row["amount_currency"]}
            if row["amount_extra"]:
                amount.update(json.loads(row["amount_extra"]))
        return ProjectRecord(
            investors=json.loads(row["investors"]),
            investor_countries=json.loads(row["investor_countries"]),
            host_country=row["host_country"],
            host_region=row["host_region"],
            location=row["location"],
            sector=row["sector"],
            kind=row["kind"],
            description=row["description"],
            amount=amount,
            jobs=row["jobs"],
            status=row["status"],
            evidence=ev,
            provenance=provenance,
        )
    values = {name: row[name] for name in _COLUMNS[rtype]}
    if rtype == "trade":
        for name in ("value", "change_pct", "share_pct"):
            values[name] = _number(values[name])
        return TradeRecord(**values, evidence=ev, provenance=provenance)
    return EventRecord(**values, evidence=ev, provenance=provenance)


def _number(value: Any) -> Any:
    """Whole floats come back as ints (amounts are stated in units, "1000000000" not "1e9")."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _signature_text(text: str) -> str:
    """The text's MinHash signature (as the near-duplicate index computes it), as hex numbers."""
    from ..ingest.dedupe import minhash, signature_text

    return signature_text(minhash(text))
