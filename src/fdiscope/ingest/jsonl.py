"""JSON-lines dumps to documents, one line at a time, never stopping on a bad line.

Two record shapes are read:

* schema v1.1 documents: ``{"doc_id", "text", "published", "language", "url", "title"}``;
* generic records: ``{"text" | "html", "url", "title", "published"}`` (``"content"`` and
  ``"body"`` are read as ``"text"``); ``"html"`` goes through the HTML extractor.

Every line yields a :class:`Document` or an :class:`IngestError` carrying the line number.
Files are streamed: a dump may be large, only each line must stay under the size limit.
"""

from __future__ import annotations

import codecs
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..model import Document
from .documents import AlreadyStored, build_document, iso_date, raw_hash
from .encoding import decode
from .errors import EmptyInput, IngestError, MalformedRecord, TooLarge
from .html import extract_html

__all__ = ["record_document", "jsonl_documents", "read_jsonl_bytes", "read_jsonl_file", "TEXT_KEYS"]

log = logging.getLogger(__name__)

#: Keys read as the document text, in order of preference.
TEXT_KEYS: tuple[str, ...] = ("text", "content", "body")
_META_KEYS = ("title", "url", "published", "language")


def record_document(obj: Any, *, source: str | None = None) -> Document:
    """A document from one decoded JSON record (either shape).

    Raises:
        MalformedRecord: not an object, no usable text, or metadata of the wrong type.
        EmptyInput: the HTML of an ``"html"`` record holds no text.
    """
    if not isinstance(obj, dict):
        raise MalformedRecord(f"expected a JSON object, got {type(obj).__name__}")
    meta: dict[str, str | None] = {}
    for key in _META_KEYS:
        val = obj.get(key)
        if val is not None and not isinstance(val, str):
            raise MalformedRecord(f'"{key}" must be a string or null, got {type(val).__name__}')
        meta[key] = val.strip() or None if isinstance(val, str) else None
    if meta["published"] and iso_date(meta["published"]) is None:
        log.warning("%s: published %r is not a date; ignored", source, meta["published"])
        meta["published"] = None
    doc_id = obj.get("doc_id", obj.get("id"))
    # The document id is the content hash; the producer's id stays visible in ``source``.
    if isinstance(doc_id, str | int) and not isinstance(doc_id, bool) and str(doc_id) and source:
        source = f"{source}#{doc_id}"
    text = next((obj[k] for k in TEXT_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), None)
    if text is not None:
        return build_document(text, source=source, **meta)
    markup = obj.get("html")
    if isinstance(markup, str) and markup.strip():
        doc = extract_html(markup, **meta, source=source)
        # metadata given in the record wins over what the page says
        doc.published = iso_date(meta["published"]) or doc.published
        doc.title = meta["title"] or doc.title
        return doc
    present = [k for k in (*TEXT_KEYS, "html") if k in obj]
    if present:
        raise MalformedRecord(f'"{present[0]}" is empty or not a string')
    raise MalformedRecord('no "text" or "html" field')


def _line_document(
    raw: bytes, source: str | None, lineno: int, seen: Callable[[str], bool] | None = None
) -> Document | IngestError | AlreadyStored | None:
    if not raw.strip():
        return None
    digest = raw_hash(raw)
    if seen is not None and seen(digest):
        return AlreadyStored(f"{source}:{lineno}" if source else f"line {lineno}", digest)
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            line = decode(raw).text  # JSON ought to be UTF-8, but legacy dumps exist
        except IngestError as exc:
            return exc.at(source, lineno)
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return MalformedRecord(f"invalid JSON ({exc.msg} at column {exc.colno})", source=source, line=lineno)
    try:
        doc = record_document(obj, source=f"{source}:{lineno}" if source else None)
    except IngestError as exc:
        return exc.at(source, lineno)
    doc.raw_sha256 = digest
    return doc


def jsonl_documents(
    lines: Iterable[bytes | IngestError],
    *,
    source: str | None = None,
    seen: Callable[[str], bool] | None = None,
) -> Iterator[Document | IngestError | AlreadyStored]:
    """Documents from JSON lines (numbered from 1); blank lines are skipped.

    ``lines`` may contain errors in place of lines (e.g. a line over the size limit); they are
    passed through with their line number filled in.  Each document's ``raw_sha256`` is the
    hash of its line; with ``seen``, a line whose hash is already stored yields
    :class:`AlreadyStored` without being parsed.  Input with no record at all (no lines, or
    only blank ones) yields one :class:`EmptyInput`, as an empty file of any other format does.
    """
    empty = True
    for lineno, raw in enumerate(lines, start=1):
        if isinstance(raw, IngestError):
            empty = False
            yield raw.at(source, lineno)
            continue
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        item = _line_document(raw, source, lineno, seen)
        if item is not None:
            empty = False
            yield item
    if empty:
        yield EmptyInput("empty input (no bytes or only blank space)", source=source)


def _limited_lines(data: bytes, max_bytes: int) -> Iterator[bytes | IngestError]:
    for raw in data.split(b"\n"):
        if len(raw) > max_bytes:
            yield TooLarge(f"line of {len(raw):,} bytes is over the limit of {max_bytes:,}")
        else:
            yield raw


def read_jsonl_bytes(
    data: bytes,
    *,
    source: str | None = None,
    max_bytes: int = 20_000_000,
    seen: Callable[[str], bool] | None = None,
) -> Iterator[Document | IngestError | AlreadyStored]:
    """Documents from JSON-lines bytes; each line must be at most ``max_bytes``."""
    yield from jsonl_documents(_limited_lines(data, max_bytes), source=source, seen=seen)


def _stream_lines(fh: IO[bytes], max_bytes: int) -> Iterator[bytes | IngestError]:
    while True:
        raw = fh.readline(max_bytes + 1)
        if not raw:
            return
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            size = len(raw)
            while raw and not raw.endswith(b"\n"):  # skip the rest of the oversized line
                raw = fh.readline(1 << 20)
                size += len(raw)
            yield TooLarge(f"line of {size:,} bytes is over the limit of {max_bytes:,}")
            continue
        yield raw.rstrip(b"\r\n")


def read_jsonl_file(
    path: str | Path, *, max_bytes: int = 20_000_000, seen: Callable[[str], bool] | None = None
) -> Iterator[Document | IngestError | AlreadyStored]:
    """Documents from a JSON-lines file, streamed; each line must be at most ``max_bytes``."""
    source = str(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed in finally; the generator may be abandoned
    except OSError as exc:
        yield IngestError(f"cannot read: {exc.strerror or exc}", source=source)
        return
    with fh:
        yield from jsonl_documents(_stream_lines(fh, max_bytes), source=source, seen=seen)
