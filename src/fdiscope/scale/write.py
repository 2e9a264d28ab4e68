"""Writing extracted partitions to the store, in input order: near-duplicate links and outcomes.

The same code runs on the driver (which writes the results the workers send back) or on a
worker (which writes its own partition when its turn comes, see :mod:`fdiscope.scale.turns`).
Either way, partitions are written one after the other in input order, and near-duplicates are
looked up in the store's band keys as each is written, so the database ends up as a
single-process ingest would leave it: same documents, records, ids and links.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..ingest.batch import EXTRACTED, UNSUPPORTED_LANGUAGE, ItemOutcome
from ..ingest.dedupe import NearDuplicateIndex, StoredNearDuplicateIndex
from ..ingest.lang import SUPPORTED_LANGUAGES
from ..model import Document, EvidenceError
from ..store import Store
from ..store.sqlite import PreparedDocument, prepare_document

if TYPE_CHECKING:
    from .workers import Extracted

__all__ = [
    "WRITE_CACHE_KIB",
    "WRITE_CHECKPOINT_PAGES",
    "Finished",
    "tune_for_writes",
    "write_finished",
    "write_settings",
]

log = logging.getLogger(__name__)

#: SQLite page cache of a writing connection during a parallel ingest (KiB): the indexes
#: written with every document (band keys, full-text, evidence) get random inserts all over
#: them, and a cache of 2 MB (SQLite's default) misses on most of them past a few thousand
#: documents.  Bounded, so memory still does not grow with the corpus.
WRITE_CACHE_KIB = 32 * 1024
#: WAL pages between checkpoints during a parallel ingest (SQLite's default is 1000, which a
#: write of a few hundred documents exceeds: every commit would checkpoint and sync).
WRITE_CHECKPOINT_PAGES = 8000


@dataclass(slots=True)
class Finished:
    """A partition whose extraction is over, ready to be written.

    ``documents`` are all the partition's documents in input order (also those not extracted:
    already stored, repeated, or in a language without extraction); ``stored`` the ids the
    store held before the partition was submitted; ``submitted`` the ids sent for extraction;
    ``results`` what extraction gave, by document id; ``error`` why the whole partition failed
    on its worker (its submitted documents then fail, the others are still written).
    """

    documents: list[Document]
    stored: set[str]
    submitted: set[str]
    results: dict[str, Extracted] = field(default_factory=dict)
    error: str | None = None


def write_finished(
    store: Store, parts: list[Finished], index: NearDuplicateIndex | StoredNearDuplicateIndex
) -> list[list[ItemOutcome]]:
    """Write finished partitions (consecutive, in input order) in one transaction; per partition,
    the outcome of each of its documents, in order.

    Near-duplicates are linked in input order (the index sees the store and the documents of
    this write before each one), so links are those a single-process run would make.
    """
    prefetch = getattr(index, "prefetch", None)
    if prefetch is not None:  # one query for the stored candidates of all these documents
        prefetch(
            {
                key
                for part in parts
                for res in part.results.values()
                if res.prepared is not None
                for key in res.prepared.keys
            }
        )
    outs: list[list[ItemOutcome]] = []
    pending: list[tuple[list[ItemOutcome], int, Document]] = []  # where each written doc reports
    batch: list[tuple[Document, PreparedDocument | EvidenceError]] = []
    for part in parts:
        out: list[ItemOutcome] = []
        outs.append(out)
        seen: set[str] = set()
        for item in part.documents:
            source = item.source or item.id
            extract = (item.language or "") in SUPPORTED_LANGUAGES
            if item.id in part.stored or item.id in seen or (extract and item.id not in part.submitted):
                out.append(ItemOutcome(source, "duplicate", "already stored (same text)", item.id))
                continue
            seen.add(item.id)
            res = part.results.get(item.id)
            if extract and (part.error is not None or res is None or res.error is not None):
                reason = part.error or (res.error if res is not None else None) or "worker returned no result"
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
            out.append(ItemOutcome(source, "ingested", doc_id=item.id))  # placeholder until written
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


def tune_for_writes(store: Store) -> tuple[int, int] | None:
    """Give ``store``'s SQLite connection a bigger page cache and rarer checkpoints for a run of
    batch writes; returns the old settings (None on PostgreSQL, where nothing changes)."""
    if store.dialect != "sqlite":
        return None
    conn = store.conn
    cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    checkpoint = int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    # cache_size: negative is KiB, positive pages (of 4 KiB by default)
    if (-cache if cache < 0 else 4 * cache) < WRITE_CACHE_KIB:
        conn.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
    if 0 < checkpoint < WRITE_CHECKPOINT_PAGES:
        conn.execute(f"PRAGMA wal_autocheckpoint = {WRITE_CHECKPOINT_PAGES}")
    return cache, checkpoint


@contextmanager
def write_settings(store: Store) -> Iterator[None]:
    """:func:`tune_for_writes` for the run, the old settings after."""
    old = tune_for_writes(store)
    try:
        yield
    finally:
        if old is not None:
            store.conn.execute(f"PRAGMA cache_size = {old[0]}")
            store.conn.execute(f"PRAGMA wal_autocheckpoint = {old[1]}")
