"""What runs on a worker: extraction of one partition, returning only picklable records.

The worker gets the documents and sends back, per document, its records (or the reason it
failed): not the pipeline's carrier with all its mentions, which would cost pickling time and
memory on the way back.  The driver still holds the documents, so they are not sent back.
The worker also computes each text's MinHash signature, so the driver only looks it up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..ingest.dedupe import minhash
from ..model import Document, EventRecord, ProjectRecord, TradeRecord
from ..pipeline import Doc

__all__ = ["Extracted", "extract_partition"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Extracted:
    """The outcome of extracting one document: its records, or ``error`` when extraction failed.

    ``signature`` is the text's MinHash signature (:func:`fdiscope.ingest.dedupe.minhash`).
    """

    doc_id: str
    projects: list[ProjectRecord] = field(default_factory=list)
    trade: list[TradeRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    error: str | None = None
    signature: tuple[int, ...] | None = None


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
        out.append(
            Extracted(
                document.id,
                list(doc.projects),
                list(doc.trade),
                list(doc.events),
                signature=minhash(document.text),
            )
        )
    return out
