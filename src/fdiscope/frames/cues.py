"""Cue lexicons of the frames, compiled once per language from ``data/<lang>/frames.yaml``."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..lexicon import load_lexicon

__all__ = ["Cues", "FrameCues", "frame_cues", "reset_memo"]

_FLAGS = re.IGNORECASE | re.UNICODE


_META = frozenset(".^$*+?{}[]\\|()")
_WORD_HEAD = re.compile(r"(\w[\w-]{0,3})[\w-]*")  # a word and its first four letters
_LOCAL = threading.local()


def _literal_prefix(alternative: str) -> str:
    """The literal letters of the first word every match of ``alternative`` starts with."""
    out: list[str] = []
    for ch in alternative:
        if ch in _META or not (ch.isalnum() or ch in "_-"):  # a word's letters only
            if ch in "?*{" and out:
                out.pop()  # the letter before is optional
            break
        out.append(ch)
    return "".join(out).lower()


def _starts(alternative: str) -> set[str] | None:
    """Literal prefixes one of which every match of ``alternative`` begins with; None if unknown.

    Handles plain words ("plants?" -> {"plant"}), a leading group of plain options
    ("(?:industrial|logistics) parks?" -> {"industrial", "logistics"}, and optional groups),
    and a leading digit ("\\d+ projects" -> {"<d>"}).
    """
    if alternative.startswith("\\d"):
        return {_DIGIT}
    if alternative.startswith(("(?<!", "(?<=")):
        # a lookbehind consumes nothing: the match starts with what follows it
        close = alternative.find(")")
        return _starts(alternative[close + 1 :]) if close > 0 and "(" not in alternative[4:close] else None
    if alternative.startswith("(?:"):
        depth = 0
        close = -1
        for j, ch in enumerate(alternative):
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    close = j
                    break
        if close < 0:
            return None
        inner, rest = alternative[3:close], alternative[close + 1 :]
        options = _split_top(inner)
        if rest[:1] in ("?", "*"):
            tail = _starts(rest[1:])
            heads = [_starts(o) for o in options]
            if tail is None or any(h is None for h in heads):
                return None
            return set().union(*heads) | tail  # type: ignore[arg-type]
        if all(not any(c in _META for c in o) for o in options):
            head = _literal_prefix(rest) if rest[:1] not in (" ",) else ""
            return {(o + head).split()[0].lower() if (o + head).strip() else "" for o in options} - {
                ""
            } or None
        heads = [_starts(o) for o in options]  # each option's own prefixes (coarser, still sound)
        if any(h is None for h in heads):
            return None
        return set().union(*heads)  # type: ignore[arg-type]
    lit = _literal_prefix(alternative)
    return {lit} if lit else None


def _split_top(inner: str) -> list[str]:
    """Split a group body on its top-level "|" only."""
    out: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in inner:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


@dataclass(frozen=True, slots=True)
class _Filter:
    """The word heads a cue's matches can start with: four-letter heads, and shorter prefixes."""

    heads: frozenset[str]
    short: tuple[str, ...]
    short_set: frozenset[str] = frozenset()


def _prefix_filter(patterns: list[Any]) -> _Filter | None:
    """Prefixes (at most 4 letters) one of which starts every match of the cue; None if unknown."""
    out: set[str] = set()
    for p in patterns or []:
        found = _starts(str(p))
        if not found:
            return None
        out |= {x if x == _DIGIT else x[:4] for x in found}
    if not out:
        return None
    short = tuple(sorted(x for x in out if x != _DIGIT and len(x) < 4))
    return _Filter(frozenset(x for x in out if x == _DIGIT or len(x) == 4), short, frozenset(short))


_DIGIT = "<d>"


def _memo() -> dict[Any, Any]:
    memo = getattr(_LOCAL, "memo", None)
    if memo is None:
        memo = _LOCAL.memo = {}
    return memo


def reset_memo() -> None:
    """Forget cached cue answers (call once per document: answers are never shared across documents)."""
    _memo().clear()


def _compile(patterns: list[Any], lang: str) -> re.Pattern[str] | None:
    pats = [str(p) for p in patterns or [] if str(p)]
    if not pats:
        return None
    # Russian cues are stems: match from a word start, let the ending run on.
    if lang == "ru":
        body = "|".join(f"(?:{p})" for p in pats)
        return re.compile(rf"(?<![\w-])(?:{body})", _FLAGS)
    body = "|".join(f"(?:{p})" for p in pats)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", _FLAGS)


