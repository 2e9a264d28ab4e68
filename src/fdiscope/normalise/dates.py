"""Dates, periods and datelines in English and Russian news text.

All language knowledge — month and weekday names in every grammatical form, relative words
("last year", «в прошлом году»), ordinals, and the patterns that combine them — lives in
``fdiscope/data/<lang>/dates.yaml``.  This module only compiles those patterns (once per
language, into a single regular expression) and turns a match into a :class:`DateValue`.

Determinism: a relative expression ("in March", "yesterday", «в январе-марте») is resolved only
against the ``base`` date passed in — the article's publication date — never against today.
Without a base such an expression gives no mention at all.

Resolution rules for expressions without a year:

* a month, or a month and day ("in March", "On October 11"): the nearest such date to ``base``,
  where the side the sentence's tense points to counts double: with no future cue ("will",
  "planned", «будет», from ``future_cues`` in the YAML) a past date wins unless the future one is
  less than half as far away ("began in April" in a November article is the April before); with
  a future cue the other way round ("will open in October" in a May article is this October);
* a period (half, quarter, month range, "first nine months"): the base year's period if it has
  already begun by the base month, else the previous year's;
* a bare weekday ("on Thursday", «в субботу»): the most recent one on or before ``base`` (the base
  day itself when it is that weekday), the next one in a sentence with a future cue ("will
  visit"); "last Thursday": strictly before; "next Monday": strictly after;
* "last week" / "this week": the month (precision "month") of ``base`` − 7 days / ``base``.

Labels: ``DATE`` for points (precision day, month or year — a year alone is a DATE of precision
"year", which trade frames use as a period), ``PERIOD`` for halves, quarters, month ranges and
"first N months" (precision half, quarter, range, or year/month when the range is a whole year or
a single month).
"""

from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import resources
from itertools import chain
from typing import Any

from ..lexicon import load_lexicon
from ..model import DateValue, Mention
from .numbers import _by_first

__all__ = ["find_dates", "find_published", "trigger_starts", "DATE", "PERIOD"]

DATE = "DATE"
PERIOD = "PERIOD"

_PERIOD_KINDS = frozenset({"half", "quarter", "mrange", "firstn"})
_PLACEHOLDER = re.compile(r"\{([a-z]+)(\d?)\}")
_RAW_GROUP = re.compile(r"\(\?P<([a-z]+)(\d?)>")
_NOT_LETTER_AFTER = r"(?![^\W\d_])"
_QUARTERS = {(1, 3): 1, (4, 6): 2, (7, 9): 3, (10, 12): 4}
_HALVES = {(1, 6): 1, (7, 12): 2}

# Placeholder -> value table used to read its group; "mon"/"wkd" read like "month"/"weekday".
_TABLE_OF = {
    "month": "month",
    "mon": "month",
    "weekday": "weekday",
    "wkd": "weekday",
    "wmod": "wmod",
    "mmod": "mmod",
    "ordinal": "ordinal",
    "count": "count",
    "rel": "rel",
    "relyear": "relyear",
}


class _Skip(Exception):
    """The match is not a usable date (needs a base that is missing, or is not a valid date)."""


@dataclass(frozen=True, slots=True)
class _Rel:
    unit: str  # day | week | month | year
    offset: int


@dataclass(frozen=True, slots=True)
class _Lexicon:
    digit_regex: re.Pattern[str]  # the patterns that may start with a digit
    word_regex: re.Pattern[str]  # the patterns that may start with a letter
    by_first: dict[str, re.Pattern[str]]  # character -> only the patterns that may start with it
    trigger: re.Pattern[str]  # zero-width: every position where some pattern may start
    edges: re.Pattern[str]  # the same positions but offset 0, as the ends of one-character matches
    #: ``edges`` without the case-insensitive part, for the lower-cased text (None: no such form)
    edges_lower: re.Pattern[str] | None
    kinds: dict[str, str]  # outer group name ("p3") -> kind
    groups: dict[str, tuple[tuple[str, str], ...]]  # "p3" -> ((group name, key such as "month2"), ...)
    tables: dict[str, tuple[tuple[re.Pattern[str], Any], ...]]
    label: re.Pattern[str]  # dateline label ("Published:")
    future: re.Pattern[str]  # a cue that the sentence speaks of the future
    #: a past-tense verb right before a date ("signed a deal on Monday ... that will ..."): the
    #: date is in the past whatever the rest of the sentence says
    past_before: re.Pattern[str] = re.compile(r"(?!)")


# --------------------------------------------------------------------------------------------
# Compilation


def _alt(fragments: list[str]) -> str:
    """Alternation of regex fragments, longest first so that "IV" wins over "I"."""
    frags = sorted({f for f in fragments if f}, key=len, reverse=True)
    return "(?:" + "|".join(frags) + ")" if frags else "(?!)"


def _names(frags: list[str], case_sensitive: bool) -> str:
    """Month/weekday names; when case-sensitive only Title and UPPER spellings match."""
    if not case_sensitive:
        return _alt(frags) + _NOT_LETTER_AFTER
    forms = [v for f in frags for v in (f[:1].upper() + f[1:], f.upper())]
    return "(?-i:" + _alt_by_first(forms) + ")" + _NOT_LETTER_AFTER


