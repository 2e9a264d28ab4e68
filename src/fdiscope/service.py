"""The service layer: what the CLI (and later the HTTP API and dashboard) call.

Everything here takes an open :class:`~fdiscope.store.Store` and plain values and returns
plain values; nothing prints.  Ingest owns the error policy: an item that cannot be read,
extracted or stored is reported and recorded in ``ingest_errors``, and the batch goes on.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import re
from collections.abc import Iterable
from typing import Any

from .ingest.batch import (
    Extractor,
    IngestReport,
    InputPlan,
    ItemOutcome,
    ingest_documents,
    ingest_sources,
    plan_sources,
)
from .model import Document
from .store import (
    QueryError,
    RecordFilter,
    RecordNotFound,
    Store,
    StoredRecord,
    default_db_path,
)
from .store.browse import BrowseQuery, Page, browse, project_stats, trade_series

__all__ = [
    "Extractor",
    "IngestReport",
    "ItemOutcome",
    "open_store",
    "InputPlan",
    "ingest_documents",
    "ingest_sources",
    "ingest_paths",
    "plan_sources",
    "list_records",
    "list_projects",
    "list_trade",
    "list_events",
    "parse_record_ref",
    "get_record",
    "get_document",
    "search_documents",
    "sentence_around",
    "mark_span",
    "browse_records",
    "record_stats",
    "record_detail",
    "document_spans",
    "add_correction",
    "parse_field_value",
    "list_corrections",
]

log = logging.getLogger(__name__)


def open_store(db: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating and migrating if needed) the database ``db`` or the default one."""
    return Store(db if db is not None else default_db_path())


def ingest_paths(store: Store, paths: Iterable[str | os.PathLike[str]], **options: Any) -> IngestReport:
    """Ingest files and folders (any format); see :func:`~fdiscope.ingest.batch.ingest_sources`."""
    return ingest_sources(store, [os.fspath(p) for p in paths], **options)


def list_records(store: Store, record_type: str, flt: RecordFilter | None = None) -> list[StoredRecord]:
    """Records of one type ("project", "trade" or "event") matching ``flt``.

    Raises:
        QueryError: a filter value is malformed or does not apply to the type.
    """
    return store.query(record_type, flt)


def _filter(filters: dict[str, Any]) -> RecordFilter:
    try:
        return RecordFilter(**filters)
    except TypeError as exc:
        raise QueryError(f"unknown filter: {exc}") from exc


def list_projects(store: Store, **filters: Any) -> list[StoredRecord]:
    """Projects; filters: country, region, sector, status, kind, since, q, limit."""
    return store.query("project", _filter(filters))


def list_trade(store: Store, **filters: Any) -> list[StoredRecord]:
    """Trade figures; filters: country, region, flow, since, q, limit."""
    return store.query("trade", _filter(filters))


def list_events(store: Store, **filters: Any) -> list[StoredRecord]:
    """Events; filters: country, kind, since, q, limit."""
    return store.query("event", _filter(filters))


_REF = re.compile(r"^\s*(?P<type>[a-z]+)\s*[:#/]?\s*(?P<id>\d+)\s*$", re.IGNORECASE)
_TYPE_NAMES = {
    "p": "project",
    "project": "project",
    "projects": "project",
    "t": "trade",
    "trade": "trade",
    "e": "event",
    "event": "event",
    "events": "event",
}


def parse_record_ref(ref: str) -> tuple[str, int]:
    """``"project:12"``, ``"p12"``, ``"trade:3"``, ``"e5"`` -> (type, id).

    >>> parse_record_ref("p12"), parse_record_ref("event:5")
    (('project', 12), ('event', 5))

    Raises:
        QueryError: the reference has another form.
    """
    m = _REF.match(ref)
    if not m or m["type"].lower() not in _TYPE_NAMES:
        raise QueryError(
            f"cannot read record id {ref!r}; use project:ID, trade:ID or event:ID (or p12, t3, e5)"
        )
    return _TYPE_NAMES[m["type"].lower()], int(m["id"])


def get_record(store: Store, ref: str) -> StoredRecord:
    """One record by reference (see :func:`parse_record_ref`).

    Raises:
        QueryError: malformed reference.
        RecordNotFound: no such record.
    """
    rtype, rid = parse_record_ref(ref)
    return store.get(rtype, rid)


def get_document(store: Store, doc_id: str) -> Document:
    """A stored document.

    Raises:
        RecordNotFound: no document with that id.
    """
    doc = store.get_document(doc_id)
    if doc is None:
        raise RecordNotFound(f"no document with id {doc_id!r}")
    return doc


