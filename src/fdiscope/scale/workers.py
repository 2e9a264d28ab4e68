"""What runs on a worker: extraction of one partition, returning the rows the store will insert.

The worker gets the documents and sends back, per document, its records (or the reason it
failed): not the pipeline's carrier with all its mentions, which would cost pickling time and
memory on the way back.  The driver still holds the documents, so they are not sent back.
The worker also does everything about a document's write that needs no database: it computes
the text's MinHash signature and band keys, checks every evidence span against the text and
turns the records into plain row tuples (:func:`fdiscope.store.sqlite.prepare_document`), so
the driver's share per document is a near-duplicate lookup and the inserts themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..ingest.dedupe import minhash
from ..model import Document, EventRecord, EvidenceError, ProjectRecord, TradeRecord
from ..pipeline import Doc
from ..store.sqlite import PreparedDocument, prepare_document

__all__ = ["Extracted", "extract_partition"]

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
