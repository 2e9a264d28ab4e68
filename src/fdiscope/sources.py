"""Read documents from paths: ``.txt`` files, folders (recursively) and ``.jsonl`` files.

Reading never stops at a bad item: :func:`read_paths` yields a :class:`Document` for every
readable article and a :class:`SourceError` for every file or line it cannot use (empty,
binary, undecodable, malformed JSON), so the caller decides how to report and record it.

Text files: bytes are decoded as UTF-8 (a UTF-8 or UTF-16 byte-order mark is honoured), then
cp1251 as the fallback for legacy Russian files.  Line ends become ``\\n`` and outer blank space
is stripped before the content id is computed, so the same article saved twice is one document.
A leading date line ("2024-03-14", "14.03.2024 - 11:16") becomes ``published``; the first line
after it becomes the title when it is short.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt"})
JSONL_SUFFIXES = frozenset({".jsonl"})
#: A first line longer than this is body text, not a title.
MAX_TITLE_CHARS = 150

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_DMY_DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})(?:\s*[-–,]?\s*\d{1,2}:\d{2})?$")
_PARTIAL_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True, slots=True)
class SourceError:
    """An item that could not be read: ``source`` is "FILE" or "FILE:LINE"."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class _Unreadable(ValueError):
    """Internal: the bytes are not text."""


def decode_bytes(data: bytes) -> str:
    """Decode file bytes: BOM-marked UTF-8/UTF-16, else UTF-8, else cp1251.

    >>> decode_bytes("Калуга".encode("cp1251"))
    'Калуга'
    >>> decode_bytes(codecs.BOM_UTF8 + "ok".encode())
    'ok'

    Raises:
        ValueError: the bytes look binary (NUL bytes or many control characters).
    """
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _Unreadable(f"has a UTF-16 byte-order mark but is not UTF-16 ({exc.reason})") from exc
    else:
        if b"\x00" in data:
            raise _Unreadable("binary file (contains NUL bytes); only text files are read")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1251")
            except UnicodeDecodeError as exc:
                raise _Unreadable("not text in UTF-8, UTF-16 or cp1251; convert it to UTF-8") from exc
            log.debug("decoded as cp1251")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if text and controls / len(text) > 0.01:
        raise _Unreadable(f"binary file ({controls} control characters); only text files are read")
    return text


def guess_language(text: str) -> str:
    """ "ru" when Cyrillic letters outnumber Latin ones, else "en".

    >>> guess_language("Инвестиции в Калугу"), guess_language("Kaluga plant")
    ('ru', 'en')
    """
    return "ru" if len(_CYRILLIC.findall(text)) > len(_LATIN.findall(text)) else "en"


def _leading_date(line: str) -> str | None:
    line = line.strip()
    if m := _ISO_DATE.match(line):
        return f"{m[1]}-{m[2]}-{m[3]}"
    if m := _DMY_DATE.match(line):
        return f"{m[3]}-{m[2]}-{m[1]}"
    return None


def document_from_text(text: str, source: str | None = None, **meta: Any) -> Document:
    """A document from plain text; the date line and title are read unless given in ``meta``.

    >>> d = document_from_text("2024-03-14\\nPlant opens\\n\\nA plant opened today.")
    >>> d.published, d.title, d.language
    ('2024-03-14', 'Plant opens', 'en')

    Raises:
        ValueError: the text is empty.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValueError("empty text")
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    published = _leading_date(lines[0])
    if published:
        lines = lines[1:]
    title = None
    if len(lines) > 1 and len(lines[0]) <= MAX_TITLE_CHARS:
        title = lines[0]
    fields: dict[str, Any] = {
        "title": title,
        "published": published,
        "language": guess_language(text),
        "source": source,
    }
    fields.update({k: v for k, v in meta.items() if v is not None})
    return Document(text=text, **fields)


def read_text_file(path: Path) -> Document:
    """One document from a text file.

    Raises:
        ValueError: the file is empty, binary or not decodable; the message says which.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise ValueError("empty file")
    text = decode_bytes(data)
    try:
        return document_from_text(text, source=str(path))
    except ValueError as exc:
        raise ValueError("empty file (only blank space)") from exc


def _jsonl_document(obj: Any, source: str) -> Document:
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError('missing or empty "text"')
    meta: dict[str, Any] = {}
    for key in ("title", "url", "published", "language"):
        val = obj.get(key)
        if val is not None and not isinstance(val, str):
            raise ValueError(f'"{key}" must be a string or null, got {type(val).__name__}')
        meta[key] = val or None
    if meta["published"] and not _PARTIAL_ISO.match(meta["published"]):
        log.warning("%s: published %r is not an ISO date; ignored", source, meta["published"])
        meta["published"] = None
    doc_id = obj.get("doc_id")
    # The document id is the content hash; the producer's id stays visible in ``source``.
    tagged = f"{source}#{doc_id}" if isinstance(doc_id, str | int) and str(doc_id) else source
    # Metadata given in the record wins over what would be guessed from the text.
    return document_from_text(text, source=tagged, **meta)


def read_jsonl(path: Path) -> Iterator[Document | SourceError]:
    """Documents from a JSON-lines file of ``{doc_id, text, published, language, url, title}``.

    Blank lines are skipped; every malformed line yields a :class:`SourceError` "FILE:LINE".
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield SourceError(str(path), f"cannot read: {exc.strerror or exc}")
        return
    try:
        content = decode_bytes(data)
    except ValueError as exc:
        yield SourceError(str(path), str(exc))
        return
    if not content.strip():
        yield SourceError(str(path), "empty file")
        return
    for lineno, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield SourceError(source, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        try:
            yield _jsonl_document(obj, source)
        except ValueError as exc:
            yield SourceError(source, str(exc))


def _files_under(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            if path.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES:
                found.append(path)
            else:
                log.debug("not a .txt or .jsonl file, ignored: %s", path)
    return found


def read_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Document | SourceError]:
    """Documents from files and folders, in a stable order; errors are yielded, not raised.

    A folder is read recursively for ``.txt`` and ``.jsonl`` files (hidden entries skipped);
    a file named explicitly is read as JSON lines if it ends in ``.jsonl``, else as text.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = _files_under(path)
            if not files:
                log.warning("no .txt or .jsonl files under %s", path)
        elif path.exists():
            files = [path]
        else:
            yield SourceError(str(path), "no such file or folder")
            continue
        for file in files:
            if file.suffix.lower() in JSONL_SUFFIXES:
                yield from read_jsonl(file)
                continue
            try:
                yield read_text_file(file)
            except ValueError as exc:
                yield SourceError(str(file), str(exc))
