"""Re-extraction that keeps the old claims: new records are added, old ones marked superseded.

Claims are never overwritten or deleted.  Running a newer extractor over a stored document
adds its records as new claims and records the document's previous records in
``claim_supersessions``; resolution reads only current claims.  Claim keys (document and
evidence span) let corrections find the new records of the same sentences.
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Callable, Iterable, Sequence

from ..model import Document
from ..pipeline import Doc
from ..store import Record, Store
from ..store.sqlite import _check_record_evidence
from .claims import superseded_ids

__all__ = ["reextract_documents"]

log = logging.getLogger(__name__)


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def reextract_documents(
    store: Store,
    doc_ids: Iterable[str] | None = None,
    extractor: Callable[[Document], Doc] | None = None,
) -> int:
    """Extract stored documents again; returns how many documents got new claims.

    A document whose extraction fails keeps its current claims (the error is logged).
    Run :func:`~fdiscope.resolve.resolve_store` afterwards.
    """
    if extractor is None:
        from ..extract import extract as extractor_default

        extractor = extractor_default
    ids = list(doc_ids) if doc_ids is not None else [d.id for d in store.iter_documents()]
    done = 0
    gone = {rtype: superseded_ids(store, rtype) for rtype in ("project", "trade", "event")}
    for doc_id in ids:
        document = store.get_document(doc_id)
        if document is None:
            log.warning("no document %s to re-extract", doc_id)
            continue
        try:
            doc = extractor(document)
            groups: tuple[tuple[str, Sequence[Record]], ...] = (
                ("project", doc.projects),
                ("trade", doc.trade),
                ("event", doc.events),
            )
            for rtype, group in groups:
                for i, rec in enumerate(group):
                    _check_record_evidence(document, rtype, i, rec)
        except Exception as exc:  # one bad document never stops the batch
            log.warning("re-extraction of %s failed, its claims stay: %s", doc_id, exc)
            continue
        now = _now()
        with store._transaction() as conn:
            for rtype, table in (("project", "projects"), ("trade", "trade"), ("event", "events")):
                old = [
                    int(r[0])
                    for r in conn.execute(f"SELECT id FROM {table} WHERE doc_id = ?", (doc_id,))
                    if int(r[0]) not in gone[rtype]
                ]
                gone[rtype].update(old)
                conn.executemany(
                    "INSERT INTO claim_supersessions(record_type, record_id, superseded_at, reason)"
                    " VALUES (?, ?, ?, ?)",
                    [(rtype, rid, now, "re-extracted") for rid in old],
                )
            for rtype, group in groups:
                for rec in group:
                    store._insert_record(conn, doc_id, rtype, rec)
        done += 1
    return done
