"""Cue lexicons of the frames, compiled once per language from ``data/<lang>/frames.yaml``."""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any

from ..lexicon import load_lexicon

__all__ = ["Cues", "FrameCues", "Masked", "frame_cues", "reset_memo"]

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


@dataclass(frozen=True, slots=True, eq=False)
class _Filter:
    """The word heads a cue's matches can start with: four-letter heads, and shorter prefixes.

    Compared by identity: a filter keys the positions a text's index lists for it.
    """

    heads: frozenset[str]
    short: tuple[str, ...]
    #: the first letters of the heads and prefixes (a quick "no" for a word starting otherwise)
    firsts: frozenset[str] = frozenset()
    #: the heads and prefixes, digits left out (what a text holding a match contains)
    keys: tuple[str, ...] = ()


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
    heads = frozenset(x for x in out if x == _DIGIT or len(x) == 4)
    keys = tuple(sorted(x for x in out if x != _DIGIT))
    return _Filter(heads, short, frozenset(x[0] for x in out if x != _DIGIT), keys)


_DIGIT = "<d>"


def _memo() -> dict[str, _Index | None]:
    memo = getattr(_LOCAL, "memo", None)
    if memo is None:
        memo = _LOCAL.memo = {}
    return memo


def reset_memo() -> None:
    """Forget the word indexes of the texts seen (call once per document: nothing is shared across
    documents)."""
    global _LAST
    _memo().clear()
    _LAST = (None, None)


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
    #: names -> the filter of any of those cues (see :meth:`may_match`)
    unions: dict[tuple[str, ...], _Filter] = field(default_factory=dict, compare=False, repr=False)
    #: name -> (pattern, filter or None): what a look-up needs, in one dictionary access
    _entries: dict[str, tuple[re.Pattern[str], _Filter | None]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        entries = {name: (pat, self.filters.get(name)) for name, pat in self.patterns.items()}
        object.__setattr__(self, "_entries", entries)

    def get(self, name: str) -> re.Pattern[str] | None:
        return self.patterns.get(name)

    def search(self, name: str, text: str) -> re.Match[str] | None:
        """The first match of cue ``name`` in ``text`` (the same answer as ``pattern.search``).

        For a text cut from the document use :meth:`search_in`, which shares one word index per
        document instead of building one for every piece.
        """
        return self.search_in(name, text, 0, len(text))

    def search_in(self, name: str, source: str, start: int, end: int) -> re.Match[str] | None:
        """The first match of cue ``name`` in ``source[start:end]``: the answer of
        ``pattern.search(source[start:end])``, positions in the piece.

        A cue with a prefix filter is only tried where a word starts with one of its prefixes
        (``pattern.match`` at those positions, left to right), looked up in one word index of
        the whole ``source`` (built once per document; :func:`reset_memo` forgets it): no piece
        is scanned character by character, and no piece needs an index of its own.

        The frames ask hundreds of these per document, most of them answered "no cue word in
        this sentence": that answer costs one dictionary look-up and two bisections here, with
        no further Python call.
        """
        size = len(source)
        if not 0 <= start <= end <= size:
            start, end = _clip(start, end, size)
        entry = self._entries.get(name)
        if entry is None:
            return None
        pat, filt = entry
        if filt is not None:
            last = _LAST
            index = last[1] if last[0] is source else _index(source)
            if index is not None:
                positions = index.found.get(filt)
                if positions is None:
                    positions = index.positions(filt)
                lo = bisect_left(positions, start)
                if start and start < end:
                    c = index.low[start - 1]
                    if c.isalnum() or c == "-" or c == "_":  # [\w-]: the piece starts inside a word
                        return index.first_match(pat, filt, start, end, None)
                if lo == len(positions) or positions[lo] >= end:
                    return None  # the frequent answer: no word of the piece can start the cue
                text = source[start:end]
                for pos in positions[lo : bisect_left(positions, end, lo)]:
                    m = pat.match(text, pos - start)
                    if m is not None:
                        return m
                return None
        return pat.search(source[start:end])

    def search_masked(self, name: str, piece: Masked) -> re.Match[str] | None:
        """The first match of cue ``name`` in a piece with names blanked out: the answer of
        ``pattern.search(piece.text)``, sought like :meth:`search_in` does."""
        entry = self._entries.get(name)
        if entry is None:
            return None
        pat, filt = entry
        source = piece.source
        if filt is not None:
            last = _LAST
            index = last[1] if last[0] is source else _index(source)
            if index is not None:
                return index.first_match(pat, filt, piece.start, piece.end, piece)
        return pat.search(piece.text)

    def may_match(
        self, names: tuple[str, ...], source: str, start: int, end: int, piece: Masked | None = None
    ) -> bool:
        """Whether one of the cues ``names`` may match in ``source[start:end]`` (or in ``piece``,
        names blanked, when given): False means every :meth:`search_in` (:meth:`search_masked`)
        of those cues in that piece answers None, told with one look-up in the document's word
        index instead of one per cue.

        A caller that tries many cues on one piece (the event kinds of a sentence, the sectors
        of a segment) asks this first and skips them all when no word of the piece can start
        any of them.  True is only "maybe" (a word of the piece starts like one of the cues).
        """
        if piece is not None:
            source, start, end = piece.source, piece.start, piece.end
        else:
            size = len(source)
            if not 0 <= start <= end <= size:
                start, end = _clip(start, end, size)
        union = self.unions.get(names)
        if union is None:
            union = self.unions[names] = _union(self, names)
        if union is _NO_FILTER:
            return True  # a cue without a prefix filter, or an unknown name: no quick answer
        last = _LAST
        index = last[1] if last[0] is source else _index(source)
        if index is None:
            return True
        return index.has_candidate(union, start, end, piece)

    def finditer(self, name: str, text: str) -> Iterator[re.Match[str]]:
        """The matches of cue ``name`` in ``text``, those of ``pattern.finditer(text)``."""
        return self.finditer_in(name, text, 0, len(text))

    def finditer_in(self, name: str, source: str, start: int, end: int) -> Iterator[re.Match[str]]:
        """The matches of cue ``name`` in ``source[start:end]``, those of ``pattern.finditer``.

        They are sought from the first match :meth:`search_in` finds (a piece in which no word
        can start the cue is never scanned).
        """
        first = self.search_in(name, source, start, end)
        if first is None:
            return iter(())
        return self.patterns[name].finditer(first.string, first.start())

    def ends(self, name: str, text: str) -> bool:
        """A match of cue ``name`` ends ``text`` (only spaces after it): "earlier held in" before a
        city, "acquired a 25% stake in" before a company."""
        pat = self._anchored(name, "end")
        if pat is None:
            return False
        filt = self.filters.get(name)
        if filt is not None and not _may_hold(filt, text):
            return False  # no scan of the text position by position
        return pat.search(text) is not None

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


_DECIMAL = re.compile(r"\d")


def _may_hold(filt: _Filter, text: str) -> bool:
    """``text`` may hold a match of the cue ``filt`` belongs to: its lower case contains one of
    the cue's heads or prefixes (every match begins with one, see :func:`_starts`), or a digit
    for a cue that starts with one.  A "no" spares a search that tries the cue's pattern at
    every position of the text."""
    low = text.lower()
    if any(map(low.__contains__, filt.keys)):
        return True
    return _DIGIT in filt.heads and _DECIMAL.search(text) is not None


_NO_FILTER = _Filter(frozenset(), ())


def _union(cues: Cues, names: tuple[str, ...]) -> _Filter:
    """One filter letting through every word start that one of the cues' filters lets through;
    ``_NO_FILTER`` when a cue has none (it may match anywhere)."""
    filters = [cues.filters.get(n) for n in names if n in cues.patterns]
    if not filters or any(f is None for f in filters):
        return _NO_FILTER if filters else _Filter(frozenset(), ())
    heads = frozenset().union(*(f.heads for f in filters if f is not None))
    short = tuple(sorted(set().union(*(f.short for f in filters if f is not None))))
    firsts = frozenset().union(*(f.firsts for f in filters if f is not None))
    keys = tuple(sorted(set().union(*(f.keys for f in filters if f is not None))))
    return _Filter(heads, short, firsts, keys)


def _clip(start: int, end: int, size: int) -> tuple[int, int]:
    """``start``, ``end`` as slicing ``source[start:end]`` reads them (an empty piece: end = start)."""
    if start < 0 or end < 0:
        start, end, _ = slice(start, end).indices(size)
    elif end > size:
        end = size
    if end < start:
        end = start
    return start, end


_CUT_HEAD = re.compile(r"-*(\w[\w-]{0,3})")  # the word a piece cut inside a word begins with


class Masked:
    """``source[start:end]`` with spans blanked out (each character a space): a sentence without
    its names.  The text is only built when a cue may match in it."""

    __slots__ = ("source", "start", "end", "blanks", "_text")

    def __init__(self, source: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
        """``spans`` are the ``[start, end)`` spans to blank, each inside the piece, in any order."""
        self.source = source
        self.start = start
        self.end = end
        merged: list[tuple[int, int]] = []
        for a, b in sorted(spans):
            if a >= b:
                continue
            if merged and a <= merged[-1][1]:
                if b > merged[-1][1]:
                    merged[-1] = (merged[-1][0], b)
            else:
                merged.append((a, b))
        self.blanks = tuple(merged)
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            parts: list[str] = []
            at = self.start
            for a, b in self.blanks:
                parts.append(self.source[at:a])
                parts.append(" " * (b - a))
                at = b
            parts.append(self.source[at : self.end])
            self._text = "".join(parts)
        return self._text


#: characters that end a word and are no part of it (the text after a word, "said," "(2019)")
_CLOSERS = frozenset(",.;:)!?\"'»”’")


def _word_starts(low: str) -> dict[str, list[int]]:
    """Where the words of ``low`` start, by head: what ``_WORD_HEAD.finditer(low)`` lists
    (see :func:`_word_starts_scanned`), found without a regex match per word.

    The text is split at single spaces (in C): a piece of letters and digits only is one whole
    word ("investment", "2019"), and so is one followed by a closing mark ("said,", "2019)");
    only the other pieces (a hyphen, an opening bracket, a newline inside) are scanned.  A word
    never runs over a space, so a scan of a piece lists the words the scan of the text does.
    """
    starts: dict[str, list[int]] = {}
    get = starts.get  # the loop runs once per word of the document: no attribute look-ups
    finditer = _WORD_HEAD.finditer
    closers = _CLOSERS
    pos = 0
    for word in low.split(" "):
        size = len(word)
        if word.isalnum() or (size > 1 and word[-1] in closers and word[:-1].isalnum()):
            head = word[:4] if size > 4 else word[: size - 1] if word[-1] in closers else word
            found = get(head)
            if found is None:
                starts[head] = [pos]
            else:
                found.append(pos)
        elif size:
            for m in finditer(low, pos, pos + size):
                head = m[1]
                found = get(head)
                if found is None:
                    starts[head] = [m.start()]
                else:
                    found.append(m.start())
        pos += size + 1
    return starts


def _word_starts_scanned(low: str) -> dict[str, list[int]]:
    """:func:`_word_starts` by the plain scan (the reference its tests compare with)."""
    starts: dict[str, list[int]] = {}
    for m in _WORD_HEAD.finditer(low):
        starts.setdefault(m[1], []).append(m.start())
    return starts


class _Index:
    """Where the words of one text start (a document, or a free text), by their first four letters
    (lower case; shorter words whole).

    One index serves every piece of the text: a cue's possible starts are listed once per text
    (:meth:`positions`), and a piece looks up its range of them.
    """

    __slots__ = ("text", "low", "starts", "_sorted", "_expanded", "found")

    def __init__(self, text: str, low: str) -> None:
        self.text = text
        self.low = low
        self.starts = _word_starts(low)
        self._sorted: list[str] | None = None  # the heads in order, for prefix look-ups
        #: a short prefix ("is", "the") -> the heads of the text starting with it: many cues
        #: share one ("is" starts cues of five status kinds), expanded once per text
        self._expanded: dict[str, list[str]] = {}
        #: filter -> the positions it lets through (see :meth:`positions`)
        self.found: dict[_Filter, list[int]] = {}

    def positions(self, filt: _Filter) -> list[int]:
        """Where a word whose head fits the filter starts, in text order (once per text and filter)."""
        found = self.found.get(filt)
        if found is not None:
            return found
        starts = self.starts
        # the cue's few heads looked up in the text's, not the text's many copied into a set
        hits = set(filter(starts.__contains__, filt.heads))
        if filt.short:
            expanded = self._expanded
            for short in filt.short:
                heads = expanded.get(short)
                if heads is None:
                    heads = expanded[short] = self._heads_from(short)
                hits.update(heads)
        runs = list(map(starts.__getitem__, hits))
        if _DIGIT in filt.heads:
            # the heads starting with a digit: a run of the sorted heads for "0"-"9", and among
            # the heads starting with a non-ASCII character (their tail) the other digits ("٣")
            heads = self._sorted
            if heads is None:
                heads = self._sorted = sorted(starts)
            lo = bisect_left(heads, "0")
            digits = heads[lo : bisect_left(heads, ":", lo)]
            digits += [h for h in heads[bisect_left(heads, "\x80", lo) :] if h[0].isdigit()]
            # sorted: the heads come in the order they first occur ("2019 ... 12 ... 2019")
            runs.append(sorted([p for h in digits for p in starts[h]]))
        if not runs:
            found = []
        elif len(runs) == 1:
            found = runs[0]
        elif _DIGIT in filt.heads:
            found = sorted(set(chain.from_iterable(runs)))  # a digit's word is in two runs
        else:
            found = sorted(chain.from_iterable(runs))  # each word is in the run of its one head
        self.found[filt] = found
        return found

    def _heads_from(self, short: str) -> list[str]:
        """The heads of the text starting with ``short``: a run of the sorted heads."""
        heads = self._sorted
        if heads is None:
            heads = self._sorted = sorted(self.starts)
        lo = bisect_left(heads, short)
        return heads[lo : bisect_left(heads, short + "\U0010ffff", lo)]

    def _cut_start(self, filt: _Filter, at: int, limit: int) -> int | None:
        """The start of the word a piece begins with when it is cut at ``at`` inside a word of the
        text (the piece ends, or a blank begins, at ``limit``), if its head fits the filter."""
        if at >= limit:
            return None
        first = self.low[at]
        if first != "-" and first not in filt.firsts and not (first.isdigit() and _DIGIT in filt.heads):
            return None  # no head of the cue starts with this letter
        m = _CUT_HEAD.match(self.low, at, limit)
        if m is None:
            return None
        head = m.group(1)
        if (
            head in filt.heads
            or (filt.short and head.startswith(filt.short))
            or (head[0].isdigit() and _DIGIT in filt.heads)
        ):
            return m.start(1)
        return None

    def has_candidate(self, filt: _Filter, start: int, end: int, piece: Masked | None) -> bool:
        """A word of the piece ``text[start:end]`` (blanked as ``piece`` says) may start a cue
        of the filter: the candidates :meth:`first_match` would try are not none."""
        positions = self.found.get(filt)
        if positions is None:
            positions = self.positions(filt)
        lo = bisect_left(positions, start)
        if lo < len(positions) and positions[lo] < end:
            return True
        low = self.low
        blanks = piece.blanks if piece is not None else ()
        if start and start < end:
            c = low[start - 1]
            if (c.isalnum() or c == "-" or c == "_") and self._cut_start(
                filt, start, blanks[0][0] if blanks else end
            ) is not None:
                return True
        last = len(blanks) - 1
        firsts = filt.firsts
        for i, (_a, b) in enumerate(blanks):
            if b < end:
                c = low[b]
                if (c in firsts or c == "-" or c.isdigit()) and self._cut_start(  # else no cue starts there
                    filt, b, blanks[i + 1][0] if i < last else end
                ) is not None:
                    return True
        return False

    def first_match(
        self, pat: re.Pattern[str], filt: _Filter, start: int, end: int, piece: Masked | None
    ) -> re.Match[str] | None:
        """The leftmost match of ``pat`` in the piece ``text[start:end]`` (blanked as ``piece``
        says), tried only where a word of the piece may start with one of the cue's prefixes.

        Sound because every match of the cue begins at a word start whose head fits the filter
        (see :func:`_starts`), and the candidates cover every such word start of the piece: the
        text's own word starts inside it (a word the piece cuts short at its end, or a blank
        cuts short, keeps its start, and its head in the piece is a prefix of its head in the
        text, so it fits the filter only if the whole head does), plus the word the piece begins
        with when it starts inside a word, and the words that begin right after a blank.
        ``pat.match`` at each candidate, left to right, on the piece itself then returns what
        ``pat.search`` on the piece would.
        """
        positions = self.found.get(filt)
        if positions is None:
            positions = self.positions(filt)
        lo = bisect_left(positions, start)
        low = self.low
        extra: list[int] | None = None
        if start and start < end:
            c = low[start - 1]
            if c.isalnum() or c == "-" or c == "_":  # [\w-]: the piece starts inside a word
                q = self._cut_start(filt, start, piece.blanks[0][0] if piece and piece.blanks else end)
                if q is not None:
                    extra = [q]
        if piece is not None and piece.blanks:
            blanks = piece.blanks
            firsts = filt.firsts
            last = len(blanks) - 1
            for i, (_a, b) in enumerate(blanks):
                if b < end:
                    c = low[b]
                    if c in firsts or c == "-" or c.isdigit():  # else no cue starts right after it
                        q = self._cut_start(filt, b, blanks[i + 1][0] if i < last else end)
                        if q is not None:
                            extra = [q] if extra is None else [*extra, q]
        if extra is None and (lo == len(positions) or positions[lo] >= end):
            return None
        hi = bisect_left(positions, end, lo)
        candidates = positions[lo:hi]
        if extra is not None:
            candidates = sorted(set(candidates).union(extra))
        text = self.text[start:end] if piece is None else piece.text
        for pos in candidates:
            m = pat.match(text, pos - start)
            if m is not None:
                return m
        return None


def _index(text: str) -> _Index | None:
    """The word index of ``text``, built once per document; None when lower-casing changes the
    length (positions would not line up: the caller then scans the piece)."""
    global _LAST
    last = _LAST
    if last[0] is text:
        return last[1]
    memo = _memo()
    if text in memo:  # keyed by the text itself: a document's text is hashed once
        found = memo[text]
    else:
        low = text.lower()
        found = memo[text] = _Index(text, low) if len(low) == len(text) else None
    _LAST = (text, found)  # one tuple: any thread reads a text with its own index
    return found


#: the text asked about last and its index (the frames ask about one document hundreds of times)
_LAST: tuple[str | None, _Index | None] = (None, None)


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
