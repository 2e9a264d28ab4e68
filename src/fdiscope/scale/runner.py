"""The driver of a parallel ingest: stream, partition, extract on workers, write in batches.

The driver reads the input lazily, cuts it into partitions, drops documents the store already
holds (so a re-run resumes where an interrupted one stopped), and submits each partition to a
:class:`Backend` (a local process pool, or a Dask cluster).  At most ``max_in_flight``
partitions are out at once, so memory stays flat however long the stream, and partitions are
written in input order, so the database ends up as a single-process ingest would leave it
(same documents, same records, same ids, same near-duplicate links).

Who writes:

* **the workers** (default when the backend can and the store is a file or a server): each
  worker writes the partition it extracted when its turn comes (:mod:`fdiscope.scale.turns`)
  and sends back only the outcome of each document; writing is then spread over the cores that
  extract, and the driver does little but read the input and count.
* **the driver** (an in-memory store, or a backend without turns): the workers send the
  records back as checked rows ready to insert (:func:`~fdiscope.store.sqlite.prepare_document`)
  and the driver writes finished partitions in one transaction (a few of the oldest, plus the
  next ones whose results are in already).

Either way the write itself is :func:`fdiscope.scale.write.write_finished`.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Protocol, cast

from ..ingest.batch import IngestReport, ItemOutcome, load_near_duplicates, record_outcome
from ..ingest.dedupe import NearDuplicateIndex, StoredNearDuplicateIndex
from ..ingest.documents import AlreadyStored
from ..ingest.errors import IngestError
from ..ingest.inputs import InputInfo
from ..ingest.lang import SUPPORTED_LANGUAGES
from ..model import Document
from ..pipeline import Doc
from ..store import Store
from .partition import DEFAULT_PARTITION_SIZE, partitions
from .turns import DriverTurns, LocalTurns
from .workers import Extracted, WriteTask, extract_and_write, extract_partition, use_turns
from .write import Finished, write_finished, write_settings

__all__ = [
    "WORKER_PARTITION_SIZE",
    "WRITE_DOCS",
    "Backend",
    "PendingResult",
    "PendingWrite",
    "ProcessBackend",
    "ScaleError",
    "WritingBackend",
    "ingest_parallel",
    "warm_worker",
    "write_partitions",
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


class PendingWrite(Protocol):
    """A future of a partition a worker extracts and writes: its documents' outcomes."""

    def result(self) -> list[ItemOutcome]: ...


class WritingBackend(Backend, Protocol):
    """A backend whose workers can write to the store themselves, in turns."""

    #: whether its workers can open the stores the driver opens (same machine, or a server)
    can_write: bool
    turns: DriverTurns

    def submit_write(self, task: WriteTask) -> PendingWrite: ...


def warm_worker() -> None:
    """Build the English and Russian pipelines once, so the first partition is not slower."""
    from ..extract import get_pipeline

    for lang in ("en", "ru"):
        get_pipeline(lang)


def _start_worker(turns: LocalTurns) -> None:
    use_turns(turns)
    warm_worker()
    # the pipelines and lexicons live as long as the process: keep the garbage collector from
    # walking them again at every collection of the extraction's short-lived objects
    gc.freeze()


class ProcessBackend:
    """A pool of ``workers`` local processes (started with "spawn": no inherited threads or locks).

    The processes share write turns (:class:`~fdiscope.scale.turns.LocalTurns`), so they can
    write their partitions to the store themselves (:meth:`submit_write`).

    Args:
        workers: number of processes.
        extractor: a module-level function document -> carrier (default: the standard pipeline).
    """

    def __init__(self, workers: int, extractor: Callable[[Document], Doc] | None = None) -> None:
        if workers < 1:
            raise ScaleError(f"--workers must be at least 1, got {workers}")
        self.workers = workers
        self.extractor = extractor
        self.can_write = True
        self._ctx = multiprocessing.get_context("spawn")
        self.turns = LocalTurns(self._ctx)
        self._pool = self._new_pool()

    def submit(self, documents: list[Document]) -> PendingResult:
        return self._pool.submit(extract_partition, documents, self.extractor)

    def submit_write(self, task: WriteTask) -> PendingWrite:
        return self._pool.submit(extract_and_write, task, None, self.extractor)

    def recover(self, exc: BaseException) -> bool:
        """After a worker process died (``exc`` is the pool's ``BrokenProcessPool``): a new pool
        with the same turns; True if one was started."""
        if not isinstance(exc, BrokenProcessPool):
            return False
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._new_pool()
        return True

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=self._ctx, initializer=_start_worker, initargs=(self.turns,)
        )

    def close(self) -> None:
        self.turns.abort()  # a worker still waiting for a turn gives up instead of blocking shutdown
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
    tries: int = 1


