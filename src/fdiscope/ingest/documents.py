"""Building :class:`~fdiscope.model.Document` objects: text clean-up, dates, titles, language.

Every route to a document (a file, a JSON line, a page, text posted to the API, the
compatibility module :mod:`fdiscope.sources`) normalises text here (line ends to ``\\n``, outer
blank space stripped), so the same article read by any route gets the same content id.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
import time
from dataclasses import dataclass
from typing import Any

from ..model import Document
from .errors import EmptyInput
from .lang import detect_language

__all__ = [
    "normalise_text",
    "iso_date",
    "compose_text",
    "build_document",
    "plain_text_document",
    "raw_hash",
    "AlreadyStored",
    "MAX_TITLE_CHARS",
]

#: A first line longer than this is body text, not a title.
MAX_TITLE_CHARS = 150

_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?=$|[T\s])")
_DMY = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_DATE_LINE = re.compile(
    r"^\s*(?:\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\d{2}\.\d{2}\.\d{4}(?:\s*[-–,]?\s*\d{1,2}:\d{2})?)\s*$"
)
_SPACES = re.compile(r"\s+")


def raw_hash(data: bytes) -> str:
    """Hex sha256 of raw input bytes (kept as ``Document.raw_sha256``).

    >>> raw_hash(b"abc")[:12]
    'ba7816bf8f01'
    """
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class AlreadyStored:
    """An input skipped before parsing because a document read from the same raw bytes is stored.

    Readers yield it only when given a ``seen`` callback (``raw_sha256 -> bool``) and only for
    inputs that make exactly one document (a page, a text file, a JSON line), so a re-run of an
    interrupted batch does not pay for HTML extraction again.
    """

    source: str
    raw_sha256: str


def normalise_text(text: str) -> str:
    """Line ends to ``\\n``, outer blank space stripped.

    >>> normalise_text("  a\\r\\nb\\r ")
    'a\\nb'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _valid(y: int, m: int | None, d: int | None) -> bool:
    try:
        dt.date(y, m or 1, d or 1)
    except ValueError:
        return False
    return 1000 <= y <= 2999


def iso_date(value: Any) -> str | None:
    """An ISO date (date part only, possibly partial) from common date representations.

    Accepts ISO strings ("2023-04-05T10:00:00Z", "2023-04", "2023"), "05.04.2023",
    RFC 2822 ("Wed, 05 Apr 2023 10:00:00 GMT"), ``datetime``/``date`` and ``time.struct_time``.
    Returns None for anything else.

    >>> iso_date("2023-04-05T10:00:00+03:00"), iso_date("2023-4"), iso_date("05.04.2023")
    ('2023-04-05', '2023-04', '2023-04-05')
    >>> iso_date("Wed, 05 Apr 2023 10:00:00 GMT"), iso_date("soon")
    ('2023-04-05', None)
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time.struct_time):
        if _valid(value.tm_year, value.tm_mon, value.tm_mday):
            return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
        return None
    if not isinstance(value, str) or not value.strip():
        return None
    if m := _ISO.match(value):
        y, mo, d = int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None
        if not _valid(y, mo, d):
            return None
        return f"{y:04d}" + (f"-{mo:02d}" if mo else "") + (f"-{d:02d}" if d else "")
    if m := _DMY.match(value):
        y, mo, d = int(m[3]), int(m[2]), int(m[1])
        return f"{y:04d}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.strftime("%Y-%m-%d") if parsed and _valid(parsed.year, None, None) else None


def compose_text(title: str | None, body: str) -> str:
    """The document text: the title as its first paragraph unless the body already starts with it.

    Titles carry facts ("X to invest $1bn in Y"), so they belong in the text evidence points at.

    >>> compose_text("Plant opens", "Plant opens\\nA plant opened.")
    'Plant opens\\nA plant opened.'
    >>> compose_text("Plant opens", "A plant opened.")
    'Plant opens\\n\\nA plant opened.'
    """
    body = normalise_text(body)
    if not title or not title.strip():
        return body
    title = _SPACES.sub(" ", title).strip()
    if _SPACES.sub(" ", body[: len(title) + 20]).startswith(title):
        return body
    return f"{title}\n\n{body}" if body else title


def build_document(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: Any = None,
    language: str | None = None,
    source: str | None = None,
    sitename: str | None = None,
) -> Document:
    """A document with normalised text, ISO ``published`` and ``language`` detected when not given.

    Raises:
        EmptyInput: the text is empty after normalisation.
    """
    text = normalise_text(text)
    if not text:
        raise EmptyInput("no text (empty after extraction)")
    title = _SPACES.sub(" ", title).strip() or None if title else None
    lang = language.strip().lower() if language and language.strip() else detect_language(text)
    return Document(
        text=text,
        title=title,
        url=url or None,
        published=iso_date(published),
        language=lang,
        source=source,
        sitename=_SPACES.sub(" ", sitename).strip() or None if sitename else None,
    )


def plain_text_document(
    text: str,
    *,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    published: Any = None,
    language: str | None = None,
) -> Document:
    """A document from plain text: a leading date line becomes ``published``, a short first line the title.

    ``title``, ``published`` and ``language``, when given (e.g. with text posted to the API),
    win over what is read from the text; a leading date line is never taken as the title.

    >>> d = plain_text_document("14.03.2024\\nPlant opens\\n\\nA plant opened today.")
    >>> d.published, d.title, d.text.startswith("14.03.2024")
    ('2024-03-14', 'Plant opens', True)
    >>> plain_text_document("14.03.2024\\nPlant opens\\n\\nA plant opened.", published="2024-03").published
    '2024-03'

    Raises:
        EmptyInput: the text is empty.
    """
    text = normalise_text(text)
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not lines:
        raise EmptyInput("empty text (only blank space)")
    dated = iso_date(lines[0]) if _DATE_LINE.match(lines[0]) else None
    if dated:
        lines = lines[1:]
    first = lines[0] if len(lines) > 1 and len(lines[0]) <= MAX_TITLE_CHARS else None
    return build_document(
        text,
        title=title or first,
        url=url,
        published=iso_date(published) or dated,
        language=language,
        source=source,
    )