def _alt_by_first(fragments: list[str]) -> str:
    """:func:`_alt` with the alternatives grouped under their first character when every one
    starts with a plain letter ("J(?:anuary|une|uly|an\\.?|un|ul)|..."), for case-sensitive use.

    The flat longest-first alternation is tried alternative by alternative at every candidate
    position; grouped, the regex engine rejects a whole group on one compare.  Fragments that
    start with different literal letters cannot both match at one position (case-sensitively),
    and each group keeps the flat order, so the first alternative that matches is the same one.
    """
    frags = sorted({f for f in fragments if f}, key=len, reverse=True)
    if not frags or not all(f[:1].isalpha() and f[1:2] not in ("?", "*", "+", "{", "|") for f in frags):
        return _alt(fragments)
    return "(?:" + _by_first([(f[0], f[1:]) for f in frags]) + ")"


def _table(entries: list[tuple[str, Any]]) -> tuple[tuple[re.Pattern[str], Any], ...]:
    return tuple((re.compile(frag, re.I), val) for frag, val in entries)


_META = set("\\()[]{}?*+|.^$")


def _split_top(body: str) -> list[str]:
    """Split a group body at its top-level ``|``."""
    parts, depth, cur, i = [], 0, "", 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            cur += body[i : i + 2]
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(cur)
            cur = ""
            i += 1
            continue
        cur += c
        i += 1
    return parts + [cur]


def _prefixes(frag: str) -> list[str] | None:
    """Literal lower-case prefixes that every match of ``frag`` starts with ("\x00" = white space).

    None when no non-empty prefix can be read off (the caller then keeps the whole fragment).
    """
    if frag.startswith("(?:"):
        depth, i = 0, 0
        while i < len(frag):
            if frag[i] == "\\":
                i += 2
                continue
            depth += frag[i] == "("
            depth -= frag[i] == ")"
            if depth == 0:
                break
            i += 1
        if i >= len(frag) or frag[i + 1 : i + 2] in ("?", "*", "{"):
            return None
        out: list[str] = []
        for alt in _split_top(frag[3:i]):
            sub = _prefixes(alt)
            if sub is None:
                return None
            out += sub
        return out
    lit, i = "", 0
    while i < len(frag):
        c = frag[i]
        if frag.startswith(("\\s+", "\\s"), i) and lit:
            lit += "\x00"
            i += 3 if frag.startswith("\\s+", i) else 2
            if frag[i : i + 1] in ("*", "?", "{"):
                lit = lit[:-1]
                break
            continue
        if c == "\\" and frag[i + 1 : i + 2] in ("-", ".", " "):
            lit += frag[i + 1]
            i += 2
            continue
        if c == "[":
            close = frag.find("]", i + 1)
            chars = _char_class(frag[i + 1 : close]) if close > i else None
            if chars and frag[close + 1 : close + 2] not in ("?", "*", "{"):
                return [lit + ch for ch in chars]
            break
        if c in _META:
            if c in "?*{" and lit:
                lit = lit[:-1]
            break
        lit += c.lower()
        i += 1
    lit = lit.rstrip("\x00")
    return [lit] if lit else None


def _char_class(body: str) -> list[str] | None:
    """The characters of a simple class body such as "12" or "1-4"; None for anything fancier."""
    if not body or any(ch in body for ch in "\\^[]"):
        return None
    out: list[str] = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            out += [chr(k) for k in range(ord(body[i]), ord(body[i + 2]) + 1)]
            i += 3
        else:
            out.append(body[i])
            i += 1
    return [ch.lower() for ch in out] if len(out) <= 20 else None


