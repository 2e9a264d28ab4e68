"""The driver of a parallel ingest: stream, partition, extract on workers, write in batches.

The driver reads the input lazily, cuts it into partitions, drops documents the store already
holds (so a re-run resumes where an interrupted one stopped), and submits each partition to a
:class:`Backend` (a local process pool, or a Dask cluster).  At most ``max_in_flight``
partitions are out at once, and results are written in submission order, whole partitions in
one transaction (a few of the oldest, plus the next ones whose results are in already):
memory stays flat however long the stream, and the database ends up as a single-process ingest
would leave it (same documents, same records, same ids).  Near-duplicate lookups go to the
store's band keys (:class:`~fdiscope.ingest.dedupe.StoredNearDuplicateIndex`, one query per
write for the stored candidates of all its documents); the workers compute the signatures and
send the records back as checked rows ready to insert
(:func:`~fdiscope.store.sqlite.prepare_document`), so the driver's share per document is
little more than the inserts themselves, one ``executemany`` per table and write.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from ..ingest.batch import (
    EXTRACTED,
    UNSUPPORTED_LANGUAGE,
    IngestReport,
    ItemOutcome,
    load_near_duplicates,
    record_outcome,
)
from ..ingest.dedupe import NearDuplicateIndex, StoredNearDuplicateIndex
from ..ingest.documents import AlreadyStored
from ..ingest.errors import IngestError
from ..ingest.inputs import InputInfo
from ..ingest.lang import SUPPORTED_LANGUAGES
from ..model import Document, EvidenceError
from ..pipeline import Doc
from ..store import Store
from ..store.sqlite import PreparedDocument, prepare_document
from .partition import DEFAULT_PARTITION_SIZE, partitions
from .workers import Extracted, extract_partition

__all__ = [
    "Backend",
    "PendingResult",
    "ProcessBackend",
    "ScaleError",
    "ingest_parallel",
    "warm_worker",
]

log = logging.getLogger(__name__)


class ScaleError(RuntimeError):
    """A worker pool or cluster cannot be started or reached; the message says what to check."""


class PendingResult(Protocol):
    """A future of a partition's results (``concurrent.futures.Future`` or a Dask future)."""

    def result(self) -> list[Extracted]: ...


class Backend(Protocol):
    """Where partitions are extracted."""

    #: how many partitions can run at once (sizes the in-flight window)
    workers: int

    def submit(self, documents: list[Document]) -> PendingResult: ...

    def close(self) -> None: ...


def warm_worker() -> None:
    """Build the English and Russian pipelines once, so the first partition is not slower."""
    from ..extract import get_pipeline

    for lang in ("en", "ru"):
        get_pipeline(lang)


class ProcessBackend:
    """A pool of ``workers`` local processes (started with "spawn": no inherited threads or locks).

    Args:
        workers: number of processes.
        extractor: a module-level function document -> carrier (default: the standard pipeline).
    """

    def __init__(self, workers: int, extractor: Callable[[Document], Doc] | None = None) -> None:
        if workers < 1:
            raise ScaleError(f"--workers must be at least 1, got {workers}")
        self.workers = workers
        self.extractor = extractor
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=warm_worker
        )

    def submit(self, documents: list[Document]) -> PendingResult:
        return self._pool.submit(extract_partition, documents, self.extractor)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ProcessBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(slots=True)
class _Partition:
    items: list[Any]
    stored: set[str]  # ids already in the store before submission
    submitted: list[Document]  # what went to the worker, in order
    future: PendingResult | None


def _other(item: Any) -> ItemOutcome:
    """The outcome of an item that is not a document (a read error, or raw bytes already stored)."""
    if isinstance(item, AlreadyStored):
        return ItemOutcome(item.source, "duplicate", "already stored (same raw bytes)")
    if isinstance(item, IngestError):
        return ItemOutcome(item.where or "?", "failed", item.reason)
    return ItemOutcome(str(getattr(item, "source", "?")), "failed", str(getattr(item, "reason", item)))


def _results(part: _Partition) -> tuple[dict[str, Extracted], str | None]:
    """A finished partition's results by document id, or why its worker failed."""
    if part.future is None:
        return {}, None
    try:
        return {r.doc_id: r for r in part.future.result()}, None
    except Exception as exc:  # a crashed worker fails its partition, not the run
        log.warning("a worker failed on a partition of %d documents: %s", len(part.submitted), exc)
        return {}, f"worker failed: {type(exc).__name__}: {exc}"


