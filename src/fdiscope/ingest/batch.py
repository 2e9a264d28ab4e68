"""Ingesting a batch into a store: read, skip what is stored, link near-duplicates, extract, write.

The error policy lives here: every item that cannot be read, extracted or stored becomes one
:class:`ItemOutcome` with status "failed" and one row in the store's ``ingest_errors``, and the
batch goes on.  Documents are written in batches of up to ``batch_size`` (or every
``batch_seconds``), one transaction per batch, each document with all its records: a batch
killed at any moment leaves whole documents only; running it again skips what is stored —
inputs whose raw bytes are stored before they are parsed, documents whose id (content hash) is
stored before extraction — and so resumes without duplicates.  Outcomes are reported (and
errors recorded) in input order when their batch is written.

Near-duplicates (the same wire story on another site) are stored, with ``duplicate_of`` set to
the first stored copy; the lookup asks the store (:class:`~.dedupe.StoredNearDuplicateIndex`),
so copies of documents stored by earlier runs are found too and memory does not grow with
the store.  Documents in a language the extractor does not read are
stored with ``extraction = "unsupported-language"`` and no records.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from ..model import Document, EvidenceError
from .dedupe import NearDuplicateIndex, StoredNearDuplicateIndex
from .documents import AlreadyStored
from .errors import IngestError
from .fetch import DEFAULT_MAX_BYTES
from .inputs import Input, InputInfo, expand_inputs, read_inputs
from .lang import SUPPORTED_LANGUAGES

if TYPE_CHECKING:
    from ..pipeline import Doc
    from ..store import Store

__all__ = [
    "BATCH_SECONDS",
    "BATCH_SIZE",
    "EXTRACTED",
    "UNSUPPORTED_LANGUAGE",
    "Extractor",
    "ItemOutcome",
    "IngestReport",
    "InputPlan",
    "load_near_duplicates",
    "record_outcome",
    "ingest_documents",
    "ingest_sources",
    "plan_sources",
]

log = logging.getLogger(__name__)

#: ``Document.extraction`` of a document whose records were extracted.
EXTRACTED = "extracted"
#: ``Document.extraction`` of a document stored without extraction (language not read).
UNSUPPORTED_LANGUAGE = "unsupported-language"

#: Documents written per transaction by :func:`ingest_documents` at most.
BATCH_SIZE = 64
#: A batch is written at the latest this many seconds after its first document was extracted.
BATCH_SECONDS = 2.0

#: A near-duplicate index: in memory, or over the store's band keys.
DuplicateIndex = NearDuplicateIndex | StoredNearDuplicateIndex

#: A function from a document to the extraction carrier (default: :func:`fdiscope.extract.extract`).
Extractor = Callable[[Document], "Doc"]


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """What happened to one item: status is "ingested", "duplicate" or "failed".

    ``duplicate_of`` is set for a stored near-duplicate, ``extraction`` for a stored document.
    """

    source: str
    status: str
    reason: str | None = None
    doc_id: str | None = None
    duplicate_of: str | None = None
    extraction: str | None = None


@dataclass(slots=True)
class IngestReport:
    """Counts of one ingest run, plus the failures in the order they happened.

    ``ingested`` counts stored documents, of which ``near_duplicates`` were linked to an earlier
    copy and ``unsupported`` were not extracted; ``duplicates`` were already stored.
    """

    ingested: int = 0
    duplicates: int = 0
    failed: int = 0
    near_duplicates: int = 0
    unsupported: int = 0
    inputs: int = 0
    failures: list[ItemOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def summary(self) -> str:
        """One line, e.g. "ingested 5 (near-duplicates 1, unsupported language 1), duplicates 2, failed 3"."""
        extra = [
            f"{label} {n}"
            for label, n in (
                ("near-duplicates", self.near_duplicates),
                ("unsupported language", self.unsupported),
            )
            if n
        ]
        stored = f"ingested {self.ingested}" + (f" ({', '.join(extra)})" if extra else "")
        return f"{stored}, duplicates {self.duplicates}, failed {self.failed}"

    def count(self, outcome: ItemOutcome) -> None:
        """Add one outcome to the counts."""
        if outcome.status == "failed":
            self.failed += 1
            self.failures.append(outcome)
        elif outcome.status == "duplicate":
            self.duplicates += 1
        else:
            self.ingested += 1
            self.near_duplicates += outcome.duplicate_of is not None
            self.unsupported += outcome.extraction == UNSUPPORTED_LANGUAGE


def record_outcome(
    store: Store, report: IngestReport, outcome: ItemOutcome, on_item: Callable[[ItemOutcome], None] | None
) -> None:
    """Count one item's outcome; a failure is also logged and kept in the store's ingest errors."""
    if outcome.status == "failed":
        store.add_error(outcome.source, outcome.reason or "failed")
        log.info("skip %s: %s", outcome.source, outcome.reason)
    report.count(outcome)
    if on_item is not None:
        on_item(outcome)


def _default_extractor() -> Extractor:
    from ..extract import extract

    return extract


def load_near_duplicates(store: Store) -> StoredNearDuplicateIndex:
    """The near-duplicate index over every document in the store (queried, not loaded)."""
    return StoredNearDuplicateIndex(store)


def _error_source(exc: IngestError) -> str:
    return exc.where or "?"


@dataclass(slots=True)
class _Pending:
    """A document extracted and waiting for its batch to be written."""

    document: Document
    projects: Sequence[Any]
    trade: Sequence[Any]
    events: Sequence[Any]
    signature: tuple[int, ...]


def _prepare_one(
    store: Store, document: Document, extractor: Extractor, index: DuplicateIndex, batch_ids: set[str]
) -> ItemOutcome | _Pending:
    """Link, extract; the outcome of a document that will not be written, or what to write."""
    source = document.source or document.id
    if document.id in batch_ids or store.has_document(document.id):
        return ItemOutcome(source, "duplicate", "already stored (same text)", document.id)
    projects: Sequence[Any] = ()
    trade: Sequence[Any] = ()
    events: Sequence[Any] = ()
    if (document.language or "") in SUPPORTED_LANGUAGES:
        try:
            doc = extractor(document)
        except Exception as exc:  # one bad article never stops a batch
            log.debug("extraction of %s failed", source, exc_info=True)
            return ItemOutcome(
                source, "failed", f"extraction failed: {type(exc).__name__}: {exc}", document.id
            )
        projects, trade, events = doc.projects, doc.trade, doc.events
        document.extraction = EXTRACTED
    else:
        document.extraction = UNSUPPORTED_LANGUAGE
    sig = index.signature(document.text)
    first = index.add_signature(document.id, sig)  # looks up, then holds it for the batch
    document.duplicate_of = first if first != document.id else None
    return _Pending(document, projects, trade, events, sig)


def _written(pending: _Pending, status: bool | EvidenceError) -> ItemOutcome:
    document = pending.document
    source = document.source or document.id
    if isinstance(status, EvidenceError):
        return ItemOutcome(source, "failed", f"bad evidence, document not stored: {status}", document.id)
    if not status:
        return ItemOutcome(source, "duplicate", "already stored (same text)", document.id)
    return ItemOutcome(
        source,
        "ingested",
        doc_id=document.id,
        duplicate_of=document.duplicate_of,
        extraction=document.extraction,
    )


def ingest_documents(
    store: Store,
    items: Iterable[Document | IngestError | AlreadyStored | InputInfo | Any],
    *,
    extractor: Extractor | None = None,
    on_item: Callable[[ItemOutcome], None] | None = None,
    on_input: Callable[[InputInfo], None] | None = None,
    index: DuplicateIndex | None = None,
    batch_size: int = BATCH_SIZE,
    batch_seconds: float = BATCH_SECONDS,
) -> IngestReport:
    """Extract and store documents; errors met while reading count as failures.

    Args:
        store: where documents, records and errors go.
        items: what the readers yield (see :func:`~fdiscope.ingest.read_inputs`).
        extractor: document -> carrier with records; default the standard pipeline.
        on_item: called after each document or error (in input order, when its batch is
            written), e.g. to print failures or move a progress bar.
        on_input: called when an input (file, URL, stdin) starts.
        index: the near-duplicate index; default the store's (:func:`load_near_duplicates`).
        batch_size: documents per write transaction at most (1: a commit per document).
        batch_seconds: a batch is written at the latest this long after its first document.

    Returns:
        The counts; every failure is also recorded in the store's ``ingest_errors``.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    extract = extractor or _default_extractor()
    index = index if index is not None else load_near_duplicates(store)
    report = IngestReport()
    queue: list[ItemOutcome | _Pending] = []  # outcomes in input order, documents to write
    batch: list[_Pending] = []
    batch_ids: set[str] = set()
    started = 0.0

    def flush() -> None:
        written = (
            store.add_documents(
                [(p.document, p.projects, p.trade, p.events) for p in batch],
                signatures=[p.signature for p in batch],
            )
            if batch
            else []
        )
        index.commit()
        status = dict(zip((id(p) for p in batch), written, strict=True))
        for entry in queue:
            outcome = _written(entry, status[id(entry)]) if isinstance(entry, _Pending) else entry
            record_outcome(store, report, outcome, on_item)
        queue.clear()
        batch.clear()
        batch_ids.clear()

    for item in items:
        if isinstance(item, InputInfo):
            report.inputs += 1
            if on_input is not None:
                on_input(item)
            continue
        entry: ItemOutcome | _Pending
        if isinstance(item, IngestError):
            entry = ItemOutcome(_error_source(item), "failed", item.reason)
        elif isinstance(item, AlreadyStored):
            entry = ItemOutcome(item.source, "duplicate", "already stored (same raw bytes)")
        elif isinstance(item, Document):
            entry = _prepare_one(store, item, extract, index, batch_ids)
        else:  # any other error object with a source and a reason (e.g. fdiscope.sources.SourceError)
            entry = ItemOutcome(
                str(getattr(item, "source", "?")), "failed", str(getattr(item, "reason", item))
            )
        queue.append(entry)
        if isinstance(entry, _Pending):
            if not batch:
                started = time.monotonic()
            batch.append(entry)
            batch_ids.add(entry.document.id)
        if len(batch) >= batch_size or (batch and time.monotonic() - started >= batch_seconds) or not batch:
            flush()
    flush()
    return report