def search_documents(store: Store, q: str, limit: int = 20) -> list[Document]:
    """Documents containing every word of ``q``, best match first."""
    return store.search_documents(q, limit)


_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”)]*(?=\s)|\n")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence(s) containing ``text[start:end]``.

    >>> t = "First one. The plant costs 5 bn rubles. Last."
    >>> s, e = sentence_around(t, 15, 20); t[s:e]
    'The plant costs 5 bn rubles.'
    """
    s = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        s = m.end()
    e = len(text)
    stop = _SENTENCE_END.search(text, max(end, start + 1) - 1 if end > start else end)
    # The span may itself end with a full stop; look for the boundary from its last character on.
    if stop is not None:
        e = stop.end() if stop.group() != "\n" else stop.start()
    while s < start and text[s].isspace():
        s += 1
    return s, max(e, end)


def mark_span(text: str, start: int, end: int, left: str = "»", right: str = "«") -> str:
    """The sentence around ``text[start:end]`` with the span marked.

    >>> mark_span("Intro. It costs 5 bn rubles. End.", 16, 27)
    'It costs »5 bn rubles«.'
    """
    s, e = sentence_around(text, start, end)
    return text[s:start] + left + text[start:end] + right + text[end:e]


# -- browsing (HTTP API and dashboard) ------------------------------------------------------


def browse_records(store: Store, record_type: str, **params: Any) -> Page:
    """One sorted page of records with the total; params are :class:`BrowseQuery` fields.

    Raises:
        QueryError: a parameter is malformed or does not apply to the type.
    """
    return browse(store, _browse_query(record_type, params))


def _browse_query(record_type: str, params: dict[str, Any]) -> BrowseQuery:
    try:
        return BrowseQuery(record_type=record_type, **params)
    except TypeError as exc:
        raise QueryError(f"unknown parameter: {exc}") from exc


def record_stats(store: Store, **params: Any) -> dict[str, Any]:
    """Project totals by region, sector, status, investor country and year, plus trade series.

    Project filters in ``params`` narrow the project totals; trade series are always complete.
    """
    out = project_stats(store, _browse_query("project", params))
    out["trade_series"] = trade_series(store, BrowseQuery(record_type="trade"))
    return out


def _field_evidence(item: StoredRecord) -> dict[str, list[dict[str, Any]]]:
    """field name -> evidence spans (list items such as ``investors[0]`` under ``investors``)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, ev in item.record.provenance.items():
        base = name.split("[", 1)[0]
        out.setdefault(base, []).append({**ev.to_dict(), "key": name})
    return out


def list_corrections(store: Store, record_type: str, record_id: int) -> list[dict[str, Any]]:
    """Human corrections of one record, oldest first."""
    rows = store.conn.execute(
        "SELECT id, field, value, note, author, created_at FROM corrections"
        " WHERE record_type = ? AND record_id = ? ORDER BY id",
        (record_type, record_id),
    ).fetchall()
    return [
        {
            "id": r["id"],
            "field": r["field"],
            "value": json.loads(r["value"]) if r["value"] is not None else None,
            "note": r["note"],
            "author": r["author"],
            "created_at": r["created_at"],
        }
        for r in rows
    ]


def parse_field_value(field: str, raw: str) -> Any:
    """A correction's value as typed by a person ("2400000000 RUB", "1.2e9", "a, b"), for ``field``.

    Raises:
        QueryError: the text is no value of the field.
    """
    raw = raw.strip()
    if raw == "":
        return None
    if field in ("investors", "investor_countries"):
        return [p.strip() for p in raw.split(",") if p.strip()]
    if field == "amount":
        parts = raw.split()
        try:
            value = float(parts[0].replace(",", ""))
        except (ValueError, IndexError):
            raise QueryError("amount: write a number and a currency, e.g. 2400000000 RUB") from None
        return {
            "value": int(value) if value.is_integer() else value,
            "currency": parts[1].upper() if len(parts) > 1 else None,
        }
    if field in ("jobs",):
        try:
            return int(raw)
        except ValueError:
            raise QueryError("jobs: write a whole number") from None
    if field in ("value", "change_pct", "share_pct"):
        try:
            return float(raw)
        except ValueError:
            raise QueryError(f"{field}: write a number") from None
    return raw


