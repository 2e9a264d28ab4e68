"""What runs on a worker: extraction of one partition, returning the rows the store will insert.

The worker gets the documents and sends back, per document, its records (or the reason it
failed): not the pipeline's carrier with all its mentions, which would cost pickling time and
memory on the way back.  The driver still holds the documents, so they are not sent back.
The worker also does everything about a document's write that needs no database: it computes
the text's MinHash signature and band keys, checks every evidence span against the text and
turns the records into plain row tuples (:func:`fdiscope.store.sqlite.prepare_document`), so
the driver's share per document is a near-duplicate lookup and the inserts themselves.

When the workers can reach the store, they also write (:func:`extract_and_write`): each waits
for its partition's turn (:mod:`fdiscope.scale.turns`), writes it as the driver would, and
sends back only the outcome of each document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..ingest.batch import ItemOutcome
from ..ingest.dedupe import StoredNearDuplicateIndex, minhash
from ..model import Document, EventRecord, EvidenceError, ProjectRecord, TradeRecord
from ..pipeline import Doc
from ..store import Store
from ..store.sqlite import PreparedDocument, prepare_document
from .turns import Turns
from .write import Finished, tune_for_writes, write_finished

__all__ = ["Extracted", "WriteTask", "extract_and_write", "extract_partition", "use_turns"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Extracted:
    """The outcome of extracting one document: its records, or ``error`` when extraction failed.

    ``signature`` is the text's MinHash signature (:func:`fdiscope.ingest.dedupe.minhash`).
    ``prepared`` holds the records as checked rows ready to insert; the record lists are then
    left empty (they are only filled when the rows could not be prepared, e.g. bad evidence,
    so that the driver reports the problem as a single-process ingest would).
    """

    doc_id: str
    projects: list[ProjectRecord] = field(default_factory=list)
    trade: list[TradeRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    error: str | None = None
    signature: tuple[int, ...] | None = None
    prepared: PreparedDocument | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # Plain positional arguments: much cheaper to unpickle on the driver than the generic
        # state of a slotted dataclass.
        return (
            Extracted,
            (self.doc_id, self.projects, self.trade, self.events, self.error, self.signature, self.prepared),
        )


def _default_extract(document: Document) -> Doc:
    from ..extract import extract

    return extract(document)


def extract_partition(
    documents: Sequence[Document], extractor: Callable[[Document], Doc] | None = None
) -> list[Extracted]:
    """Extract every document of a partition; one failure never stops the others.

    Args:
        documents: the partition.
        extractor: a picklable (module-level) function document -> carrier; default
            :func:`fdiscope.extract.extract`.
    """
    fn = extractor or _default_extract
    out: list[Extracted] = []
    for document in documents:
        try:
            doc = fn(document)
        except Exception as exc:  # the driver records it, the batch goes on
            log.debug("extraction of %s failed", document.source or document.id, exc_info=True)
            out.append(Extracted(document.id, error=f"extraction failed: {type(exc).__name__}: {exc}"))
            continue
        sig = minhash(document.text)
        try:
            prepared = prepare_document(document, doc.projects, doc.trade, doc.events, sig)
        except EvidenceError:  # the driver checks again and records why it is not stored
            out.append(
                Extracted(document.id, list(doc.projects), list(doc.trade), list(doc.events), signature=sig)
            )
            continue
        out.append(Extracted(document.id, signature=sig, prepared=prepared))
    return out


@dataclass(slots=True)
class WriteTask:
    """A partition a worker extracts and writes itself.

    ``seq`` is its turn; ``documents`` all its documents in input order, ``stored`` and
    ``submitted`` as in :class:`~fdiscope.scale.write.Finished`; ``db`` the store's path or URL.
    """

    seq: int
    documents: list[Document]
    stored: set[str]
    submitted: set[str]
    db: str

    def __reduce__(self) -> tuple[Any, ...]:
        return (WriteTask, (self.seq, self.documents, self.stored, self.submitted, self.db))


#: this process's turns (a process pool hands them over when the process starts)
_turns: Turns | None = None
#: this process's open stores, by path or URL (opened at the first write, kept for the next)
_stores: dict[str, Store] = {}


def use_turns(turns: Turns | None) -> None:
    """Make ``turns`` this process's write turns (a pool initializer calls it)."""
    global _turns
    _turns = turns


def _store(db: str) -> Store:
    store = _stores.get(db)
    if store is None:
        from multiprocessing.util import Finalize

        store = _stores[db] = Store(db)
        tune_for_writes(store)
        Finalize(store, store.close, exitpriority=10)  # closed when the worker process ends
    return store


def extract_and_write(
    task: WriteTask, turns: Turns | None = None, extractor: Callable[[Document], Doc] | None = None
) -> list[ItemOutcome]:
    """Extract a partition, wait for its turn, write it; the outcome of each of its documents.

    The turn is passed on whatever happens (also when extraction or the write fails), so one
    bad partition never holds up the others.  A failed write raises (its transaction is rolled
    back: nothing of the partition is stored) and the driver records the partition as failed.

    Args:
        task: the partition.
        turns: the run's write turns (default: those this process was started with).
        extractor: as for :func:`extract_partition`.
    """
    turns = turns if turns is not None else _turns
    if turns is None:
        raise RuntimeError("no write turns: start the worker with use_turns(...)")
    todo = list({d.id: d for d in task.documents if d.id in task.submitted}.values())
    part = Finished(task.documents, task.stored, task.submitted)
    try:
        part.results = {r.doc_id: r for r in extract_partition(todo, extractor)}
    except Exception as exc:  # e.g. out of memory: the partition fails, its turn still passes
        part.error = f"worker failed: {type(exc).__name__}: {exc}"
    turns.wait(task.seq)
    try:
        store = _store(task.db)
        return write_finished(store, [part], StoredNearDuplicateIndex(store))[0]
    finally:
        turns.done(task.seq)