def _done(part: _Partition) -> bool:
    """Whether a partition's results are in (without waiting for them)."""
    if part.future is None:
        return True
    done = getattr(part.future, "done", None)
    return bool(done()) if callable(done) else False


def _outcomes(
    store: Store, parts: list[_Partition], index: NearDuplicateIndex | StoredNearDuplicateIndex
) -> list[list[ItemOutcome | None]]:
    """Write finished partitions (consecutive, in input order) in one transaction and say what
    happened to each of their items, in order.

    Near-duplicates are linked here, on the driver, in input order (the index is global), so
    links are the same as a single-process run would make.  ``None`` marks an input boundary.
    """
    finished = [_results(part) for part in parts]
    prefetch = getattr(index, "prefetch", None)
    if prefetch is not None:  # one query for the stored candidates of all these documents
        prefetch(
            {
                key
                for results, _ in finished
                for res in results.values()
                if res.prepared is not None
                for key in res.prepared.keys
            }
        )
    outs: list[list[ItemOutcome | None]] = []
    pending: list[tuple[list[ItemOutcome | None], int, Document]] = []  # where each written doc reports
    batch: list[tuple[Document, PreparedDocument | EvidenceError]] = []
    for part, (results, worker_error) in zip(parts, finished, strict=True):
        submitted = {d.id for d in part.submitted}
        out: list[ItemOutcome | None] = []
        outs.append(out)
        seen: set[str] = set()
        for item in part.items:
            if isinstance(item, InputInfo):
                out.append(None)
                continue
            if not isinstance(item, Document):
                out.append(_other(item))
                continue
            source = item.source or item.id
            extract = (item.language or "") in SUPPORTED_LANGUAGES
            if item.id in part.stored or item.id in seen or (extract and item.id not in submitted):
                out.append(ItemOutcome(source, "duplicate", "already stored (same text)", item.id))
                continue
            seen.add(item.id)
            res = results.get(item.id)
            if extract and (worker_error is not None or res is None or res.error is not None):
                reason = (
                    worker_error or (res.error if res is not None else None) or "worker returned no result"
                )
                out.append(ItemOutcome(source, "failed", reason, item.id))
                continue
            sig = (
                res.signature if res is not None and res.signature is not None else index.signature(item.text)
            )
            ready = res.prepared if res is not None and extract else None
            # looks up, then holds it for later documents
            first = index.add_signature(item.id, sig, ready.keys if ready is not None else None)
            item.duplicate_of = first if first != item.id else None
            item.extraction = EXTRACTED if extract else UNSUPPORTED_LANGUAGE
            pending.append((out, len(out), item))
            out.append(None)
            if ready is None:  # not extracted, or the worker could not prepare the rows: do it here
                try:
                    if res is not None and extract:
                        ready = prepare_document(item, res.projects, res.trade, res.events, sig)
                    else:
                        ready = prepare_document(item, signature=sig)
                except EvidenceError as exc:
                    batch.append((item, exc))
                    continue
            batch.append((item, ready))
    written = store.add_prepared(batch)
    index.commit()
    for (out, pos, document), status in zip(pending, written, strict=True):
        source = document.source or document.id
        if isinstance(status, EvidenceError):
            reason = f"bad evidence, document not stored: {status}"
            out[pos] = ItemOutcome(source, "failed", reason, document.id)
        elif not status:
            out[pos] = ItemOutcome(source, "duplicate", "already stored (same text)", document.id)
        else:
            out[pos] = ItemOutcome(
                source,
                "ingested",
                doc_id=document.id,
                duplicate_of=document.duplicate_of,
                extraction=document.extraction,
            )
    return outs


def ingest_parallel(
    store: Store,
    items: Iterable[Any],
    backend: Backend,
    *,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    max_in_flight: int | None = None,
    on_item: Callable[[ItemOutcome], None] | None = None,
    index: NearDuplicateIndex | StoredNearDuplicateIndex | None = None,
) -> IngestReport:
    """Ingest a stream of documents, extracting on ``backend``'s workers.

    Same policy and counts as :func:`fdiscope.ingest.batch.ingest_documents`: read errors and
    failed extractions are recorded in ``ingest_errors`` and the run goes on; documents already
    stored count as duplicates and are not sent to a worker; near-duplicates are linked to the
    first stored copy; documents in other languages are stored without extraction.

    Args:
        store: where documents and records go (written by this process only).
        items: what the readers yield (documents, errors, input markers), consumed lazily.
        backend: the workers.
        partition_size: documents per partition (one task; a write transaction takes whole partitions).
        max_in_flight: partitions submitted and not yet written; default three per worker plus
            the partitions of one write (:data:`WRITE_DOCS` documents, written at once while the
            workers go on).
        on_item: called once per document or error, in input order.
        index: the near-duplicate index; default one loaded from ``store``.
    """
    group = write_partitions(partition_size)
    limit = max_in_flight or 3 * max(backend.workers, 1) + group
    index = index if index is not None else load_near_duplicates(store)
    with _write_settings(store):
        return _ingest(
            store, items, backend, partition_size, limit, min(group, limit - backend.workers), on_item, index
        )