@dataclass(frozen=True)
class Cues:
    """Named compiled patterns of one lexicon section, in file order."""

    patterns: dict[str, re.Pattern[str]]
    stems: bool = False  # cues are word starts (Russian), not whole words
    #: name -> prefixes: a cue can only match where a word starts with one of them
    filters: dict[str, _Filter] = field(default_factory=dict, compare=False, repr=False)
    #: (name, side) -> the cue anchored at the end or the start of a text (built when first asked)
    anchored: dict[tuple[str, str], re.Pattern[str] | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    def get(self, name: str) -> re.Pattern[str] | None:
        return self.patterns.get(name)

    def search(self, name: str, text: str) -> re.Match[str] | None:
        """The first match of cue ``name`` in ``text`` (the same answer as ``pattern.search``).

        Answers are memoised for the current document (frames ask about one sentence often;
        :func:`reset_memo` runs per document).  A cue with a prefix filter is only tried where a
        word of ``text`` starts with one of its prefixes (``pattern.match`` at those positions,
        left to right), instead of scanning every character of the text.
        """
        memo = _memo()
        key = (id(self), name, text)
        found = memo.get(key, _UNSEEN)
        if found is not _UNSEEN:
            return found  # type: ignore[no-any-return]
        found = None
        pat = self.patterns.get(name)
        if pat is not None:
            filt = self.filters.get(name)
            words = _words(text, memo) if filt is not None else None
            if filt is None or words is None:
                found = pat.search(text)
            else:
                found = words.first_match(pat, filt)
        memo[key] = found
        return found

    def finditer(self, name: str, text: str) -> Iterator[re.Match[str]]:
        """The matches of cue ``name`` in ``text``, those of ``pattern.finditer(text)``.

        They are sought from the first match :meth:`search` finds (a text in which no word can
        start the cue is never scanned).
        """
        first = self.search(name, text)
        if first is None:
            return iter(())
        return self.patterns[name].finditer(text, first.start())

    def ends(self, name: str, text: str) -> bool:
        """A match of cue ``name`` ends ``text`` (only spaces after it): "earlier held in" before a
        city, "acquired a 25% stake in" before a company."""
        pat = self._anchored(name, "end")
        return pat is not None and pat.search(text) is not None

    def starts(self, name: str, text: str) -> bool:
        """A match of cue ``name`` opens ``text`` (after spaces): "centre" after "exhibition"."""
        pat = self._anchored(name, "start")
        return pat is not None and pat.match(text) is not None

    def _anchored(self, name: str, side: str) -> re.Pattern[str] | None:
        key = (name, side)
        if key not in self.anchored:
            pat = self.patterns.get(name)
            if pat is None:
                self.anchored[key] = None
            elif side == "end":
                self.anchored[key] = re.compile(rf"(?:{pat.pattern})[\s\u00a0]*\Z", pat.flags)
            else:
                self.anchored[key] = re.compile(rf"[\s\u00a0]*(?:{pat.pattern})", pat.flags)
        return self.anchored[key]

    def is_word(self, name: str, word: str) -> bool:
        """``word`` is itself one of the cues (a Russian stem may run on into the ending)."""
        pat = self.patterns.get(name)
        m = pat.match(word) if pat is not None else None
        return m is not None and (m.end() == len(word) or self.stems)

    def names(self) -> list[str]:
        return list(self.patterns)


_UNSEEN = object()


class _Words:
    """Where the words of one text start, by their first four letters (lower case; shorter words whole).

    Words starting with a digit are also listed under one mark.
    """

    __slots__ = ("text", "starts", "heads", "_shorts")

    def __init__(self, text: str, low: str) -> None:
        self.text = text
        starts: dict[str, list[int]] = {}
        for m in _WORD_HEAD.finditer(low):
            head = m.group(1)
            starts.setdefault(head, []).append(m.start())
            if head[0].isdigit():
                starts.setdefault(_DIGIT, []).append(m.start())
        self.starts = starts
        self.heads = frozenset(starts)
        self._shorts: frozenset[str] | None = None

    def shorts(self) -> frozenset[str]:
        """The first one, two and three letters of every word."""
        if self._shorts is None:
            self._shorts = frozenset({h[:k] for h in self.heads for k in (1, 2, 3)})
        return self._shorts

    def first_match(self, pat: re.Pattern[str], filt: _Filter) -> re.Match[str] | None:
        """The leftmost match of ``pat`` among the word starts whose head fits the cue's filter.

        Sound because every match of the cue begins at such a word start (see :func:`_starts`),
        and trying positions left to right returns what ``pat.search(text)`` would.
        """
        hits = filt.heads & self.heads
        if filt.short and not filt.short_set.isdisjoint(self.shorts()):
            hits = hits | {h for h in self.heads if h.startswith(filt.short)}
        if not hits:
            return None
        starts = self.starts
        if len(hits) == 1:
            positions = starts[next(iter(hits))]
        else:
            positions = sorted({p for h in hits for p in starts[h]})
        text = self.text
        for pos in positions:
            m = pat.match(text, pos)
            if m is not None:
                return m
        return None


def _words(text: str, memo: dict[Any, Any]) -> _Words | None:
    """The word index of ``text``, once per document; None when lower-casing changes the length
    (positions would not line up: the caller then scans the whole text)."""
    found = memo.get(text, _UNSEEN)  # keyed by the text itself (cue answers have tuple keys)
    if found is _UNSEEN:
        low = text.lower()
        found = memo[text] = _Words(text, low) if len(low) == len(text) else None
    return found  # type: ignore[no-any-return]


@dataclass(frozen=True)
class FrameCues:
    project: Cues
    status: Cues
    kind: Cues
    sector: Cues
    trade: Cues
    event: Cues


@lru_cache(maxsize=8)
def frame_cues(lang: str) -> FrameCues:
    data = load_lexicon(lang, "frames")

    def section(key: str) -> Cues:
        raw = data.get(key) or {}
        compiled = {name: _compile(pats, lang) for name, pats in raw.items()}
        filters = {name: f for name, pats in raw.items() if (f := _prefix_filter(pats)) is not None}
        return Cues({k: v for k, v in compiled.items() if v is not None}, stems=lang == "ru", filters=filters)

    return FrameCues(
        project=section("project"),
        status=section("status"),
        kind=section("kind"),
        sector=section("sector"),
        trade=section("trade"),
        event=section("event"),
    )