def _trie(words: list[str]) -> str:
    """A regex matching any of ``words`` (lower case; "\x00" stands for white space), as a trie."""
    tree: dict[str, Any] = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        if "" in node:
            return ""  # a shorter word already ends here: the trigger needs no more
        alts = [("\\s+" if ch == "\x00" else re.escape(ch)) + emit(sub) for ch, sub in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(tree) if tree else "(?!)"


_LOOKBEHINDS = re.compile(r"^(?:\(\?:(?:\(\?<[=!][^()]*\)\|?)+\)|\(\?<[=!][^()]*\))+")
_DIGIT_START = ("{dd}", "{day}", "{yyyy}", "{year}", "(?P<num>", "\\d")
_WORD_START = ("{month}", "{mon}", "{weekday}", "{wkd}", "{rel}", "{season}", "{wmod}", "{mmod}", "{pre}")
_DIGITS = frozenset("0123456789")


def _scan_group(src: str) -> int | None:
    """Index of the ``)`` closing the group that opens ``src`` (escapes and classes skipped)."""
    depth, i = 0, 0
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            close = src.find("]", i + 2)
            if close < 0:
                return None
            i = close + 1
            continue
        depth += c == "("
        depth -= c == ")"
        if depth == 0:
            return i
        i += 1
    return None


def _top_alternatives(body: str) -> list[str] | None:
    """``body`` split at its top-level ``|`` (escapes, classes and groups skipped)."""
    out, start, i = [], 0, 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
        elif c == "[":
            close = body.find("]", i + 2)
            if close < 0:
                return None
            i = close + 1
        elif c == "(":
            end = _scan_group(body[i:])
            if end is None:
                return None
            i += end + 1
        elif c == "|":
            out.append(body[start:i])
            start = i = i + 1
        else:
            i += 1
    return out + [body[start:]]


def _firsts(src: str, words: dict[str, frozenset[str] | None]) -> frozenset[str] | None:
    """The lower-case characters a match of pattern source ``src`` may start with; None when
    that cannot be read off (an over-approximation: a wrong extra character only costs speed).

    ``words`` gives the same for each placeholder (``{month}`` ...) of the YAML patterns.
    """
    src = _LOOKBEHINDS.sub("", src)
    while src.startswith("{pre}"):  # zero-width: lookbehinds only
        src = src[5:]
    if not src:
        return None
    if src.startswith("("):
        if not src.startswith(("(?:", "(?P<")):
            return None
        close = _scan_group(src)
        if close is None:
            return None
        inner = src[src.index(">") + 1 if src.startswith("(?P<") else 3 : close]
        alts = _top_alternatives(inner)
        if alts is None:
            return None
        found: set[str] = set()
        for alt in alts:
            sub = _firsts(alt, words)
            if sub is None:
                return None
            found |= sub
        end = close + 1
    elif (m := _PLACEHOLDER.match(src)) is not None:
        sub = words.get(m.group(1))
        if sub is None:
            return None
        found, end = set(sub), m.end()
    elif src.startswith("\\d"):
        found, end = set(_DIGITS), 2
    elif src.startswith("\\") and src[1:2] and not src[1].isalnum():
        found, end = {src[1].lower()}, 2
    elif src.startswith("["):
        close = src.find("]", 2)
        chars = _char_class(src[1:close]) if close > 0 else None
        if chars is None:
            return None
        found, end = set(chars), close + 1
    elif src[0] in _META:
        return None
    else:
        found, end = {src[0].lower()}, 1
    if src[end : end + 1] in ("?", "*"):  # optional: what follows may come first
        rest = _firsts(src[end + 1 :].lstrip("?+"), words)
        if rest is None:
            return None
        found |= rest
    elif src[end : end + 2] in ("{0", "{,"):
        return None  # may repeat zero times: keep it simple
    return frozenset(found)


def _starts_with(source: str) -> str:
    """Whether a pattern (YAML source) can start with a "digit", a "word" letter, or "any".

    Conservative: anything not plainly one or the other is "any", which only costs speed.
    """
    src = _LOOKBEHINDS.sub("", source)
    src = re.sub(r"^\{pre\}", "", src) if src.startswith("{pre}") else src
    if src.startswith(_DIGIT_START):
        return "digit"
    if src.startswith(_WORD_START) or (src[:1].isalpha() and src[1:2] not in ("?", "*", "|")):
        return "word"
    return "any"


#: A class holding every ``\W`` character: all but some plain letters and digits (so a few word
#: characters, such as "é", are in it too; ``(?<=\W)`` then drops them).  A pattern that starts
#: with a class lets the regex engine skip from one candidate to the next in C, where a pattern
#: that starts with a lookbehind is tried at every position.
_NON_WORD = "[^0-9A-Z_a-z\u0401\u0410-\u044f\u0451]"


def _trigger_body(starts: list[str]) -> tuple[str, str]:
    """What follows every position where some pattern may start (a lookahead's body), and a
    cheap test of its first character (a lookahead that lets through every character the body
    may start with, case-insensitively, and drops the ASCII characters it cannot start with)."""
    literal: list[str] = []
    other: list[str] = []
    for frag in starts:
        pre = _prefixes(frag)
        if pre is None:
            other.append(frag)
        else:
            literal += pre
    alts = [r"\d{1,2}(?!\d)", r"(?:19|20)\d\d(?!\d)", _trie(literal)] + other
    if other:  # no literal prefix known for some pattern: no first-character test
        return "|".join(alts), ""
    firsts = [re.compile(re.escape(w[0]), re.I) for w in {w[:1] for w in literal} - {""}]
    never = [
        chr(c) for c in range(128) if not chr(c).isdigit() and not any(f.fullmatch(chr(c)) for f in firsts)
    ]
    return "|".join(alts), "(?=[^" + "".join(re.escape(c) for c in never) + "])" if never else ""


@lru_cache(maxsize=32)
def _available(lang: str) -> str:
    root = resources.files("fdiscope") / "data" / lang / "dates.yaml"
    return lang if root.is_file() else "en"


@lru_cache(maxsize=8)
def _compile(lang: str) -> _Lexicon:
    data = load_lexicon(lang, "dates")
    cs = bool(data.get("case_sensitive_names", False))
    months = {int(k): v for k, v in (data.get("months") or {}).items()}
    weekdays = {int(k): v for k, v in (data.get("weekdays") or {}).items()}
    full_months = [str(f) for v in months.values() for f in v.get("names") or []]
    abbr_months = [str(f) for v in months.values() for f in v.get("abbr") or []]
    full_days = [str(f) for v in weekdays.values() for f in v.get("names") or []]
    abbr_days = [str(f) for v in weekdays.values() for f in v.get("abbr") or []]
    relative = [r for r in data.get("relative") or [] if isinstance(r, dict) and r.get("re")]
    standalone = [str(r["re"]) for r in relative if r.get("standalone", True)]
    rel_years = [str(r["re"]) for r in relative if r.get("unit") == "year"]
    blockers = [str(b) for b in data.get("year_blockers") or []]
    year_suffix = str(data.get("year_suffix") or "")
    ordinals = [str(f) for v in (data.get("ordinals") or {}).values() for f in v]
    counts = [str(f) for v in (data.get("counts") or {}).values() for f in v]
    blocker = f"(?!\\s*{_alt(blockers)}{_NOT_LETTER_AFTER})" if blockers else ""
    prefixes = []
    for word in data.get("month_prefixes") or []:
        w = re.escape(str(word))
        prefixes.append(f"(?<=\\b{w}\\s)" if str(word)[-1:].isalpha() else f"(?<=\\b{w})")

    frag: dict[str, str] = {
        "day": r"(?<![\d.,:/])(?:0?[1-9]|[12]\d|3[01])(?!\d|[.,]\d)",
        "dd": r"(?<![\d.])(?:0?[1-9]|[12]\d|3[01])",
        "mm": r"(?:0?[1-9]|1[0-2])",
        "yyyy": r"(?:19|20)\d\d",
        "num": r"\d",
        "year": r"(?<![\d$€£¥№#.,])(?:19|20)\d\d(?![\d%]|[.,]\d)" + blocker + year_suffix + _NOT_LETTER_AFTER,
        "month": _names(full_months, cs),
        "mon": _names(full_months + [a + r"\.?" for a in abbr_months], cs),
        "weekday": _names(full_days, cs),
        "wkd": _names(full_days + [a + r"\.?" for a in abbr_days], cs),
        "wmod": _alt([str(k) for k in data.get("weekday_modifiers") or {}]) + _NOT_LETTER_AFTER,
        "mmod": _alt([str(k) for k in data.get("month_modifiers") or {}]) + _NOT_LETTER_AFTER,
        "ordinal": _alt(ordinals) + _NOT_LETTER_AFTER,
        "count": _alt(["1[0-2]", "[1-9]"] + counts) + r"(?!\d)" + _NOT_LETTER_AFTER,
        "season": _alt([str(s) for s in data.get("seasons") or []]) + _NOT_LETTER_AFTER,
        "rel": _alt(standalone) + _NOT_LETTER_AFTER,
        "relyear": _alt(rel_years) + _NOT_LETTER_AFTER,
    }
    frag["pre"] = "(?:" + "|".join(prefixes) + ")" if prefixes else "(?!)"

    tables = {
        "month": _table(
            [
                (str(f), int(k))
                for k, v in months.items()
                for f in (v.get("names") or []) + (v.get("abbr") or [])
            ]
        ),
        "weekday": _table(
            [
                (str(f), int(k))
                for k, v in weekdays.items()
                for f in (v.get("names") or []) + (v.get("abbr") or [])
            ]
        ),
        "wmod": _table([(str(k), int(v)) for k, v in (data.get("weekday_modifiers") or {}).items()]),
        "mmod": _table([(str(k), int(v)) for k, v in (data.get("month_modifiers") or {}).items()]),
        "ordinal": _table([(str(f), int(k)) for k, v in (data.get("ordinals") or {}).items() for f in v]),
        "count": _table([(str(f), int(k)) for k, v in (data.get("counts") or {}).items() for f in v]),
        "rel": _table(
            [(str(r["re"]), _Rel(str(r.get("unit", "day")), int(r.get("offset", 0)))) for r in relative]
        ),
        "relyear": _table(
            [(str(r["re"]), int(r.get("offset", 0))) for r in relative if r.get("unit") == "year"]
        ),
    }

    parts: list[tuple[str, str]] = []
    kinds: dict[str, str] = {}
    groups: dict[str, tuple[tuple[str, str], ...]] = {}
    for i, pat in enumerate(data.get("patterns") or []):
        name = f"p{i}"
        found: list[tuple[str, str]] = []

        def raw(m: re.Match[str], name: str = name, found: list[tuple[str, str]] = found) -> str:
            key = m.group(1) + m.group(2)
            found.append((f"{name}_{key}", key))
            return f"(?P<{name}_{key}>"

        def expand(m: re.Match[str], name: str = name, found: list[tuple[str, str]] = found) -> str:
            typ, suffix = m.group(1), m.group(2)
            if typ == "pre":
                return frag["pre"]
            if typ == "yearref":
                found.append((f"{name}_year{suffix}", f"year{suffix}"))
                found.append((f"{name}_relyear{suffix}", f"relyear{suffix}"))
                return (
                    f"(?:(?P<{name}_year{suffix}>{frag['year']})"
                    f"|(?P<{name}_relyear{suffix}>{frag['relyear']}))"
                )
            if typ not in frag:
                raise ValueError(f"unknown placeholder {{{typ}}} in dates.yaml for {lang!r}")
            found.append((f"{name}_{typ}{suffix}", f"{typ}{suffix}"))
            return f"(?P<{name}_{typ}{suffix}>{frag[typ]})"

        body = _PLACEHOLDER.sub(expand, _RAW_GROUP.sub(raw, str(pat["re"])))
        parts.append((_starts_with(str(pat["re"])), f"(?P<{name}>{body})"))
        kinds[name] = str(pat["kind"])
        groups[name] = tuple(found)

    # Every pattern starts with a short number or one of these words; scanning for them first (with
    # a trie of their literal prefixes) and trying the full expression only there keeps a
    # 2,000-character article well under a millisecond.
    starts = full_months + abbr_months + full_days + abbr_days + standalone
    for key in ("weekday_modifiers", "month_modifiers", "ordinals", "counts"):
        section = data.get(key) or {}
        if key.endswith("modifiers"):
            starts += [str(k) for k in section]
        else:
            starts += [str(f) for v in section.values() for f in v]
    starts += [str(s) for s in data.get("seasons") or []] + [str(t) for t in data.get("triggers") or []]
    body, first = _trigger_body(starts)
    trigger = re.compile(r"(?<!\w)(?=" + body + ")", re.I)
    edges = re.compile(_NON_WORD + first + r"(?<=\W)(?i:(?=" + body + "))")
    # a first-character test exists only when every start is a literal (or a number): the body is
    # then lower-case literals, white space and digits, and matches the lower-cased text as is
    edges_lower = re.compile(_NON_WORD + first + r"(?<=\W)(?=" + body + ")") if first else None

    labels = [str(x) for x in data.get("dateline_labels") or []]
    label = re.compile(r"\s*" + _alt(labels) + r"\s*[:\-–—|]?\s*", re.I) if labels else re.compile(r"(?!)")

    def union(kind: str, keep: Callable[[int], bool] = lambda i: True) -> re.Pattern[str]:
        body = "|".join(p for i, (start, p) in enumerate(parts) if start in (kind, "any") and keep(i))
        return re.compile(r"(?<!\w)(?:" + (body or "(?!)") + ")", re.I)

    # The full union is tried at every trigger position (~14 per English article) and each try
    # walks every alternative; a union of only the patterns that may start with the character at
    # hand fails far sooner.  A pattern is dropped for a character only when none of its possible
    # first characters matches it case-insensitively (as the regex engine decides); characters
    # not listed (other scripts, "ſ", the Kelvin sign ...) keep the full union.
    def words_of(frags: list[str]) -> frozenset[str] | None:
        sets = [_firsts(f, {}) for f in frags]
        return None if any(x is None for x in sets) else frozenset().union(*sets)  # type: ignore[arg-type]

    word_firsts: dict[str, frozenset[str] | None] = {
        "month": words_of(full_months),
        "mon": words_of(full_months + abbr_months),
        "weekday": words_of(full_days),
        "wkd": words_of(full_days + abbr_days),
        "wmod": words_of([str(k) for k in data.get("weekday_modifiers") or {}]),
        "mmod": words_of([str(k) for k in data.get("month_modifiers") or {}]),
        "ordinal": words_of(ordinals),
        "season": words_of([str(s) for s in data.get("seasons") or []]),
        "rel": words_of(standalone),
        "relyear": words_of(rel_years),
    }
    for typ in ("day", "dd", "mm", "yyyy", "year", "num"):
        word_firsts[typ] = _DIGITS
    for typ, extra in (("count", "count_words"), ("yearref", "relyear")):
        more = words_of(counts) if extra == "count_words" else word_firsts["relyear"]
        word_firsts[typ] = None if more is None else _DIGITS | more
    firsts = [_firsts(str(pat["re"]), word_firsts) for pat in data.get("patterns") or []]
    keys = {v for f in firsts if f is not None for c in f for v in (c, c.upper(), c.title()) if len(v) == 1}
    by_first: dict[str, re.Pattern[str]] = {}
    made: dict[tuple[str, frozenset[int]], re.Pattern[str]] = {}
    for ch in sorted(keys | set(_DIGITS)):
        kind = "digit" if ch.isdigit() else "word"
        can = frozenset(
            i
            for i, f in enumerate(firsts)
            if f is None or any(re.fullmatch(re.escape(c), ch, re.I) for c in f)
        )
        if (kind, can) not in made:
            made[kind, can] = union(kind, can.__contains__)
        by_first[ch] = made[kind, can]

    cues = [str(x) for x in data.get("future_cues") or []]
    future = re.compile(r"(?<!\w)" + _alt(cues) + r"(?!\w)", re.I) if cues else re.compile(r"(?!)")
    past = [str(x) for x in data.get("past_cues_before") or []]
    past_before = (
        re.compile(r"(?<!\w)" + _alt(past) + r"(?!\w)[^.,;:!?\n]{0,40}$", re.I)
        if past
        else re.compile(r"(?!)")
    )
    return _Lexicon(
        union("digit"),
        union("word"),
        by_first,
        trigger,
        edges,
        edges_lower,
        kinds,
        groups,
        tables,
        label,
        future,
        past_before,
    )


def _lexicon(lang: str | None) -> _Lexicon:
    code = (lang or "en").strip().lower()[:2] if isinstance(lang, str) else "en"
    if not code.isalpha():
        code = "en"
    return _compile(_available(code))


# --------------------------------------------------------------------------------------------
# Resolution


def _lookup(lex: _Lexicon, table: str, s: str) -> Any:
    if table == "count" and s.isdigit():
        return int(s)
    if table in ("month", "weekday"):
        s = s.rstrip(".")
    for pat, val in lex.tables[table]:
        if pat.fullmatch(s):
            return val
    raise _Skip(f"{s!r} is not in the {table} table")


def _need(base: _dt.date | None) -> _dt.date:
    if base is None:
        raise _Skip("relative expression without a base date")
    return base


def _year_of(lex: _Lexicon, g: dict[str, str], base: _dt.date | None, suffix: str = "") -> int | None:
    """The year of a {yearref}: digits, or a relative phrase resolved against ``base``."""
    if f"year{suffix}" in g:
        digits = re.search(r"\d{4}", g[f"year{suffix}"])
        return int(digits.group()) if digits else None
    if f"relyear{suffix}" in g:
        return _need(base).year + int(_lookup(lex, "relyear", g[f"relyear{suffix}"]))
    return None


def _month_of(lex: _Lexicon, g: dict[str, str], suffix: str = "") -> int | None:
    for key in (f"month{suffix}", f"mon{suffix}"):
        if key in g:
            return int(_lookup(lex, "month", g[key]))
    if f"mm{suffix}" in g:
        return int(g[f"mm{suffix}"])
    return None


#: How much further away the "wrong" side of the base date may be: a date in a sentence with no
#: future cue is taken from the past unless the future one is less than half as far away, and the
#: other way round when the sentence speaks of the future.
_SIDE_WEIGHT = 2


def _cost(delta: int, future: bool) -> tuple[int, bool]:
    """Ranking of a candidate ``delta`` units after (positive) or before (negative) the base."""
    ahead = delta > 0
    weight = _SIDE_WEIGHT if ahead != future and delta != 0 else 1
    return abs(delta) * weight, ahead != future


def _nearest_month_year(month: int, base: _dt.date, future: bool = False) -> int:
    """Year putting ``month`` nearest to the base month, leaning to the side the tense points to."""
    here = base.year * 12 + base.month
    return min((base.year - 1, base.year, base.year + 1), key=lambda y: _cost(y * 12 + month - here, future))


def _nearest_day(month: int, day: int, base: _dt.date, future: bool = False) -> _dt.date:
    best: _dt.date | None = None
    for y in (base.year - 1, base.year, base.year + 1):
        try:
            d = _dt.date(y, month, day)
        except ValueError:
            continue
        if best is None or _cost((d - base).days, future) < _cost((best - base).days, future):
            best = d
    if best is None:
        raise _Skip("no valid year for this day")
    return best


def _speaks_of_future(lex: _Lexicon, text: str, start: int, end: int) -> bool:
    """Whether the sentence around ``text[start:end]`` has a future cue ("will", «будет»)."""
    left = max(text.rfind(c, max(0, start - 300), start) for c in ".!?\n") + 1
    rights = [i for i in (text.find(c, end, end + 300) for c in ".!?\n") if i >= 0]
    right = min(rights) if rights else min(len(text), end + 300)
    if lex.past_before.search(text, max(left, start - 80), start) is not None:
        return False
    return lex.future.search(text, left, right) is not None


def _period_year(start_month: int, base: _dt.date, end_month: int | None = None) -> int:
    """A period without a year: the base year's if it has begun by the base month, else the year
    before; a period reported as past (``end_month`` given) must also have ended by the base month
    ("January-November" in a February article is last year's)."""
    last = start_month if end_month is None else end_month
    return base.year if last <= base.month else base.year - 1


def _span(year: int, m1: int, m2: int, relative: bool) -> DateValue:
    if not (1 <= m1 <= m2 <= 12):
        raise _Skip("bad month range")
    if (m1, m2) == (1, 12):
        return DateValue(f"{year:04d}", "year", relative)
    if m1 == m2:
        return DateValue(f"{year:04d}-{m1:02d}", "month", relative)
    if (m1, m2) in _QUARTERS:
        return DateValue(f"{year:04d}-Q{_QUARTERS[(m1, m2)]}", "quarter", relative)
    if (m1, m2) in _HALVES:
        return DateValue(f"{year:04d}-H{_HALVES[(m1, m2)]}", "half", relative)
    return DateValue(f"{year:04d}-{m1:02d}/{year:04d}-{m2:02d}", "range", relative)


def _add_months(d: _dt.date, n: int) -> tuple[int, int]:
    k = d.year * 12 + d.month - 1 + n
    return k // 12, k % 12 + 1


def _resolve(
    lex: _Lexicon, kind: str, g: dict[str, str], base: _dt.date | None, future: Callable[[], bool]
) -> DateValue:
    """Turn the groups of one match into a value; ``future()`` tells whether the sentence speaks of it."""
    relative = any(k.startswith("relyear") for k in g)
    if kind == "date":
        day = int(g.get("day") or g.get("dd") or 0)
        month = _month_of(lex, g)
        if month is None:
            raise _Skip("no month")
        year = int(g["yyyy"]) if "yyyy" in g else _year_of(lex, g, base)
        if year is None:
            d = _nearest_day(month, day, _need(base), future())
            relative = True
        else:
            try:
                d = _dt.date(year, month, day)
            except ValueError as exc:
                raise _Skip(str(exc)) from exc
        return DateValue(d.isoformat(), "day", relative)
    if kind == "dom":
        # a day of the month with no month ("17-го числа"): that day of the base month or a
        # neighbouring one, nearest the base on the side the sentence's tense points to
        day, b, best = int(g["day"]), _need(base), None
        for off in (-1, 0, 1):
            y, m = _add_months(b, off)
            try:
                d = _dt.date(y, m, day)
            except ValueError:
                continue
            if best is None or _cost((d - b).days, future()) < _cost((best - b).days, future()):
                best = d
        if best is None:
            raise _Skip("no valid month for this day")
        return DateValue(best.isoformat(), "day", True)
    if kind == "month":
        month = _month_of(lex, g)
        if month is None:
            raise _Skip("no month")
        year = _year_of(lex, g, base)
        if year is None:
            b = _need(base)
            relative = True
            if "mmod" in g:
                mod = int(_lookup(lex, "mmod", g["mmod"]))
                if mod < 0:
                    year = b.year if month < b.month else b.year - 1
                elif mod > 0:
                    year = b.year if month > b.month else b.year + 1
                else:
                    year = b.year
            else:
                year = _nearest_month_year(month, b, future())
        return DateValue(f"{year:04d}-{month:02d}", "month", relative)
    if kind == "year":
        year = _year_of(lex, g, base)
        if year is None:
            raise _Skip("no year")
        return DateValue(f"{year:04d}", "year", relative)
    if kind == "rel":
        rel: _Rel = _lookup(lex, "rel", g["rel"])
        b = _need(base)
        if rel.unit == "day":
            return DateValue((b + _dt.timedelta(days=rel.offset)).isoformat(), "day", True)
        if rel.unit == "week":
            d = b + _dt.timedelta(days=7 * rel.offset)
            return DateValue(f"{d.year:04d}-{d.month:02d}", "month", True)
        if rel.unit == "month":
            y, m = _add_months(b, rel.offset)
            return DateValue(f"{y:04d}-{m:02d}", "month", True)
        return DateValue(f"{b.year + rel.offset:04d}", "year", True)
    if kind == "weekday":
        target = int(_lookup(lex, "weekday", g["weekday"]))
        b = _need(base)
        wmod: int | None = int(_lookup(lex, "wmod", g["wmod"])) if "wmod" in g else None
        back = (b.weekday() - target) % 7
        ahead = (target - b.weekday()) % 7
        if wmod is None:
            # "on Thursday" is the last one, or the next one in a sentence about the future
            # ("the delegation will visit the plant on Friday"); the base day itself either way
            delta = ahead if back and future() else -back
        elif wmod < 0:
            delta = -(back or 7)
        elif wmod > 0:
            delta = ahead or 7
        else:
            delta = ahead if ahead <= back else -back
        return DateValue((b + _dt.timedelta(days=delta)).isoformat(), "day", True)
    if kind in ("half", "quarter"):
        n = int(g["num"]) if "num" in g else int(_lookup(lex, "ordinal", g["ordinal"]))
        if kind == "half" and n not in (1, 2) or kind == "quarter" and not 1 <= n <= 4:
            raise _Skip("bad period number")
        start = (n - 1) * (6 if kind == "half" else 3) + 1
        year = _year_of(lex, g, base)
        if year is None:
            year = _period_year(
                start, _need(base), None if future() else start + (5 if kind == "half" else 2)
            )
            relative = True
        letter = "H" if kind == "half" else "Q"
        return DateValue(f"{year:04d}-{letter}{n}", kind, relative)
    if kind == "mrange":
        m1, m2 = _month_of(lex, g), _month_of(lex, g, "2")
        if m1 is None or m2 is None:
            raise _Skip("no months")
        y1, y2 = _year_of(lex, g, base), _year_of(lex, g, base, "2")
        if y1 is not None and y2 is not None and y1 != y2:
            if (y1, m1) >= (y2, m2):
                raise _Skip("backwards range")
            return DateValue(f"{y1:04d}-{m1:02d}/{y2:04d}-{m2:02d}", "range", relative)
        if y1 is None:
            y1 = _period_year(m1, _need(base), None if future() else m2)
            relative = True
        return _span(y1, m1, m2, relative)
    if kind == "firstn":
        n = int(_lookup(lex, "count", g["count"]))
        year = _year_of(lex, g, base)
        if year is None:
            year = _period_year(1, _need(base), None if future() else n)
            relative = True
        return _span(year, 1, n, relative)
    raise _Skip(f"unknown kind {kind!r}")


def _as_date(base: Any) -> _dt.date | None:
    if isinstance(base, _dt.datetime):
        return base.date()
    if isinstance(base, _dt.date):
        return base
    return None


# --------------------------------------------------------------------------------------------
# Public API


#: Characters outside the ranges where ``str.lower`` agrees with how a case-insensitive regex
#: compares letters: ASCII, Latin-1 but "µ" (a regex also matches it to Greek "μ"), Cyrillic,
#: general punctuation, currency signs and "№".  In those ranges a character lower-cases to one
#: character, and to a lower-case letter exactly when a case-insensitive regex matches it to
#: that letter (tests/test_dates_trigger.py checks every one of them against every trigger
#: letter); "İ", the Kelvin sign, "ſ", "ı", the Cyrillic letter variants (U+1C80...) and the
#: like lie outside them.
_NOT_PLAIN = re.compile("[^\x00-\xb4\xb6-\xff\u0400-\u04ff\u2000-\u206f\u20a0-\u20cf\u2116]")


def _trigger_positions(lex: _Lexicon, text: str) -> Iterator[int]:
    """The positions where ``lex.trigger`` matches, in order: offset 0, then the ends of ``lex.edges``.

    A case-insensitive lookahead at every white space costs most of the scan; when the text has
    only plain characters (:data:`_NOT_PLAIN`), the same positions come from the case-sensitive
    ``lex.edges_lower`` on the lower-cased text, which keeps every offset.
    """
    if lex.edges_lower is not None and (text.isascii() or _NOT_PLAIN.search(text) is None):
        edges = lex.edges_lower.finditer(text.lower())
    else:
        edges = lex.edges.finditer(text)
    # ``map`` over the unbound method reads the ends in C, with no generator frame per position
    ends = map(re.Match.end, edges)
    return chain((0,), ends) if lex.trigger.match(text) is not None else ends


def trigger_starts(text: str, lang: str = "en") -> list[int]:
    """The positions of ``text`` where a date pattern may start, in order.

    One scan of the document serves both :func:`find_published` and :func:`find_dates`
    (their ``starts=`` argument): the pipeline reads the text once instead of twice.
    """
    return list(_trigger_positions(_lexicon(lang), text))


def find_dates(
    text: str, lang: str = "en", base: _dt.date | None = None, starts: list[int] | None = None
) -> list[Mention]:
    """Find dates (label ``DATE``) and periods (label ``PERIOD``) in ``text``.

    Relative expressions are resolved against ``base`` only; with ``base=None`` they are left
    out.  Offsets are character offsets into ``text``; matches never overlap.  ``starts``, when
    given, is :func:`trigger_starts` of the same text and language (else it is computed here).

    >>> [(m.text, m.value.iso) for m in find_dates("Trade grew in the first half of 2014.", "en")]
    [('first half of 2014', '2014-H1')]
    >>> [(m.text, m.value.iso) for m in find_dates("Форум прошёл 28 октября.", "ru", _dt.date(2024, 11, 2))]
    [('28 октября', '2024-10-28')]
    """
    if not isinstance(text, str) or not text:
        return []
    lex = _lexicon(lang)
    return _scan(lex, text, _trigger_positions(lex, text) if starts is None else starts, _as_date(base))


def _scan(lex: _Lexicon, text: str, starts: Iterable[int], day0: _dt.date | None) -> list[Mention]:
    """The dates and periods of ``text`` tried at ``starts`` (sorted; the trigger positions).

    Extra positions where no pattern can match change nothing: a failed try is skipped.
    """
    out: list[Mention] = []
    done = 0
    for start in starts:
        if start < done:
            continue
        first = text[start]
        regex = lex.by_first.get(first) or (lex.digit_regex if first.isdigit() else lex.word_regex)
        m = regex.match(text, start)
        if m is None:
            continue
        done = m.end()
        name = m.lastgroup
        if name is None or name not in lex.kinds:
            continue
        g = {key: m.group(full) for full, key in lex.groups[name] if m.group(full) is not None}
        kind = lex.kinds[name]
        try:
            value = _resolve(lex, kind, g, day0, partial(_speaks_of_future, lex, text, m.start(), m.end()))
        except (_Skip, ValueError, OverflowError):
            continue
        label = PERIOD if kind in _PERIOD_KINDS else DATE
        out.append(Mention(m.start(), m.end(), label, value, m.group()))
    return out


_HEAD_CHARS = 300
_HEAD_LINES = 6
_HEAD_SPLIT = 4096
_PUNCT = r"[\s,;:|/•·—–\-()\[\]]*"
_TIME = r"(?:\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:[AaPp]\.?[Mm]\.?|GMT|UTC|МСК|MSK))?)?"
_TRIVIAL = re.compile(_PUNCT + _TIME + _PUNCT)
_SEPARATOR = re.compile(r"\s*[|/•·—–\-]")
_NUMERIC_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{4}")
_WORD = re.compile(r"[^\W\d_][\w'’.&-]*")


def _byline(before: str) -> bool:
    """A short source/author lead such as "Xinhua," or "By Li Wei |" before a date.

    At most eight words, at most one of them in lower case, ending in a separator.
    """
    s = before.strip()
    if not s or s[-1] not in ",|/•·—–-:" or len(s) > 60:
        return False
    words = _WORD.findall(s)
    return 0 < len(words) <= 8 and sum(not w[0].isupper() for w in words) <= 1


def find_published(text: str, lang: str = "en", starts: list[int] | None = None) -> Mention | None:
    """The article's own date line or stamp near the top, as a day-precision ``DATE`` mention.

    Looks at the first six non-empty lines starting within the first ~300 characters.  A line
    qualifies when it starts with the date (after an optional label such as "Published:"), and the
    rest of the line is empty, a time, or a separator — or the date is a numeric stamp
    ("2015-07-18 12:16Xinhua ...") — or when a short byline ("Xinhua, ") precedes it.  A date
    inside a running sentence is an event date, not the publication date.

    >>> find_published("2015-07-18 12:16\\nLifan opens a plant", "en").value.iso
    '2015-07-18'
    >>> find_published("On October 11, 2014, the ministry said so.", "en") is None
    True

    ``starts``, when given, is :func:`trigger_starts` of the whole text: the positions the head
    lines need are among them (see below), so the head is not scanned a second time.
    """
    if not isinstance(text, str) or not text:
        return None
    lex = _lexicon(lang)
    seen = 0
    pos = 0
    # only lines starting in the first ~300 characters count: split a head of the text, unless a
    # line that counts runs past that head (then its whole length is needed)
    head = text[:_HEAD_SPLIT]
    lines = head.splitlines(keepends=True)
    if len(head) < len(text) and lines and len(head) - len(lines[-1]) <= _HEAD_CHARS:
        lines = text.splitlines(keepends=True)
    heads: list[tuple[int, str]] = []  # (offset, body) of the lines that count
    for line in lines:
        ls, pos = pos, pos + len(line)
        if ls > _HEAD_CHARS:
            break
        body = line.rstrip("\r\n")
        if not body.strip():
            continue
        seen += 1
        if seen > _HEAD_LINES:
            break
        heads.append((ls, body))
    # The trigger positions of the head lines come from one scan of the text up to the end of the
    # last line read whole, not one scan per line: a position of a line is one of the text (its
    # start follows a line break, a non-word character; a lookahead sees the same characters and
    # then a line break, where a line ends the string), and a position of the text that is none
    # of the line's (a lookahead reaching into the next line) is a failed try, as no pattern can
    # match where the line's trigger cannot.  A line cut at its head length reads as before.
    # The positions of the whole text serve as well: within a head line they are those of the
    # scanned head, plus at most failed tries (a lookahead that reads past the head's end only
    # finds more characters, no fewer, as "\s+" running on past a line break; a number at a
    # line's end is followed by the line break in both).
    whole = [ls + len(body) for ls, body in heads if len(body) <= _HEAD_CHARS + 100]
    if not whole:
        shared: list[int] = []
    elif starts is not None:
        shared = starts
    else:
        shared = list(_trigger_positions(lex, text[: max(whole) + 1]))
    for ls, body in heads:
        if len(body) <= _HEAD_CHARS + 100:
            i, j = bisect_left(shared, ls), bisect_left(shared, ls + len(body))
            found = _scan(lex, body, [p - ls for p in shared[i:j]], None)
        else:
            found = find_dates(body[: _HEAD_CHARS + 100], lang, None)
        for m in found:
            v = m.value
            if v.precision != "day" or v.relative:
                continue
            before, after = body[: m.start], body[m.end :]
            lead_ok = not before.strip() or bool(lex.label.fullmatch(before))
            tail_ok = bool(_TRIVIAL.fullmatch(after)) or bool(_SEPARATOR.match(after))
            if lead_ok and (tail_ok or _NUMERIC_STAMP.match(m.text)):
                return Mention(ls + m.start, ls + m.end, DATE, DateValue(v.iso[:10], "day", False), m.text)
            if _byline(before) and tail_ok:
                return Mention(ls + m.start, ls + m.end, DATE, DateValue(v.iso[:10], "day", False), m.text)
    return None
