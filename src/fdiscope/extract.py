"""Public extraction API: a :class:`~fdiscope.model.Document` in, records with evidence out."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from .model import Document
from .pipeline import Doc, Pipeline, parse_published

__all__ = ["extract", "extract_many", "to_prediction", "get_pipeline", "SCHEMA_VERSION"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1.1"


@lru_cache(maxsize=8)
def get_pipeline(lang: str) -> Pipeline:
    """The default pipeline for a language (built once, then cached)."""
    from .components import default_components

    return Pipeline(default_components(lang))


def _precision(published: str | None) -> str | None:
    if not published:
        return None
    return {4: "year", 7: "month"}.get(len(published[:10]), "day")


def extract(document: Document) -> Doc:
    """Run the default pipeline of the document's language over it."""
    lang = (document.language or "en").lower()[:2]
    doc = Doc(
        document=document,
        lang=lang,
        base_date=parse_published(document.published),
        base_precision=_precision(document.published),
    )
    return get_pipeline(lang)(doc)


def extract_many(documents: Iterable[Document]) -> Iterator[Doc]:
    for document in documents:
        yield extract(document)


def to_prediction(doc: Doc) -> dict[str, Any]:
    """The schema-v1.1 JSON object for one document (plus a ``provenance`` map per record)."""
    d = doc.document
    return {
        "doc_id": d.id,
        "url": d.url,
        "language": doc.lang,
        "published": d.published,
        "projects": [r.to_dict() for r in doc.projects],
        "trade": [r.to_dict() for r in doc.trade],
        "events": [r.to_dict() for r in doc.events],
    }