def _read(
    sources: Iterable[str],
    url_lists: Iterable[str | os.PathLike[str]],
    follow: bool,
    max_bytes: int,
    stdin: IO[bytes] | None,
    client: Any,
    seen: Callable[[str], bool] | None,
) -> Iterator[Document | IngestError | AlreadyStored | InputInfo]:
    inputs = expand_inputs(sources, url_lists=url_lists)
    return read_inputs(inputs, follow=follow, max_bytes=max_bytes, seen=seen, stdin=stdin, client=client)


def ingest_sources(
    store: Store,
    sources: Iterable[str],
    *,
    url_lists: Iterable[str | os.PathLike[str]] = (),
    follow: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: IO[bytes] | None = None,
    client: Any = None,
    extractor: Extractor | None = None,
    on_item: Callable[[ItemOutcome], None] | None = None,
    on_input: Callable[[InputInfo], None] | None = None,
) -> IngestReport:
    """Read paths, folders, URLs, URL lists and stdin ("-") and ingest every document in them.

    Inputs whose raw bytes are already stored are skipped before they are parsed.
    See :func:`ingest_documents` for the rest.
    """
    items = _read(sources, url_lists, follow, max_bytes, stdin, client, store.has_raw)
    return ingest_documents(store, items, extractor=extractor, on_item=on_item, on_input=on_input)


