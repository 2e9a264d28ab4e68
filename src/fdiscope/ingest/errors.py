"""One exception hierarchy for everything that can go wrong while turning input into documents.

::

    IngestError
    ├── EmptyInput          nothing to read (0 bytes, only blank space, no text extracted)
    ├── BinaryInput         not text (NUL bytes, control characters, a known binary signature)
    ├── UnsupportedFormat   a recognised format that is not read (archives, PDF, images)
    ├── TooLarge            over the configured size limit
    ├── Undecodable         bytes that no plausible encoding turns into text
    ├── MalformedRecord     a JSON line that is not a usable record
    ├── BrokenFeed          an RSS/Atom feed that cannot be parsed into items
    └── FetchError          an HTTP fetch that failed (status, timeout, redirects, scheme)

Readers *yield* these instead of raising them, so one bad item never stops a batch; each
carries ``source`` (a path, ``path:line`` or URL) and a ``reason`` that says what is wrong.
"""

from __future__ import annotations

__all__ = [
    "IngestError",
    "EmptyInput",
    "BinaryInput",
    "UnsupportedFormat",
    "TooLarge",
    "Undecodable",
    "MalformedRecord",
    "BrokenFeed",
    "FetchError",
]


class IngestError(Exception):
    """An input item that could not be turned into a document.

    Attributes:
        reason: what is wrong, in words meant for the user.
        source: where the item came from ("file.html", "dump.jsonl:12", a URL) or None.
        line: the 1-based line number for line-oriented inputs (JSONL), else None.
    """

    def __init__(self, reason: str, *, source: str | None = None, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.source = source
        self.line = line

    def at(self, source: str | None, line: int | None = None) -> IngestError:
        """Fill in where the error happened (keeps what is already set); returns ``self``."""
        if self.source is None:
            self.source = source
        if self.line is None:
            self.line = line
        return self

    @property
    def kind(self) -> str:
        """The class name, e.g. "TooLarge" (handy for counting errors by kind)."""
        return type(self).__name__

    @property
    def where(self) -> str | None:
        """``source`` with the line appended ("dump.jsonl:7"), "line 7" without a source, or None.

        >>> IngestError("bad", source="dump.jsonl", line=7).where
        'dump.jsonl:7'
        """
        if self.line is None:
            return self.source
        if not self.source:
            return f"line {self.line}"
        return self.source if self.source.endswith(f":{self.line}") else f"{self.source}:{self.line}"

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.reason}" if where else self.reason

    def __repr__(self) -> str:
        return f"{self.kind}({self.reason!r}, source={self.source!r}, line={self.line!r})"


class EmptyInput(IngestError):
    """Nothing to read: zero bytes, only blank space, or no text could be extracted."""


class BinaryInput(IngestError):
    """The bytes are not text (NUL bytes, many control characters or a binary file signature)."""


class UnsupportedFormat(IngestError):
    """A recognised format that is not read here (zip/gzip archives, PDF, office files, images)."""


class TooLarge(IngestError):
    """The input is larger than the configured limit; raise the limit or split the input."""


class Undecodable(IngestError):
    """No plausible character encoding turns the bytes into text."""


class MalformedRecord(IngestError):
    """A JSON line that is not valid JSON or lacks the fields a document needs."""


class BrokenFeed(IngestError):
    """An RSS/Atom feed that cannot be parsed into any item."""


class FetchError(IngestError):
    """An HTTP fetch failed: a bad status, a timeout, too many redirects or a bad URL.

    Attributes:
        status: the HTTP status code when the server answered, else None.
    """

    def __init__(
        self, reason: str, *, source: str | None = None, line: int | None = None, status: int | None = None
    ) -> None:
        super().__init__(reason, source=source, line=line)
        self.status = status
