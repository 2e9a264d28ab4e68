"""Reading any source: bytes, files, folders and URLs, with the format sniffed.

Every reader yields ``Document | IngestError`` and never raises for bad input: one broken file,
line or feed item becomes one error in the stream and the rest is still read.

The format is decided by content first (an ``<rss>``/``<feed>`` root is a feed, ``<html>`` or
other tags is HTML, a leading ``{`` is JSON lines), then by the HTTP content type, then by the
file name, and plain text otherwise.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from ..model import Document
from .documents import AlreadyStored, plain_text_document, raw_hash
from .encoding import check_binary, decode
from .errors import EmptyInput, FetchError, IngestError, TooLarge, UnsupportedFormat
from .feeds import feed_documents, item_document, parse_feed
from .fetch import DEFAULT_MAX_BYTES, Fetched, fetch
from .html import extract_html
from .jsonl import read_jsonl_bytes, read_jsonl_file, record_document

__all__ = [
    "FORMATS",
    "JSONL_SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "sniff_format",
    "read_bytes",
    "read_path",
    "read_paths",
    "read_url",
    "read_fetched",
    "files_under",
    "read_file",
    "Item",
    "Seen",
]

log = logging.getLogger(__name__)

#: What readers yield: a document, an error, or (with ``seen``) an input skipped as already stored.
Item = Document | IngestError | AlreadyStored
#: ``raw_sha256 -> True`` when a document read from those raw bytes is already stored.
Seen = Callable[[str], bool]
#: Formats whose input makes exactly one document, so its raw hash identifies the document.
_SINGLE_DOCUMENT_FORMATS = frozenset({"html", "text"})

#: Formats :func:`sniff_format` can return.
FORMATS: tuple[str, ...] = ("feed", "html", "jsonl", "json", "text")

_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx"})
_FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf"})
#: File names read as JSON lines (streamed, the size limit applies to each line).
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_ARCHIVE_SUFFIXES = frozenset({".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".pdf"})
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)\b", re.I)
_HTML_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|p|div|article|h[1-6]|table|br)\b", re.I
)
_LEADING_JUNK = re.compile(rb"^(?:\s|<\?xml[^>]*>|<!--.*?-->)*", re.S)


def _head_bytes(data: bytes) -> bytes:
    """The first ~4 KB as ASCII-compatible bytes (UTF-16/32 with a BOM re-encoded)."""
    head = data[:4096]
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(enc, "ignore").encode("utf-8", "ignore")
    return head.removeprefix(codecs.BOM_UTF8)


def _suffix(name: str) -> str:
    path = urlsplit(name).path if "://" in name else name
    return PurePosixPath(path.replace("\\", "/")).suffix.lower()


def sniff_format(data: bytes, *, name: str = "", content_type: str | None = None) -> str:
    """The format of the input: "feed", "html", "jsonl", "json" or "text".

    >>> sniff_format(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>')
    'feed'
    >>> sniff_format(b"<!DOCTYPE html><html><body>x</body></html>")
    'html'
    >>> sniff_format(b'{"text": "x"}', name="dump.txt")
    'jsonl'
    >>> sniff_format(b"Plant opens", name="story.txt")
    'text'
    """
    head = _head_bytes(data)
    start = _LEADING_JUNK.sub(b"", head, count=1)[:1024]
    suffix = _suffix(name)
    ctype = (content_type or "").split(";")[0].strip().lower()
    if start.startswith(b"<"):
        if _FEED_ROOT.match(start) or (_FEED_ROOT.search(start) and not _HTML_START.search(start)):
            return "feed"
        if _HTML_START.search(start):
            return "html"
    if start.startswith((b"{", b"[")):
        if suffix == ".json" or start.startswith(b"["):
            return "json"
        return "jsonl"
    if "rss" in ctype or "atom" in ctype or ctype in ("application/xml", "text/xml", "application/rdf+xml"):
        return "feed" if start.startswith(b"<") else "text"
    if "html" in ctype:
        return "html"
    if "json" in ctype:
        return "jsonl"
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix in _FEED_SUFFIXES and start.startswith(b"<"):
        return "feed"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return "text"


def _json_documents(data: bytes, source: str) -> Iterator[Document | IngestError]:
    try:
        obj = json.loads(decode(data).text)
    except json.JSONDecodeError as exc:
        yield IngestError(f"invalid JSON ({exc.msg} at line {exc.lineno})", source=source)
        return
    records = obj if isinstance(obj, list) else [obj]
    for i, rec in enumerate(records, start=1):
        where = f"{source}#{i}" if isinstance(obj, list) else source
        try:
            yield record_document(rec, source=where)
        except IngestError as exc:
            yield exc.at(where)


def _read(
    data: bytes,
    fmt: str,
    source: str,
    content_type: str | None,
    url: str | None,
    max_bytes: int,
    seen: Seen | None = None,
) -> Iterator[Item]:
    if fmt == "jsonl":
        yield from read_jsonl_bytes(data, source=source, max_bytes=max_bytes, seen=seen)
        return
    if len(data) > max_bytes:
        raise TooLarge(f"{len(data):,} bytes is over the limit of {max_bytes:,}")
    if fmt == "json":
        yield from _json_documents(data, source)
    elif fmt == "feed":
        if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
            check_binary(data)
        yield from feed_documents(data, url=url, source=source, content_type=content_type)
    elif fmt == "html":
        yield extract_html(decode(data, content_type=content_type).text, url=url, source=source)
    else:
        yield plain_text_document(decode(data, content_type=content_type).text, source=source, url=url)


def read_bytes(
    data: bytes,
    *,
    name: str,
    content_type: str | None = None,
    url: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    seen: Seen | None = None,
) -> Iterator[Item]:
    """Documents from the bytes of one file or response, whatever its format.

    Args:
        data: the raw bytes.
        name: a file name or URL, used for sniffing by suffix and as the default ``source``.
        content_type: the HTTP Content-Type header, if any.
        url: the URL the bytes came from (resolves feed links, fills ``Document.url``).
        max_bytes: the largest input accepted (for JSON lines: the largest line).
        seen: ``raw_sha256 -> bool``; a page or text whose raw bytes are already stored yields
            :class:`AlreadyStored` instead of being parsed (JSON lines are checked one by one).

    Yields:
        A :class:`Document` per article (``raw_sha256`` set to the hash of ``data``, or of its
        line for JSON lines) and an :class:`IngestError` per unreadable item.
    """
    source = url or name
    try:
        if not data.strip():
            raise EmptyInput("empty input (no bytes or only blank space)")
        fmt = sniff_format(data, name=name, content_type=content_type)
        log.debug("%s: read as %s", source, fmt)
        digest = raw_hash(data) if fmt != "jsonl" else None
        if digest and seen is not None and fmt in _SINGLE_DOCUMENT_FORMATS and seen(digest):
            yield AlreadyStored(source, digest)
            return
        for item in _read(data, fmt, source, content_type, url, max_bytes, seen):
            if digest and isinstance(item, Document):
                item.raw_sha256 = digest
            yield item
    except IngestError as exc:
        yield exc.at(source)
    except Exception as exc:  # a parser bug on odd input must not stop the batch
        log.exception("unexpected error reading %s", source)
        yield IngestError(f"unexpected error ({type(exc).__name__}: {exc})", source=source)


def _files_under(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root) / f for f in sorted(files) if not f.startswith("."))
    return found


def _read_file(path: Path, max_bytes: int, seen: Seen | None = None) -> Iterator[Item]:
    source = str(path)
    suffix = path.suffix.lower()
    if suffix in _ARCHIVE_SUFFIXES:
        yield UnsupportedFormat(f"{suffix} files are not read; unpack or convert them first", source=source)
        return
    if suffix in JSONL_SUFFIXES:  # streamed: only each line must fit the limit
        yield from read_jsonl_file(path, max_bytes=max_bytes, seen=seen)
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:  # decided before reading a byte
            yield TooLarge(f"file of {size:,} bytes is over the limit of {max_bytes:,}", source=source)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield IngestError(f"cannot read: {exc.strerror or exc}", source=source)
        return
    yield from read_bytes(data, name=source, max_bytes=max_bytes, seen=seen)


def read_file(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES, seen: Seen | None = None
) -> Iterator[Item]:
    """Documents from one file (a folder is not walked; see :func:`read_path`)."""
    yield from _read_file(Path(path), max_bytes, seen)


def files_under(folder: str | os.PathLike[str]) -> list[Path]:
    """Files under a folder, recursively, sorted, hidden files and folders skipped."""
    return _files_under(Path(folder))


def read_path(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES, seen: Seen | None = None
) -> Iterator[Item]:
    """Documents from a file, or from every file under a folder (recursively, sorted, hidden skipped).

    Files over ``max_bytes`` are refused from their size alone; JSON-lines files are streamed
    and the limit applies to each line; archives and PDFs are refused as unsupported.
    """
    p = Path(path)
    if p.is_dir():
        files = _files_under(p)
        if not files:
            yield EmptyInput("folder holds no files", source=str(p))
        for file in files:
            yield from _read_file(file, max_bytes, seen)
    elif p.exists():
        yield from _read_file(p, max_bytes, seen)
    else:
        yield IngestError("no such file or folder", source=str(p))


def read_paths(
    paths: Iterable[str | os.PathLike[str]], *, max_bytes: int = DEFAULT_MAX_BYTES, seen: Seen | None = None
) -> Iterator[Item]:
    """:func:`read_path` over several paths, in the order given."""
    for path in paths:
        yield from read_path(path, max_bytes=max_bytes, seen=seen)


def read_url(
    url: str,
    client: Any = None,
    *,
    follow: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_follow: int = 100,
    seen: Seen | None = None,
) -> Iterator[Item]:
    """Documents from a URL: a page, a feed, a JSON-lines dump or plain text.

    Args:
        url: an http(s) URL.
        client: an ``httpx.Client`` (see :func:`~fdiscope.ingest.fetch.make_client`); one is
            made and closed for the call when None.
        follow: for a feed, fetch each item's linked page and extract the article from it (the
            page's own title and date win; the item's are the fallback).  A page that cannot be
            fetched yields its error followed by the document made from the item's summary.
        max_bytes: the largest response accepted (each followed page too).
        max_follow: at most this many item pages are fetched; later items keep their summary.
        seen: see :func:`read_bytes`; followed pages are checked too.
    """
    from .fetch import make_client

    own = client is None
    client = client or make_client()
    try:
        try:
            got = fetch(url, client, max_bytes=max_bytes)
        except IngestError as exc:
            yield exc.at(url)
            return
        yield from read_fetched(
            got, client, follow=follow, max_bytes=max_bytes, max_follow=max_follow, seen=seen
        )
    finally:
        if own:
            client.close()


def read_fetched(
    got: Fetched,
    client: Any,
    *,
    follow: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_follow: int = 100,
    seen: Seen | None = None,
) -> Iterator[Item]:
    """Documents from an HTTP response already fetched (see :func:`read_url` for the arguments)."""
    fmt = sniff_format(got.data, name=got.url, content_type=got.content_type)
    if fmt != "feed" or not follow:
        yield from read_bytes(
            got.data,
            name=got.url,
            content_type=got.content_type,
            url=got.url,
            max_bytes=max_bytes,
            seen=seen,
        )
        return
    for item in _follow_feed(got.data, got.url, got.content_type, client, max_bytes, max_follow, seen):
        if isinstance(item, Document) and item.raw_sha256 is None:
            item.raw_sha256 = raw_hash(got.data)  # a feed item's summary: the feed is its raw input
        yield item


def _follow_feed(
    data: bytes,
    url: str,
    content_type: str | None,
    client: Any,
    max_bytes: int,
    max_follow: int,
    seen: Seen | None = None,
) -> Iterator[Item]:
    try:
        items = parse_feed(data, url=url, content_type=content_type)
    except IngestError as exc:
        yield exc.at(url)
        return
    for n, item in enumerate(items):
        if item.link and n < max_follow:
            try:
                page = fetch(item.link, client, max_bytes=max_bytes)
                if sniff_format(page.data, name=page.url, content_type=page.content_type) != "html":
                    raise FetchError(
                        f"linked page is not HTML ({page.content_type or 'no content type'})",
                        source=item.link,
                    )
                digest = raw_hash(page.data)
                if seen is not None and seen(digest):
                    yield AlreadyStored(page.url, digest)
                    continue
                text = decode(page.data, content_type=page.content_type).text
                doc = extract_html(
                    text, url=page.url, source=page.url, title=item.title, published=item.published
                )
                doc.raw_sha256 = digest
                yield doc
                continue
            except IngestError as exc:
                yield exc.at(item.link)
            except Exception as exc:  # a parser bug on one page must not stop the feed
                log.exception("unexpected error reading %s", item.link)
                yield IngestError(f"unexpected error ({type(exc).__name__}: {exc})", source=item.link)
        try:
            yield item_document(item, source=url)
        except IngestError as exc:
            yield exc.at(f"{url}#{item.index}")