@dataclass(slots=True)
class InputPlan:
    """What a dry run found in one input: its format and size, documents by language, errors."""

    source: str
    kind: str
    format: str | None
    size: int | None
    languages: dict[str, int] = field(default_factory=dict)
    errors: list[IngestError] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return sum(self.languages.values())


def plan_sources(
    sources: Iterable[str],
    *,
    url_lists: Iterable[str | os.PathLike[str]] = (),
    follow: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: IO[bytes] | None = None,
    client: Any = None,
) -> list[InputPlan]:
    """Read everything :func:`ingest_sources` would read, extract and store nothing.

    Errors that belong to no input (a missing path, a bad line in a URL list) get an input of
    their own with kind "missing".
    """
    plans: list[InputPlan] = []
    inputs: list[Input] = []
    for inp in expand_inputs(sources, url_lists=url_lists):
        if isinstance(inp, IngestError):
            plans.append(InputPlan(_error_source(inp), "missing", None, None, errors=[inp]))
        else:
            inputs.append(inp)
    current: InputPlan | None = None
    for item in read_inputs(inputs, follow=follow, max_bytes=max_bytes, stdin=stdin, client=client):
        if isinstance(item, InputInfo):
            current = InputPlan(item.source, item.kind, item.format, item.size)
            plans.append(current)
        elif current is None:
            continue  # read_inputs yields an InputInfo before anything else
        elif isinstance(item, IngestError):
            current.errors.append(item)
        elif isinstance(item, Document):
            lang = item.language or "und"
            current.languages[lang] = current.languages.get(lang, 0) + 1
    return plans
