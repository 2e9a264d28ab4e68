"""How many documents, and how many independent sources, back a project.

A wire story copied onto many sites is one source.  When the store's documents carry a
``duplicate_of`` link (set at ingest), copies are grouped by it.  Documents without that
link are checked here with the ingest near-duplicate index (MinHash of word shingles), so a
store ingested before the link existed still counts copies once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..ingest.dedupe import NearDuplicateIndex
from ..store import Store
from .claims import DocMeta

__all__ = ["SourceCount", "count_sources"]


@dataclass(frozen=True, slots=True)
class SourceCount:
    documents: int
    independent: int
    #: independent source (its first document) -> the documents that copy it
    groups: dict[str, list[str]] = field(default_factory=dict)
    method: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "independent": self.independent,
            "groups": self.groups,
            "method": self.method,
        }


def _root(doc_id: str, docs: dict[str, DocMeta]) -> str:
    seen = {doc_id}
    while True:
        meta = docs.get(doc_id)
        nxt = meta.duplicate_of if meta else None
        if not nxt or nxt in seen:
            return doc_id
        seen.add(nxt)
        doc_id = nxt


def count_sources(store: Store, doc_ids: Iterable[str], docs: dict[str, DocMeta]) -> SourceCount:
    """Documents and independent sources among ``doc_ids``.

    Copies are found by the ``duplicate_of`` link where ingest set one; the rest are compared
    with each other by near-duplicate detection (earliest published first, so the original is
    the group's head).
    """
    ids = sorted(set(doc_ids), key=lambda d: ((docs[d].published or "") if d in docs else "", d))
    linked = any(docs.get(d) is not None and docs[d].duplicate_of for d in ids)
    roots = {d: _root(d, docs) for d in ids}
    index = NearDuplicateIndex()
    for d in ids:
        if roots[d] != d:
            continue  # already known to be a copy
        document = store.get_document(d)
        if document is None:
            continue
        first = index.add(d, document.text)
        if first is not None and first != d:
            roots[d] = roots.get(first, first)
    groups: dict[str, list[str]] = {}
    for d in ids:
        groups.setdefault(roots[d], []).append(d)
    method = "duplicate_of links and near-duplicate text" if linked else "near-duplicate text"
    return SourceCount(len(ids), len(groups), groups, method)
