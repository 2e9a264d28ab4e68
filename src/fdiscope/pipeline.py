"""The extraction pipeline: one :class:`Doc` flows through named components.

Each component declares what it needs and what it sets; :class:`Pipeline` checks the order
when it is built, so a misconfigured pipeline fails at start-up, not halfway through a batch.
"""

from __future__ import annotations

import datetime as _dt
import logging
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, sub

from .model import Document, EventRecord, Mention, ProjectRecord, TradeRecord

__all__ = ["SpanIndex", "Doc", "Component", "Pipeline", "PipelineError", "parse_published"]

log = logging.getLogger(__name__)

_START = attrgetter("start")
_END = attrgetter("end")


class PipelineError(RuntimeError):
    """A pipeline was assembled wrongly (a component's needs are not met before it runs)."""


def parse_published(value: str | None) -> _dt.date | None:
    """The reference date for relative expressions: a partial date takes its first day.

    >>> parse_published("2015-07")
    datetime.date(2015, 7, 1)
    >>> parse_published(None) is None
    True
    """
    if not value:
        return None
    parts = value[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return _dt.date(year, month, day)
    except (ValueError, IndexError):
        return None


@dataclass(slots=True)
class Doc:
    """The carrier: a document plus everything the components found in it."""

    document: Document
    lang: str = "en"
    #: the date relative expressions are resolved against (publication date), or None
    base_date: _dt.date | None = None
    #: how precise the publication date is: "day", "month", "year" or None
    base_precision: str | None = None
    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    projects: list[ProjectRecord] = field(default_factory=list)
    trade: list[TradeRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    _starts: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)
    #: where a date may start in the text (``dates.trigger_starts``), found by the dateline step
    #: for the dates step too; None until then
    date_starts: list[int] | None = field(default=None, repr=False, compare=False)
    #: the document's text, copied once: components read it some 300 times per document, and a
    #: property would be a Python call each time (the text does not change while a Doc is extracted)
    text: str = field(init=False, default="", repr=False, compare=False)

    def __post_init__(self) -> None:
        self.text = self.document.text

    @property
    def doc_id(self) -> str:
        return self.document.id

    def add(self, mentions: Iterable[Mention]) -> None:
        touched: set[str] = set()
        for m in mentions:
            self.mentions.setdefault(m.label, []).append(m)
            touched.add(m.label)
        for label in touched:
            # by (start, -end), stable: two stable sorts on C-level keys, the minor key first
            found = self.mentions[label]
            found.sort(key=_END, reverse=True)  # a reversed sort keeps equal items in their order
            found.sort(key=_START)
            self._starts.pop(label, None)

    def of(self, label: str) -> list[Mention]:
        return self.mentions.get(label, [])

    def in_span(self, label: str, start: int, end: int) -> list[Mention]:
        """Mentions of ``label`` lying inside ``[start, end)`` (binary search over their starts)."""
        found = self.mentions.get(label)
        if not found:
            return []
        starts = self._starts.get(label)
        if starts is None:
            starts = self._starts[label] = list(map(_START, found))
        lo = bisect_left(starts, start)
        hi = bisect_left(starts, end, lo)
        if lo == hi:
            return []
        return [m for m in found[lo:hi] if m.end <= end]

    def sentence_index(self, pos: int) -> int | None:
        """Index of the sentence holding character ``pos`` (bisection over sorted spans), or None."""
        sentences = self.sentences
        i = bisect_right(sentences, (pos, 1 << 62)) - 1
        if 0 <= i < len(sentences) and sentences[i][0] <= pos < sentences[i][1]:
            return i
        # overlapping or unsorted spans: fall back to a scan
        return next((k for k, (s, e) in enumerate(sentences) if s <= pos < e), None)

    def sentence_of(self, pos: int) -> tuple[int, int]:
        i = self.sentence_index(pos)
        return self.sentences[i] if i is not None else (0, len(self.text))


class SpanIndex:
    """Mentions searchable by position: those overlapping, or covering, a span (binary search).

    Keeps long documents linear: frames ask "which places lie in this name?" for every name.
    """

    def __init__(self, mentions: Iterable[Mention]) -> None:
        # by (start, end), stable: two stable sorts on C-level keys, the minor key first (no key tuples)
        found = list(mentions)
        found.sort(key=_END)
        found.sort(key=_START)
        self.mentions = found
        self.starts = list(map(_START, self.mentions))
        self.longest = max(map(sub, map(_END, self.mentions), self.starts), default=0)

    def overlapping(self, start: int, end: int) -> list[Mention]:
        lo = bisect_left(self.starts, start - self.longest)
        hi = bisect_left(self.starts, end, lo)
        if lo == hi:
            return []
        # every mention in [lo, hi) starts before ``end`` (the bisection): only its end is tested
        return [m for m in self.mentions[lo:hi] if m.end > start]

    def ending_at(self, end: int) -> list[Mention]:
        """The mentions ending at ``end`` (the overlap search inlined: asked once per name)."""
        lo = bisect_left(self.starts, end - 1 - self.longest)
        hi = bisect_left(self.starts, end, lo)
        if lo == hi:
            return []
        return [m for m in self.mentions[lo:hi] if m.end == end]


@dataclass(frozen=True, slots=True)
class Component:
    """A named step ``Doc -> Doc`` with the attributes it needs and sets."""

    name: str
    func: Callable[[Doc], Doc]
    requires: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()

    def __call__(self, doc: Doc) -> Doc:
        return self.func(doc)


class Pipeline:
    """An ordered list of components, checked once when built."""

    def __init__(self, components: Sequence[Component]):
        available: set[str] = {"text", "lang", "base_date"}
        for comp in components:
            missing = [r for r in comp.requires if r not in available]
            if missing:
                raise PipelineError(
                    f"component {comp.name!r} needs {missing} which no earlier component sets; "
                    "move it after the component that provides them"
                )
            available.update(comp.sets)
        self.components = list(components)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def __call__(self, doc: Doc) -> Doc:
        for comp in self.components:
            doc = comp(doc)
        return doc

    def pipe(self, docs: Iterable[Doc]) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)