def _other(item: Any) -> ItemOutcome:
    """The outcome of an item that is not a document (a read error, or raw bytes already stored)."""
    if isinstance(item, AlreadyStored):
        return ItemOutcome(item.source, "duplicate", "already stored (same raw bytes)")
    if isinstance(item, IngestError):
        return ItemOutcome(item.where or "?", "failed", item.reason)
    return ItemOutcome(str(getattr(item, "source", "?")), "failed", str(getattr(item, "reason", item)))


def _finished(part: _Partition) -> Finished:
    """A partition whose results are in (waiting for them), or whose worker failed."""
    documents = [x for x in part.items if isinstance(x, Document)]
    finished = Finished(documents, part.stored, {d.id for d in part.submitted})
    if part.future is None:
        return finished
    try:
        finished.results = {r.doc_id: r for r in part.future.result()}
    except Exception as exc:  # a crashed worker fails its partition, not the run
        log.warning("a worker failed on a partition of %d documents: %s", len(part.submitted), exc)
        finished.error = f"worker failed: {type(exc).__name__}: {exc}"
    return finished


def _done(part: _Partition) -> bool:
    """Whether a partition's results are in (without waiting for them)."""
    if part.future is None:
        return True
    done = getattr(part.future, "done", None)
    return bool(done()) if callable(done) else False


def _merge(items: list[Any], outcomes: list[ItemOutcome]) -> list[ItemOutcome | None]:
    """The outcome of every item of a partition, in order, from its documents' outcomes
    (``None`` marks an input boundary)."""
    docs = iter(outcomes)
    return [
        None if isinstance(item, InputInfo) else next(docs) if isinstance(item, Document) else _other(item)
        for item in items
    ]


def ingest_parallel(
    store: Store,
    items: Iterable[Any],
    backend: Backend,
    *,
    partition_size: int | None = None,
    max_in_flight: int | None = None,
    on_item: Callable[[ItemOutcome], None] | None = None,
    index: NearDuplicateIndex | StoredNearDuplicateIndex | None = None,
    worker_writes: bool | None = None,
) -> IngestReport:
    """Ingest a stream of documents, extracting on ``backend``'s workers.

    Same policy and counts as :func:`fdiscope.ingest.batch.ingest_documents`: read errors and
    failed extractions are recorded in ``ingest_errors`` and the run goes on; documents already
    stored count as duplicates and are not sent to a worker; near-duplicates are linked to the
    first stored copy; documents in other languages are stored without extraction.

    Args:
        store: where documents and records go.
        items: what the readers yield (documents, errors, input markers), consumed lazily.
        backend: the workers.
        partition_size: documents per partition (one task); default
            :data:`WORKER_PARTITION_SIZE` when the workers write (one transaction each), else
            :data:`~fdiscope.scale.partition.DEFAULT_PARTITION_SIZE` (the driver writes several
            at once).
        max_in_flight: partitions submitted and not yet written; default three per worker (plus,
            when the driver writes, the partitions of one write: :data:`WRITE_DOCS` documents,
            written at once while the workers go on).
        on_item: called once per document or error, in input order.
        index: the near-duplicate index when the driver writes; default one over ``store``.
        worker_writes: whether the workers write (see the module's doc); default: when the
            backend can (:class:`WritingBackend`) and the store is not in memory.

    Raises:
        ScaleError: ``worker_writes`` is asked for and not possible.
    """
    can = bool(getattr(backend, "can_write", False)) and store.path != ":memory:"
    if worker_writes is None:
        worker_writes = can and index is None
    elif worker_writes and not can:
        raise ScaleError("workers can only write to a database file or server the backend shares")
    if worker_writes:
        size = partition_size or WORKER_PARTITION_SIZE
        limit = max_in_flight or 3 * max(backend.workers, 1)
        run = _WorkerWrites(store, cast(WritingBackend, backend), on_item)
        return run.ingest(items, size, limit)
    size = partition_size or DEFAULT_PARTITION_SIZE
    group = write_partitions(size)
    limit = max_in_flight or 3 * max(backend.workers, 1) + group
    index = index if index is not None else load_near_duplicates(store)
    group = min(group, limit - backend.workers)
    with write_settings(store):
        return _ingest(store, items, backend, size, limit, group, on_item, index)


