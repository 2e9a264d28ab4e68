"""What a batch reads: command-line paths, folders, URLs, URL lists and standard input.

:func:`expand_inputs` turns arguments into a flat list of :class:`Input` (folders walked, URL
lists read) without reading any content, so a caller knows the size of the batch up front.
:func:`read_inputs` then reads each one and yields, per input, an :class:`InputInfo` (format
and size, as sniffed) followed by its documents and errors::

    for item in read_inputs(expand_inputs(["corpus/", "https://example.org/feed.xml", "-"])):
        ...  # InputInfo | Document | IngestError | AlreadyStored

An argument is a URL when it starts with ``http://`` or ``https://``, standard input when it is
``-``, else a file or folder.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..model import Document
from .documents import AlreadyStored
from .errors import IngestError, TooLarge
from .fetch import DEFAULT_MAX_BYTES, fetch
from .readers import Item, Seen, files_under, read_bytes, read_fetched, read_file, sniff_format

__all__ = [
    "Input",
    "InputInfo",
    "STDIN",
    "is_url",
    "expand_inputs",
    "read_url_list",
    "read_inputs",
]

log = logging.getLogger(__name__)

#: The argument that means standard input.
STDIN = "-"
#: ``Input.source`` of standard input.
STDIN_SOURCE = "<stdin>"


@dataclass(frozen=True, slots=True)
class Input:
    """One thing to read.

    Attributes:
        kind: "file", "url" or "stdin".
        source: the path, the URL, or "<stdin>".
    """

    kind: str
    source: str


@dataclass(frozen=True, slots=True)
class InputInfo:
    """What an input turned out to be, yielded by :func:`read_inputs` before its documents.

    Attributes:
        source: as in :class:`Input`.
        kind: "file", "url" or "stdin".
        format: "html", "feed", "jsonl", "json" or "text" (:func:`sniff_format`), or None when
            nothing could be read (missing file, failed fetch).
        size: bytes (the file size, the HTTP body), or None when unknown.
    """

    source: str
    kind: str
    format: str | None
    size: int | None


def is_url(arg: str) -> bool:
    """True for http(s) URLs.

    >>> is_url("https://example.org/a"), is_url("HTTP://x"), is_url("folder/a.html")
    (True, True, False)
    """
    return arg.lower().startswith(("http://", "https://"))


def read_url_list(path: str | os.PathLike[str]) -> Iterator[str | IngestError]:
    """URLs from a text file, one a line; blank lines and ``#`` comments are skipped.

    A line that is not an http(s) URL yields an :class:`IngestError` ("FILE:LINE").
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        yield IngestError(f"cannot read the URL list: {exc.strerror or exc}", source=str(path))
        return
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if is_url(line):
            yield line
        else:
            yield IngestError(f"not an http(s) URL: {line[:100]!r}", source=str(path), line=lineno)


def expand_inputs(
    args: Iterable[str], *, url_lists: Iterable[str | os.PathLike[str]] = ()
) -> Iterator[Input | IngestError]:
    """The inputs named by ``args`` and the URL list files, in order, without reading content.

    Folders are walked recursively (sorted, hidden entries skipped); a missing path or an
    empty folder yields an :class:`IngestError`.
    """
    for arg in args:
        if arg == STDIN:
            yield Input("stdin", STDIN_SOURCE)
        elif is_url(arg):
            yield Input("url", arg)
        else:
            p = Path(arg)
            if p.is_dir():
                files = files_under(p)
                if not files:
                    yield IngestError("folder holds no files", source=str(p))
                yield from (Input("file", str(f)) for f in files)
            elif p.exists():
                yield Input("file", str(p))
            else:
                yield IngestError("no such file or folder", source=str(p))
    for lst in url_lists:
        for url in read_url_list(lst):
            yield url if isinstance(url, IngestError) else Input("url", url)


def _file_info(path: Path) -> InputInfo:
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return InputInfo(str(path), "file", None, None)
    return InputInfo(str(path), "file", sniff_format(head, name=str(path)) if head.strip() else None, size)


def _read_stdin(stream: IO[bytes], max_bytes: int, seen: Seen | None) -> Iterator[InputInfo | Item]:
    # JSON lines are limited per line, anything else as a whole: read one byte past the limit to know.
    head = stream.read(4096)
    fmt = sniff_format(head, name=STDIN_SOURCE) if head.strip() else None
    rest = stream.read() if fmt == "jsonl" else stream.read(max(0, max_bytes + 1 - len(head)))
    data = head + rest
    yield InputInfo(STDIN_SOURCE, "stdin", fmt, len(data))
    if fmt != "jsonl" and len(data) > max_bytes:
        yield TooLarge(f"standard input is over the limit of {max_bytes:,} bytes", source=STDIN_SOURCE)
        return
    yield from read_bytes(data, name=STDIN_SOURCE, max_bytes=max_bytes, seen=seen)


def read_inputs(
    inputs: Iterable[Input | IngestError],
    *,
    follow: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_follow: int = 100,
    seen: Seen | None = None,
    stdin: IO[bytes] | None = None,
    client: Any = None,
) -> Iterator[InputInfo | Document | IngestError | AlreadyStored]:
    """Read every input; each yields its :class:`InputInfo` first, then its items.

    Args:
        inputs: as made by :func:`expand_inputs` (errors in it are passed through).
        follow: fetch the pages that feed items link to (see :func:`~.readers.read_url`).
        max_bytes: the largest file, response or JSON line accepted.
        max_follow: pages followed per feed at most.
        seen: ``raw_sha256 -> bool``; already stored inputs are skipped before parsing.
        stdin: the binary stream read for ``-`` (default ``sys.stdin.buffer``).
        client: an ``httpx.Client``; one is made on the first URL and closed at the end when None.
    """
    own = client is None
    try:
        for inp in inputs:
            if isinstance(inp, IngestError):
                yield inp
            elif inp.kind == "file":
                path = Path(inp.source)
                yield _file_info(path)
                yield from read_file(path, max_bytes=max_bytes, seen=seen)
            elif inp.kind == "stdin":
                import sys

                yield from _read_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes, seen)
            else:
                if client is None:
                    from .fetch import make_client

                    client = make_client()
                try:
                    got = fetch(inp.source, client, max_bytes=max_bytes)
                except IngestError as exc:
                    yield InputInfo(inp.source, "url", None, None)
                    yield exc.at(inp.source)
                    continue
                fmt = sniff_format(got.data, name=got.url, content_type=got.content_type)
                yield InputInfo(inp.source, "url", fmt, len(got.data))
                yield from read_fetched(
                    got, client, follow=follow, max_bytes=max_bytes, max_follow=max_follow, seen=seen
                )
    finally:
        if own and client is not None:
            client.close()