def add_correction(
    store: Store, ref: str, field_name: str, value: Any, note: str | None = None, author: str | None = None
) -> dict[str, Any]:
    """Store a human correction of one field of a record (a claim with a person, not a span, behind it).

    Raises:
        QueryError: malformed reference or unknown field.
        RecordNotFound: no such record.
    """
    rtype, rid = parse_record_ref(ref)
    item = store.get(rtype, rid)
    known = type(item.record).FIELDS
    if field_name not in known:
        raise QueryError(f"{rtype} records have no field {field_name!r}; use one of {', '.join(known)}")
    with store._transaction() as conn:
        cur = conn.execute(
            "INSERT INTO corrections(record_type, record_id, field, value, note, author, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (rtype, rid, field_name, json.dumps(value, ensure_ascii=False), note, author,
             _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")),
        )  # fmt: skip
        cid = int(cur.lastrowid or 0)
    return {"id": cid, "record": f"{rtype}:{rid}", "field": field_name, "value": value, "note": note}


def record_detail(store: Store, ref: str) -> dict[str, Any]:
    """A record with, per field, its value, evidence sentence(s) and corrections; claims, history, sources.

    Until project resolution groups records across documents, a project is one document's
    record: its claims are that record's fields plus human corrections, its history the one
    status stated, its sources the one document.

    Raises:
        QueryError: malformed reference.
        RecordNotFound: no such record.
    """
    item = get_record(store, ref)
    doc = get_document(store, item.doc_id)
    data = item.record.to_dict()
    evidence = _field_evidence(item)
    corrections = list_corrections(store, item.type, item.id)
    corrected = {c["field"]: c for c in corrections}
    fields: dict[str, Any] = {}
    claims: list[dict[str, Any]] = []
    for name in type(item.record).FIELDS:
        spans = []
        for ev in evidence.get(name, []):
            s, e = sentence_around(doc.text, ev["start"], ev["end"])
            spans.append({**ev, "sentence": {"start": s, "end": e, "text": doc.text[s:e]}})
        value = data[name]
        fields[name] = {
            "value": corrected[name]["value"] if name in corrected else value,
            "extracted": value,
            "evidence": spans,
            "correction": corrected.get(name),
        }
        if value not in (None, [], ""):
            claims.append({"field": name, "value": value, "source": "document", "doc_id": item.doc_id,
                           "evidence": spans})  # fmt: skip
    for c in corrections:
        claims.append({"field": c["field"], "value": c["value"], "source": "human", "note": c["note"],
                       "author": c["author"], "at": c["created_at"]})  # fmt: skip
    history = []
    if item.type == "project" and data.get("status"):
        history.append(
            {"status": data["status"], "date": doc.published, "doc_id": doc.id, "record": item.ref}
        )
    for c in corrections:
        if c["field"] == "status":
            history.append({"status": c["value"], "date": c["created_at"][:10], "doc_id": None, "record": item.ref,
                            "source": "human"})  # fmt: skip
    record_ev = item.record.evidence.to_dict() if item.record.evidence else None
    return {
        "id": item.ref,
        "type": item.type,
        "doc_id": item.doc_id,
        "fields": fields,
        "canonical": {k: v["value"] for k, v in fields.items()},
        "evidence": record_ev,
        "claims": claims,
        "history": history,
        "sources": [
            {
                "doc_id": doc.id,
                "title": doc.title,
                "url": doc.url,
                "published": doc.published,
                "language": doc.language,
            }
        ],  # fmt: skip
    }


def document_spans(store: Store, doc_id: str) -> dict[str, Any]:
    """A document with every evidence span of its records (record, field, start, end, quote).

    Raises:
        RecordNotFound: no document with that id.
    """
    doc = get_document(store, doc_id)
    spans: list[dict[str, Any]] = []
    records = store.records_of(doc_id)
    for rtype in ("project", "trade", "event"):
        for item in records.get(rtype, []):
            if item.record.evidence is not None:
                ev = item.record.evidence
                spans.append({"record": item.ref, "field": "record", "start": ev.start, "end": ev.end,
                              "quote": ev.quote})  # fmt: skip
            for name, ev in item.record.provenance.items():
                spans.append({"record": item.ref, "field": name, "start": ev.start, "end": ev.end,
                              "quote": ev.quote})  # fmt: skip
    spans.sort(key=lambda s: (s["start"], s["end"], s["record"], s["field"]))
    return {
        "document": doc.to_dict(),
        "records": {t: [i.ref for i in items] for t, items in records.items()},
        "spans": spans,
    }