#: SQLite page cache of the writing connection during a parallel ingest (KiB): the indexes
#: written with every document (band keys, full-text, evidence) get random inserts all over
#: them, and a cache of 2 MB (SQLite's default) misses on most of them past a few thousand
#: documents.  Bounded, so memory still does not grow with the corpus.
WRITE_CACHE_KIB = 32 * 1024
#: WAL pages between checkpoints during a parallel ingest (SQLite's default is 1000, which a
#: write of a few hundred documents exceeds: every commit would checkpoint and sync).
WRITE_CHECKPOINT_PAGES = 8000
#: Documents the driver writes per transaction when it can (it waits for the partitions that
#: hold them to finish).  A commit has a cost of its own, and the full-text and band-key indexes
#: get fewer, larger flushes: at 20,000 documents a write of ~1,000 costs ~0.55 ms/document
#: against ~0.9 for writes of 256 (bench/README.md).
WRITE_DOCS = 1024


def write_partitions(partition_size: int) -> int:
    """Partitions of ``partition_size`` documents in one write of :data:`WRITE_DOCS`."""
    return max(1, -(-WRITE_DOCS // max(partition_size, 1)))


@contextmanager
def _write_settings(store: Store) -> Iterator[None]:
    """A bigger page cache and rarer checkpoints on ``store``'s SQLite connection for the run,
    the old settings after (nothing changes on PostgreSQL)."""
    if store.dialect != "sqlite":
        yield
        return
    conn = store.conn
    cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    checkpoint = int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    # cache_size: negative is KiB, positive pages (of 4 KiB by default)
    if (-cache if cache < 0 else 4 * cache) < WRITE_CACHE_KIB:
        conn.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
    if 0 < checkpoint < WRITE_CHECKPOINT_PAGES:
        conn.execute(f"PRAGMA wal_autocheckpoint = {WRITE_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {cache}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {checkpoint}")


def _ingest(
    store: Store,
    items: Iterable[Any],
    backend: Backend,
    partition_size: int,
    limit: int,
    group_size: int,
    on_item: Callable[[ItemOutcome], None] | None,
    index: NearDuplicateIndex | StoredNearDuplicateIndex,
) -> IngestReport:
    report = IngestReport()
    pending: deque[_Partition] = deque()
    in_flight: set[str] = set()  # ids submitted and not yet written: a repeat is a duplicate

    # group_size: partitions written per transaction at least (while the workers keep the rest
    # of the window to work on).
    group_size = max(1, group_size)

    def drain() -> None:
        # The oldest partitions (waiting for them if need be), and with them every next one
        # whose results are in already: one transaction for all, in input order.
        group = [pending.popleft() for _ in range(min(group_size, len(pending)))]
        while pending and _done(pending[0]):
            group.append(pending.popleft())
        for part, outcomes in zip(group, _outcomes(store, group, index), strict=True):
            for item, outcome in zip(part.items, outcomes, strict=True):
                if isinstance(item, InputInfo):
                    report.inputs += 1
                    continue
                assert outcome is not None
                record_outcome(store, report, outcome, on_item)
            in_flight.difference_update(d.id for d in part.submitted)

    for chunk in partitions(items, partition_size):
        docs = [x for x in chunk if isinstance(x, Document)]
        stored = store.stored_ids(d.id for d in docs)
        todo: list[Document] = []
        for d in docs:
            if d.id not in stored and d.id not in in_flight and (d.language or "") in SUPPORTED_LANGUAGES:
                in_flight.add(d.id)
                todo.append(d)
        future = backend.submit(todo) if todo else None
        pending.append(_Partition(chunk, stored, todo, future))
        while len(pending) >= limit:
            drain()
    while pending:
        drain()
    return report


def default_workers() -> int:
    """The number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
