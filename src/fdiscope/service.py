"""The service layer: what the CLI (and later the HTTP API and dashboard) call.

Everything here takes an open :class:`~fdiscope.store.Store` and plain values and returns
plain values; nothing prints.  Ingest owns the error policy: an item that cannot be read,
extracted or stored is reported and recorded in ``ingest_errors``, and the batch goes on.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .model import Document, EvidenceError
from .pipeline import Doc
from .sources import SourceError, read_paths
from .store import (
    QueryError,
    RecordFilter,
    RecordNotFound,
    Store,
    StoredRecord,
    default_db_path,
)

__all__ = [
    "Extractor",
    "IngestReport",
    "ItemOutcome",
    "open_store",
    "ingest_documents",
    "ingest_paths",
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
]

log = logging.getLogger(__name__)

#: A function from a document to the extraction carrier (default: :func:`fdiscope.extract.extract`).
Extractor = Callable[[Document], Doc]


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """What happened to one ingested item: status is "ingested", "duplicate" or "failed"."""

    source: str
    status: str
    reason: str | None = None
    doc_id: str | None = None


@dataclass(slots=True)
class IngestReport:
    """Counts of one ingest run, plus the failures in the order they happened."""

    ingested: int = 0
    duplicates: int = 0
    failed: int = 0
    failures: list[ItemOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def summary(self) -> str:
        return f"ingested {self.ingested}, duplicates {self.duplicates}, failed {self.failed}"


def open_store(db: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating and migrating if needed) the database ``db`` or the default one."""
    return Store(db if db is not None else default_db_path())


def _default_extractor() -> Extractor:
    from .extract import extract

    return extract


def _ingest_one(store: Store, document: Document, extractor: Extractor) -> ItemOutcome:
    source = document.source or document.id
    if store.has_document(document.id):
        return ItemOutcome(source, "duplicate", doc_id=document.id)
    try:
        doc = extractor(document)
    except Exception as exc:  # one bad article never stops a batch
        log.debug("extraction of %s failed", source, exc_info=True)
        return ItemOutcome(source, "failed", f"extraction failed: {type(exc).__name__}: {exc}", document.id)
    try:
        new = store.add_document(document, doc.projects, doc.trade, doc.events)
    except EvidenceError as exc:
        return ItemOutcome(source, "failed", f"bad evidence, document not stored: {exc}", document.id)
    return ItemOutcome(source, "ingested" if new else "duplicate", doc_id=document.id)


def ingest_documents(
    store: Store,
    items: Iterable[Document | SourceError],
    *,
    extractor: Extractor | None = None,
    on_item: Callable[[ItemOutcome], None] | None = None,
) -> IngestReport:
    """Extract and store documents; unreadable items (:class:`SourceError`) count as failures.

    Args:
        store: where documents and records go.
        items: documents, and errors met while reading them (as yielded by
            :func:`fdiscope.sources.read_paths`).
        extractor: document -> carrier with records; default the standard pipeline.
        on_item: called after each item, e.g. to print failures or advance a progress bar.

    Returns:
        The counts; every failure is also recorded in the store's ``ingest_errors``.
    """
    extract = extractor or _default_extractor()
    report = IngestReport()
    for item in items:
        if isinstance(item, SourceError):
            outcome = ItemOutcome(item.source, "failed", item.reason)
        else:
            outcome = _ingest_one(store, item, extract)
        if outcome.status == "failed":
            report.failed += 1
            report.failures.append(outcome)
            store.add_error(outcome.source, outcome.reason or "failed")
            log.info("skip %s: %s", outcome.source, outcome.reason)
        elif outcome.status == "duplicate":
            report.duplicates += 1
        else:
            report.ingested += 1
        if on_item is not None:
            on_item(outcome)
    return report


def ingest_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    extractor: Extractor | None = None,
    on_item: Callable[[ItemOutcome], None] | None = None,
) -> IngestReport:
    """Read files, folders and ``.jsonl`` files and ingest every document in them."""
    return ingest_documents(store, read_paths(paths), extractor=extractor, on_item=on_item)


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
    m = _SENTENCE_END.search(text, max(end, start + 1) - 1 if end > start else end)
    # The span may itself end with a full stop; look for the boundary from its last character on.
    if m is not None:
        e = m.end() if m.group() != "\n" else m.start()
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
