"""Compatibility names for the first reader stack; the one implementation is :mod:`fdiscope.ingest`.

This module holds no reading logic of its own.  It keeps the names earlier code and scripts
import, each delegating to ingest, so a document read through it is the document
``fdiscope ingest`` makes from the same input (same text, content id, title, date, language):

=======================  ==================================================================
name here                ingest
=======================  ==================================================================
``read_paths``           :func:`fdiscope.ingest.read_paths` (any file in a folder, sniffed)
``read_text_file``       :func:`fdiscope.ingest.read_file`, for a file that makes one document
``read_jsonl``           :func:`fdiscope.ingest.read_jsonl_file`
``document_from_text``   :func:`fdiscope.ingest.plain_text_document`
``decode_bytes``         :func:`fdiscope.ingest.decode` (declared charsets, cp1251, koi8-r, ...)
``guess_language``       :func:`fdiscope.ingest.detect_language` ("en", "ru", other or "und")
=======================  ==================================================================

The differences from ingest are in the form only: readers here yield :class:`SourceError`
values instead of :class:`~fdiscope.ingest.IngestError` exceptions, and functions here raise
``ValueError`` where ingest raises an ``IngestError``.  New code should use
:mod:`fdiscope.ingest` directly.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .ingest import (
    IngestError,
    decode,
    detect_language,
    plain_text_document,
    read_file,
    read_jsonl_file,
)
from .ingest import read_paths as _ingest_read_paths
from .ingest.readers import JSONL_SUFFIXES, Item
from .model import Document

__all__ = [
    "SourceError",
    "TEXT_SUFFIXES",
    "JSONL_SUFFIXES",
    "decode_bytes",
    "read_paths",
    "read_text_file",
    "read_jsonl",
    "document_from_text",
    "guess_language",
]

#: Kept for compatibility.  Ingest reads every file and decides its format from the content
#: (HTML, feed, JSON lines, else plain text); these suffixes are simply the plain-text ones.
TEXT_SUFFIXES = frozenset({".txt"})


@dataclass(frozen=True, slots=True)
class SourceError:
    """An item that could not be read: ``source`` is "FILE" or "FILE:LINE"."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"

    @classmethod
    def of(cls, error: IngestError) -> SourceError:
        """The same error as ingest reports it (source and line, reason)."""
        return cls(error.where or "?", error.reason)


def _items(items: Iterable[Item]) -> Iterator[Document | SourceError]:
    for item in items:
        if isinstance(item, IngestError):
            yield SourceError.of(item)
        elif isinstance(item, Document):
            yield item
        # AlreadyStored markers come only with a ``seen`` callback, which is never passed here


def decode_bytes(data: bytes) -> str:
    """Text from file bytes, as :func:`fdiscope.ingest.decode` decodes them.

    >>> decode_bytes("Калуга".encode("cp1251")), decode_bytes("Калуга".encode("koi8_r"))
    ('Калуга', 'Калуга')

    Raises:
        ValueError: the bytes are empty, binary, an archive or in no plausible encoding.
    """
    try:
        return decode(data).text
    except IngestError as exc:
        raise ValueError(exc.reason) from exc


def guess_language(text: str) -> str:
    """The language code :func:`fdiscope.ingest.detect_language` gives ("en", "ru", another, "und").

    >>> guess_language("Инвестиции в Калугу"), guess_language("The plant will open in May.")
    ('ru', 'en')
    """
    return detect_language(text)


def document_from_text(
    text: str,
    source: str | None = None,
    *,
    title: str | None = None,
    url: str | None = None,
    published: Any = None,
    language: str | None = None,
) -> Document:
    """A document from plain text (:func:`fdiscope.ingest.plain_text_document`).

    A leading date line becomes ``published`` and a short first line the title, unless given.

    >>> d = document_from_text("2024-03-14\\nPlant opens\\n\\nA plant opened today.")
    >>> d.published, d.title, d.language
    ('2024-03-14', 'Plant opens', 'en')

    Raises:
        ValueError: the text is empty.
    """
    try:
        return plain_text_document(
            text, source=source, url=url, title=title, published=published, language=language
        )
    except IngestError as exc:
        raise ValueError(exc.reason) from exc


def read_text_file(path: str | os.PathLike[str]) -> Document:
    """The one document a file makes, read as ``fdiscope ingest`` reads it.

    Raises:
        ValueError: the file cannot be read or makes no document (empty, binary, undecodable),
            or it holds several (JSON lines: use :func:`read_paths`); the message says which.
    """
    items = list(_items(read_file(path)))
    if len(items) != 1:
        raise ValueError(f"makes {len(items)} documents or errors, not one document; use read_paths")
    if isinstance(items[0], SourceError):
        raise ValueError(items[0].reason)
    return items[0]


def read_jsonl(path: str | os.PathLike[str]) -> Iterator[Document | SourceError]:
    """Documents from a JSON-lines file; each bad line yields a :class:`SourceError` "FILE:LINE"."""
    yield from _items(read_jsonl_file(os.fspath(path)))


def read_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Document | SourceError]:
    """Documents from files and folders, in a stable order; errors are yielded, not raised.

    A folder is read recursively (hidden entries skipped), every file in it; see
    :func:`fdiscope.ingest.read_path`.
    """
    yield from _items(_ingest_read_paths(paths))