#: Documents the driver writes per transaction when it can (it waits for the partitions that
#: hold them to finish).  A commit has a cost of its own, and the full-text and band-key indexes
#: get fewer, larger flushes: at 20,000 documents a write of ~1,000 costs ~0.55 ms/document
#: against ~0.9 for writes of 256 (bench/README.md).
WRITE_DOCS = 1024
#: Documents per partition when the workers write: each partition is one transaction (see
#: :data:`WRITE_DOCS` for why larger writes are cheaper per document), and the last
#: partitions of a run keep fewer workers busy the larger they are.
WORKER_PARTITION_SIZE = 256


def write_partitions(partition_size: int) -> int:
    """Partitions of ``partition_size`` documents in one write of :data:`WRITE_DOCS`."""
    return max(1, -(-WRITE_DOCS // max(partition_size, 1)))


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
    """The run when the driver writes."""
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
        for part in group:
            _retry_lost(backend, part, [*group, *pending])
        written = write_finished(store, [_finished(part) for part in group], index)
        for part, outcomes in zip(group, written, strict=True):
            _report(store, report, part.items, outcomes, on_item)
            in_flight.difference_update(d.id for d in part.submitted)

    for chunk in partitions(items, partition_size):
        docs = [x for x in chunk if isinstance(x, Document)]
        stored = store.stored_ids(d.id for d in docs)
        todo = _to_extract(docs, stored, in_flight)
        future = backend.submit(todo) if todo else None
        pending.append(_Partition(chunk, stored, todo, future))
        while len(pending) >= limit:
            drain()
    while pending:
        drain()
    return report


def _to_extract(docs: list[Document], stored: set[str], in_flight: set[str]) -> list[Document]:
    """Those of ``docs`` to send for extraction (their ids are added to ``in_flight``): not
    stored, not repeated, in a language with extraction."""
    out: list[Document] = []
    for d in docs:
        if d.id not in stored and d.id not in in_flight and (d.language or "") in SUPPORTED_LANGUAGES:
            in_flight.add(d.id)
            out.append(d)
    return out


def _report(
    store: Store,
    report: IngestReport,
    items: list[Any],
    outcomes: list[ItemOutcome],
    on_item: Callable[[ItemOutcome], None] | None,
) -> None:
    """Count a written partition's items, in input order."""
    for outcome in _merge(items, outcomes):
        if outcome is None:
            report.inputs += 1
        else:
            record_outcome(store, report, outcome, on_item)


@dataclass(slots=True)
class _Written:
    """A partition out to a worker that extracts and writes it."""

    items: list[Any]
    task: WriteTask
    future: PendingWrite | None  # None: nothing to write (every document is a duplicate)
    tries: int = 1


class _WorkerWrites:
    """The run when the workers write: the driver partitions, submits and counts."""

    def __init__(
        self, store: Store, backend: WritingBackend, on_item: Callable[[ItemOutcome], None] | None
    ) -> None:
        self.store = store
        self.backend = backend
        self.on_item = on_item
        self.report = IngestReport()
        self.in_flight: set[str] = set()  # ids submitted and not yet written
        self.pending: deque[_Written] = deque()

    def ingest(self, items: Iterable[Any], partition_size: int, limit: int) -> IngestReport:
        seq = self.backend.turns.next
        try:
            for chunk in partitions(items, partition_size):
                docs = [x for x in chunk if isinstance(x, Document)]
                stored = self.store.stored_ids(d.id for d in docs)
                todo = {d.id for d in _to_extract(docs, stored, self.in_flight)}
                task = WriteTask(seq, docs, stored, todo, self.store.path)
                future = None
                if todo or any(d.id not in stored and d.language not in SUPPORTED_LANGUAGES for d in docs):
                    future = self.backend.submit_write(task)
                    seq += 1
                self.pending.append(_Written(chunk, task, future))
                while len(self.pending) >= limit:
                    self._drain()
            while self.pending:
                self._drain()
        except BaseException:
            self.backend.turns.abort()  # workers waiting for a turn give up
            raise
        return self.report

    def _drain(self) -> None:
        part = self.pending.popleft()
        task = part.task
        outcomes = _unwritten(task, None) if part.future is None else self._wait(part)
        _report(self.store, self.report, part.items, outcomes, self.on_item)
        self.in_flight.difference_update(task.submitted)

    def _wait(self, part: _Written) -> list[ItemOutcome]:
        """The outcomes of a partition.  A lost worker process is replaced and every partition
        its pool lost is sent once more (:data:`MAX_TRIES` in all), so a crash costs at most the
        partitions that were out with the one that caused it, never the rest of the run."""
        task = part.task
        while True:
            assert part.future is not None
            try:
                return part.future.result()
            except Exception as exc:  # the partition's transaction was rolled back: nothing stored
                if _recover(self.backend, exc):
                    log.warning("a worker process was lost (%s); started new ones", exc)
                    again = part.tries < MAX_TRIES
                    for other in (part, *self.pending) if again else self.pending:
                        if other.future is not None and _failed(other.future):
                            other.future = self.backend.submit_write(other.task)
                            other.tries += 1
                    if again:
                        continue
                log.warning("a worker failed on a partition of %d documents: %s", len(task.documents), exc)
                self.backend.turns.done(task.seq)  # a lost worker never passed its turn on
                return _unwritten(task, f"worker failed: {type(exc).__name__}: {exc}")


#: times a partition is sent to a worker when worker processes are lost while it is out
MAX_TRIES = 2


def _retry_lost(backend: Backend, part: _Partition, out: list[_Partition]) -> None:
    """When the driver writes: wait for ``part``; if its worker process was lost, start new
    ones and send every partition of ``out`` the old pool lost again (``part`` too, up to
    :data:`MAX_TRIES` times; after that its results are the error)."""
    while part.future is not None:
        try:
            part.future.result()
            return
        except Exception as exc:
            if not _recover(backend, exc):
                return
            log.warning("a worker process was lost (%s); started new ones", exc)
            again = part.tries < MAX_TRIES
            for other in out:
                if other.future is not None and _failed(other.future) and (again or other is not part):
                    other.future = backend.submit(other.submitted)
                    other.tries += 1
            if not again:
                return


def _recover(backend: Any, exc: BaseException) -> bool:
    """Whether ``backend`` replaced workers lost with ``exc`` (so their partitions can be sent again)."""
    recover = getattr(backend, "recover", None)
    return bool(recover(exc)) if callable(recover) else False


def _failed(future: Any) -> bool:
    done = getattr(future, "done", None)
    if not callable(done) or not done():
        return False
    exception = getattr(future, "exception", None)
    return callable(exception) and exception() is not None


def _unwritten(task: WriteTask, reason: str | None) -> list[ItemOutcome]:
    """The outcomes of a partition that was not written: duplicates are duplicates, every other
    document failed for ``reason``."""
    out: list[ItemOutcome] = []
    seen: set[str] = set()
    for d in task.documents:
        source = d.source or d.id
        extract = (d.language or "") in SUPPORTED_LANGUAGES
        if d.id in task.stored or d.id in seen or (extract and d.id not in task.submitted) or reason is None:
            out.append(ItemOutcome(source, "duplicate", "already stored (same text)", d.id))
        else:
            out.append(ItemOutcome(source, "failed", reason, d.id))
        seen.add(d.id)
    return out


def default_workers() -> int:
    """The number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
