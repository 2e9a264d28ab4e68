"""Numbers, percentages, growth multiples and job counts in English and Russian text.

All language-specific words (spelled-out numbers, scale words, approximation words, percent
words, multiple words, job nouns and employment verbs) live in
``fdiscope/data/<lang>/numbers.yaml``; this module only knows the structure of the phrases.
Every regular expression is compiled once, at import, for each language that has data; an
unknown language falls back to English.

Finders return :class:`~fdiscope.model.Mention` objects whose ``text`` is exactly
``text[start:end]``.  Approximation words ("about", "около") are never inside a span.
No function here raises on odd input: parsers return ``None`` and finders return ``[]``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..model import Mention

__all__ = [
    "LANGS",
    "DIGITS",
    "parse_number",
    "parse_digits",
    "parse_with",
    "find_percents",
    "find_multiples",
    "find_jobs",
    "load_data",
    "number_pattern",
    "alternation",
    "EndMatcher",
    "resolve_overlaps",
    "lexicon",
    "Lexicon",
    "fold",
    "lower_text",
    "is_year_like",
    "FigureText",
    "prepare",
    "view",
    "matches_at",
]

log = logging.getLogger(__name__)

#: Languages that ship number data; anything else is read with the English data.
LANGS: tuple[str, ...] = ("en", "ru")

_WS = "\u00a0\u202f\u2009\u2007"
#: Whitespace, including the non-breaking and thin spaces used as thousands separators.
S = rf"[\s{_WS}]"
#: A figure written with digits: "1,000", "48 892 000", "1.844.036.360,12", "17.75".
DIGITS = (
    r"(?<!\d)(?<!\d[.,])"
    rf"(?:\d{{1,3}}(?:[ {_WS}]\d{{3}})+(?:[.,]\d+)?(?![.,]?\d)"
    r"|\d+(?:[.,]\d+)*)"
)
#: Not followed by a letter (a right word boundary that also works after "руб.").
NOT_LETTER = r"(?![^\W\d_])"
#: Not preceded by a letter.
NO_LETTER_BEFORE = r"(?<![^\W\d_])"
_DASH = "[-\u2010\u2011\u2012\u2013\u2014\u2212]"

_DIGITS_RE = re.compile(DIGITS)
#: The first digit of a run of digits.  The pattern starts with a character class of two ranges,
#: so the regex engine skips to the next candidate in C instead of trying a match at every
#: position; the class holds every decimal digit (none lies between "9" and U+0660: a test
#: checks it), and ``(?<=\d)`` drops the other characters above U+0660 (quotes, dashes).
_DIGIT_RUN = re.compile(r"[0-9\u0660-\U0010ffff](?<=\d)(?<!\d\d)")
#: A character before which a spelled-out number may start.  Every non-letter is in this class
#: (it also holds letters of other scripts, which only costs a failed try); the class is plain
#: ranges, cheap to test at every position, unlike a lookbehind on ``[^\W\d_]``.
_EDGE = "[^a-z\u0430-\u044f]"
_TOKEN_RE = re.compile(rf"(?P<d>{DIGITS})|(?P<w>[^\W\d_]+(?:'[^\W\d_]+)?)|(?P<sep>(?:{S}|{_DASH}|\.)+)")
_YEAR_RE = re.compile(r"(?:1[89]|20)\d\d")


def load_data(lang: str, name: str) -> dict[str, Any]:
    """Read ``data/<lang>/<name>.yaml`` from the package; ``{}`` if it is missing or broken."""
    try:
        res = resources.files("fdiscope").joinpath("data", lang, f"{name}.yaml")
        data = yaml.safe_load(res.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, ValueError) as exc:
        log.warning("cannot read data/%s/%s.yaml: %s", lang, name, exc)
        return {}
    return data if isinstance(data, dict) else {}


def fold(s: str) -> str:
    """Lower-case, read "ё" as "е" and collapse whitespace (the key form of every lexicon)."""
    return re.sub(rf"{S}+", " ", s.lower().replace("ё", "е")).strip()


def lower_text(text: str) -> str:
    """Lower-case ``text`` and read "ё" as "е", keeping every character at its offset.

    Patterns run on this copy without ``re.IGNORECASE``, which is ten times faster.

    >>> lower_text("Около ЧЕТЫРЁХ")
    'около четырех'
    """
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two ("İ")
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.replace("ё", "е")


def _form_regex(form: str) -> str:
    """Regex for one lexicon form, matched against :func:`lower_text`; whitespace-tolerant."""
    out: list[str] = []
    parts = re.split(r"(\s+)", fold(form))
    for i, part in enumerate(parts):
        if not part:
            continue
        if part.isspace():
            prev = parts[i - 1] if i else ""
            out.append(f"{S}*" if prev.endswith(".") else f"{S}+")
            continue
        out.append(re.escape(part))
    return "".join(out)


def alternation(forms: Iterable[str], *, boundary: bool = True) -> str:
    """A non-capturing alternation of lexicon forms, longest first.

    With ``boundary`` a form that ends in a letter or digit may not be followed by a letter.

    The forms are grouped by their first character ("b(?:illion|n)"): at a position the
    regex engine then rejects each group on one character compare, instead of trying every
    form.  Forms that start with different characters cannot both match at one position, so
    the grouping finds what the flat longest-first alternation finds (each group keeps the
    order of its forms).

    >>> alternation(["bn", "billion"])
    '(?:b(?:illion(?![^\\\\W\\\\d_])|n(?![^\\\\W\\\\d_])))'
    """
    uniq = sorted({fold(str(f)) for f in forms if str(f).strip()}, key=lambda f: (-len(f), f))
    if not uniq:
        return "(?!)"
    alts = []
    for f in uniq:
        rx = _form_regex(f)
        if boundary and f[-1].isalnum():
            rx += NOT_LETTER
        head = re.escape(f[0])  # re.escape works character by character: rx starts with it
        alts.append((head, rx[len(head) :]))
    return "(?:" + _by_first(alts) + ")"


def _by_first(alts: list[tuple[str, str]]) -> str:
    """The alternation of ``head + rest`` for each pair, alternatives sharing a head (one
    literal character, escaped) grouped under it, in their order: "b(?:illion|n)|m(?:ln|n)".

    The same matches as the flat alternation: at one position only the alternatives whose
    head is the character there can match, and those are tried in their order; but the
    regex engine skips a whole group on one compare instead of trying each alternative.
    """
    groups: dict[str, list[str]] = {}
    for head, rest in alts:
        groups.setdefault(head, []).append(rest)
    return "|".join(
        head + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")")
        for head, rests in groups.items()
    )


class EndMatcher:
    """Tells whether one of a set of forms ends right before a position (whitespace allowed).

    It matches a reversed regex against the reversed few characters before the position,
    which is much cheaper than searching forward for a form anchored at the end.

    >>> EndMatcher(["more than", "about"]).start_before("it cost more than  5", 19)
    8
    """

    __slots__ = ("_rx", "_window")

    def __init__(self, forms: Iterable[str], *, fold_case: bool = True, window: int = 40) -> None:
        alts = []
        for f in sorted({fold(str(f)) if fold_case else str(f).strip() for f in forms} - {""}, key=len)[::-1]:
            # the form's last character (never a space: the form is stripped), then the rest reversed
            rest = "".join(f"{S}+" if ch == " " else re.escape(ch) for ch in f[-2::-1])
            if f[0].isalnum():
                rest += NOT_LETTER
            alts.append((re.escape(f[-1]), rest))
        self._rx = re.compile(rf"{S}*(?:{_by_first(alts) or '(?!)'})")
        self._window = window

    def start_before(self, s: str, pos: int) -> int | None:
        """Start offset of the form that ends (modulo whitespace) at ``pos`` in ``s``, else ``None``."""
        lo = max(0, pos - self._window)
        m = self._rx.match(s[lo:pos][::-1])
        return pos - m.end() if m else None


def resolve_overlaps(mentions: Iterable[Mention]) -> list[Mention]:
    """Keep the earliest, then longest, of overlapping mentions; return them in text order."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if not out or m.start >= out[-1].end:
            out.append(m)
    return out


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Number words and compiled patterns of one language."""

    lang: str
    decimal_comma: bool
    units: Mapping[str, float]
    multipliers: Mapping[str, float]
    scales: Mapping[str, float]
    scales_attached: Mapping[str, float]
    scale_abbreviations: frozenset[str]
    articles: frozenset[str]
    connectors: frozenset[str]
    year_prepositions: frozenset[str]
    gate: str  # lookahead on the first character of any number, a cheap pre-check
    word_number: str  # regex source of a spelled-out number
    number: str  # regex source of any number (digits or words), group-free
    scale: str  # regex source of a scale word after a figure
    approx: str  # regex source of an approximation word or phrase
    approx_before: EndMatcher  # an approximation word right before a position
    approx_start: re.Pattern[str]  # approximation words at the start of a string
    data: Mapping[str, Any]
    word_starts: re.Pattern[str]  # a non-letter right before the first word of a spelled-out number


def _num_map(raw: Any) -> dict[str, float]:
    """A {form: number} mapping from YAML, keys folded, bad entries dropped."""
    out: dict[str, float] = {}
    if isinstance(raw, dict):
        for k, v in raw.items():
            try:
                out[fold(str(k))] = float(v)
            except (TypeError, ValueError):
                log.warning("ignoring non-numeric lexicon entry %r: %r", k, v)
    return out


def _str_list(raw: Any) -> list[str]:
    """A list of strings from YAML (``None`` -> ``[]``)."""
    return [str(x) for x in raw] if isinstance(raw, list) else []


def _first_tokens(forms: Iterable[str]) -> tuple[str, ...]:
    """The first words of lexicon forms, without those that another one is a prefix of.

    Every match of one of the forms starts with one of these literally, in lower-cased text.
    """
    firsts = {fold(str(f)).split(" ")[0] for f in forms} - {""}
    return tuple(sorted(f for f in firsts if not any(g != f and f.startswith(g) for g in firsts)))


def _start_scan(words: Iterable[str], articles: Iterable[str], scales: Iterable[str]) -> re.Pattern[str]:
    """A regex whose matches end where a spelled-out number may start.

    It consumes the non-letter before a number word (or before an article followed by a scale
    word, "a billion"); the word itself is checked in a lookahead on its first letters.  A number
    at the very start of the text has no such character: callers add offset 0 themselves.
    """
    rests: dict[str, set[str]] = {}
    for w in _first_tokens(words):
        rests.setdefault(w[0], set()).add(re.escape(w[1:]))
    scale_alt = "|".join(re.escape(t) for t in _first_tokens(scales)) or "(?!)"
    for a in {fold(str(a)) for a in articles} - {""}:  # all of them: "an" is not "a" and a space
        rests.setdefault(a[0], set()).add(rf"{re.escape(a[1:])}{S}+(?:{scale_alt})")
    if not rests:
        return re.compile("(?!)")
    alts = [
        re.escape(c) + "(?:" + "|".join(sorted(rs, key=lambda r: (-len(r), r))) + ")"
        for c, rs in sorted(rests.items())
    ]
    return re.compile(_EDGE + "(?=" + "|".join(alts) + ")")


def _build_lexicon(lang: str) -> Lexicon:
    """Load ``numbers.yaml`` of a language and compile its patterns."""
    data = load_data(lang, "numbers")
    units = _num_map(data.get("units"))
    multipliers = _num_map(data.get("multipliers"))
    scales = _num_map(data.get("scales"))
    attached = _num_map(data.get("scales_attached"))
    articles = [fold(a) for a in _str_list(data.get("articles"))]
    connectors = [fold(c) for c in _str_list(data.get("connectors"))]
    words = alternation([*units, *multipliers, *scales], boundary=True)
    scale_words = alternation(scales, boundary=True)
    seps = (
        [f"{S}+{alternation(connectors)}{S}+{alternation(articles)}{S}+"] if connectors and articles else []
    )
    if connectors:
        seps.append(f"{S}+{alternation(connectors)}{S}+")
    if articles:
        seps.append(f"{S}+{alternation(articles)}{S}+")
    seps += [f"{S}+", "-"]
    sep = "(?:" + "|".join(seps) + ")"
    lead = f"(?:{alternation(articles)}{S}+(?={scale_words}))?" if articles else ""
    word_number = rf"{NO_LETTER_BEFORE}{lead}{words}(?:{sep}{words})*"
    # a cheap first-character gate lets the regex engine skip most positions
    first = "".join(sorted({w[0] for w in [*units, *multipliers, *scales, *articles] if w}))
    gate = "(?=[\\d" + re.escape(first).replace("\\-", "-").replace("-", "\\-") + "])"
    approx_forms = _str_list(data.get("approx"))
    approx = alternation(approx_forms)
    return Lexicon(
        lang=lang,
        decimal_comma=bool(data.get("decimal_comma", False)),
        units=units,
        multipliers=multipliers,
        scales=scales,
        scales_attached=attached,
        scale_abbreviations=frozenset(fold(s) for s in _str_list(data.get("scale_abbreviations"))),
        articles=frozenset(articles),
        connectors=frozenset(connectors),
        year_prepositions=frozenset(fold(w) for w in _str_list(data.get("year_prepositions"))),
        gate=gate,
        word_number=word_number,
        number=rf"\b{gate}(?:(?=\d){DIGITS}|{word_number})",
        scale=scale_words,
        approx=approx,
        approx_before=EndMatcher(approx_forms),
        approx_start=re.compile(rf"\A{S}*(?:{approx}{S}*)+"),
        data=data,
        word_starts=_start_scan([*units, *multipliers, *scales], articles, scales),
    )


_LEXICONS: dict[str, Lexicon] = {lang: _build_lexicon(lang) for lang in LANGS}


def lexicon(lang: str | None) -> Lexicon:
    """The lexicon of a language code ("en", "ru", "ru-RU"); English for anything unknown."""
    key = (lang or "en").lower()[:2]
    return _LEXICONS.get(key) or _LEXICONS["en"]


def number_pattern(lang: str | None) -> str:
    """Regex source (no groups) matching a number written with digits or words in ``lang``."""
    return lexicon(lang).number


# --------------------------------------------------------------------------- one document


class FigureText:
    """One document's text as the figure finders read it, prepared once and shared by them.

    The finders of money, percentages, multiples and jobs all run on the lower-cased text and
    all start most of their patterns at a number; both are computed on first use and kept here
    for the one document only (see :func:`prepare`).
    """

    __slots__ = ("text", "lex", "_low", "_starts")

    def __init__(self, text: str, lang: str | None) -> None:
        self.text = text
        self.lex = lexicon(lang)
        self._low: str | None = None
        self._starts: list[int] | None = None

    @property
    def low(self) -> str:
        """:func:`lower_text` of the text."""
        if self._low is None:
            self._low = lower_text(self.text)
        return self._low

    @property
    def number_starts(self) -> list[int]:
        """Sorted offsets in :attr:`low` where a number may start, written with digits or words.

        A superset: every match of :attr:`Lexicon.number`, and of the money pattern's figure,
        starts at one of them (the first digit of a run, or a number word or article after a
        non-letter, or offset 0); a pattern is then tried only there (see :func:`matches_at`).
        """
        if self._starts is None:
            low = self.low
            # ``map`` over the unbound methods runs in C, with no Python frame per match
            found = {0}
            found.update(map(re.Match.start, _DIGIT_RUN.finditer(low)))
            found.update(map(re.Match.end, self.lex.word_starts.finditer(low)))
            self._starts = sorted(found)
        return self._starts


def prepare(text: str, lang: str | None) -> FigureText:
    """The shared view of one document's text for the figure finders (``prepared=`` argument)."""
    return FigureText(text, lang)


def view(text: str, lang: str | None, prepared: FigureText | None) -> FigureText:
    """``prepared`` when it is the view of ``text`` in ``lang``, else a fresh one."""
    if prepared is None or prepared.lex is not lexicon(lang):
        return FigureText(text, lang)
    if prepared.text is text or prepared.text == text:
        return prepared
    return FigureText(text, lang)


def matches_at(rx: re.Pattern[str], s: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """What ``rx.finditer(s)`` finds, trying a match only at ``starts``.

    The same matches whenever ``starts`` is sorted and holds every offset where ``rx`` can
    match, and ``rx`` never matches the empty string: finditer takes the leftmost match, then
    searches on from its end.  Lookbehinds and ``\\b`` still see the text before an offset.
    """
    end = 0
    for p in starts:
        if p >= end:
            m = rx.match(s, p)
            if m is not None:
                yield m
                end = m.end()


def _occurrences(s: str, tokens: Iterable[str]) -> list[int]:
    """Sorted offsets where one of ``tokens`` occurs in ``s`` (none a prefix of another)."""
    out: list[int] = []
    for t in tokens:
        i = s.find(t)
        while i >= 0:
            out.append(i)
            i = s.find(t, i + 1)
    out.sort()
    return out


# --------------------------------------------------------------------------- parsing numbers


def parse_digits(tok: str, decimal_comma: bool, scaled: bool = False) -> float | None:
    """Value of a digit string, reading "." and "," as the language and context suggest.

    ``scaled`` means a scale word follows ("13.503 billion"), where a lone dot is a decimal point.

    >>> parse_digits("1.844.036.360,12", True)
    1844036360.12
    >>> parse_digits("60.000", False), parse_digits("13.503", False), parse_digits("1,5", True)
    (60000.0, 13.503, 1.5)
    """
    t = re.sub(rf"[\s{_WS}]", "", tok)
    if not re.fullmatch(r"\d+(?:[.,]\d+)*", t):
        return None
    dots, commas = t.count("."), t.count(",")
    if dots and commas:
        dec = "." if t.rfind(".") > t.rfind(",") else ","
        thou = "," if dec == "." else "."
        if t.count(dec) > 1:
            return None
        whole, frac = t.split(dec)
        groups = whole.split(thou)
        if any(len(g) != 3 for g in groups[1:]) or not 1 <= len(groups[0]) <= 3:
            return None
        return float("".join(groups) + "." + frac)
    if dots + commas > 1:
        sep = "." if dots else ","
        groups = t.split(sep)
        if any(len(g) != 3 for g in groups[1:]) or not 1 <= len(groups[0]) <= 3:
            return None  # a date such as 16.09.2013 or a version number
        return float("".join(groups))
    if dots + commas == 0:
        return float(t)
    sep = "." if dots else ","
    whole, frac = t.split(sep)
    thousands: bool
    if sep == "." and scaled:
        thousands = False
    elif len(frac) == 3 and frac == "000" and whole != "0":
        thousands = True
    elif sep == ",":
        thousands = not decimal_comma and len(frac) == 3
    else:  # a lone dot: decimal in English, a thousands point in Russian before 3 digits
        thousands = decimal_comma and len(frac) == 3 and whole != "0"
    return float(whole + frac) if thousands else float(whole + "." + frac)


def parse_with(s: str, lex: Lexicon) -> float | None:
    """Parse a number phrase with a given lexicon (see :func:`parse_number`); may raise ValueError."""
    s = lex.approx_start.sub("", lower_text(s.strip()))
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(s):
        m = _TOKEN_RE.match(s, pos)
        if not m or m.end() == pos:
            return None
        pos = m.end()
        if m.group("d"):
            tokens.append(("d", m.group("d")))
        elif m.group("w"):
            tokens.append(("w", fold(m.group("w"))))
    total = current = 0.0
    seen = False
    for i, (kind, tok) in enumerate(tokens):
        if kind == "d":
            nxt = tokens[i + 1][1] if i + 1 < len(tokens) else ""
            scaled = nxt in lex.scales or nxt in lex.scales_attached
            v = parse_digits(tok, lex.decimal_comma, scaled)
            if v is None:
                return None
            current += v
            seen = True
        elif tok in lex.articles:
            continue
        elif tok in lex.connectors:
            continue
        elif tok in lex.units:
            current += lex.units[tok]
            seen = True
        elif tok in lex.multipliers:
            current = (current or 1.0) * lex.multipliers[tok]
            seen = True
        elif tok in lex.scales or (tok in lex.scales_attached and i > 0 and tokens[i - 1][0] == "d"):
            mult = lex.scales.get(tok) or lex.scales_attached[tok]
            total += (current or 1.0) * mult
            current = 0.0
            seen = True
        else:
            return None
    return total + current if seen else None


def parse_number(s: str, lang: str) -> float | None:
    """Read a number written with digits, words or both.

    Handles thousands separators (",", ".", spaces incl. NBSP and thin spaces), the Russian
    decimal comma, scale words ("1.5 billion", "5,3 млн") and spelled-out numbers in either
    language ("fifty million", "a billion", "четырех тысяч").  Leading approximation words
    are ignored ("almost a billion" -> 1e9).

    Args:
        s: The number as written.
        lang: Language code; unknown codes use English rules.

    Returns:
        The value as a float, or ``None`` if ``s`` is not a number.

    >>> parse_number("48 892 000", "ru"), parse_number("1,5", "ru"), parse_number("1,000", "en")
    (48892000.0, 1.5, 1000.0)
    >>> parse_number("almost a billion", "en"), parse_number("четырех тысяч", "ru")
    (1000000000.0, 4000.0)
    >>> parse_number("16.09.2013", "ru") is None
    True
    """
    if not isinstance(s, str) or not s.strip():
        return None
    try:
        return parse_with(s, lexicon(lang))
    except (ValueError, OverflowError, IndexError, KeyError):
        return None


def is_year_like(text: str, start: int, num_text: str, lex: Lexicon) -> bool:
    """True for a bare four-digit year ("in 2014") at ``start`` in ``text``."""
    if not _YEAR_RE.fullmatch(num_text):
        return False
    before = text[max(0, start - 20) : start]
    m = re.search(r"([^\W\d_]+)[\s\u00a0]*\Z", before)
    if m and fold(m.group(1)) in lex.year_prepositions:
        return True
    after = text[start + len(num_text) : start + len(num_text) + 8]
    return bool(re.match(r"[\s\u00a0]*(?:г\.|год|гг|year)", after, re.IGNORECASE))


def _mention(text: str, start: int, end: int, label: str, value: Any) -> Mention:
    """A mention whose ``text`` is the exact slice."""
    return Mention(start, end, label, value, text[start:end])


# --------------------------------------------------------------------------- percentages


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Compiled finder patterns of one language."""

    percent: re.Pattern[str]
    factor: re.Pattern[str] | None
    contextual: re.Pattern[str] | None
    modal: re.Pattern[str] | None
    fold_: re.Pattern[str] | None
    times: re.Pattern[str] | None
    inc_after: re.Pattern[str]
    dec_after: re.Pattern[str]
    inc_stems: re.Pattern[str]
    dec_stems: re.Pattern[str]
    jobs_num_first: re.Pattern[str]
    jobs_employ: re.Pattern[str]
    jobs_noun_first: re.Pattern[str]
    jobs_headcount: re.Pattern[str] | None  # "has a staff of 320": no people word needed
    keys: Mapping[str, tuple[str, ...]]  # pattern name -> substrings one of which must occur
    firsts: Mapping[str, tuple[str, ...]]  # pattern name -> words one of which each match starts with
    factors: Mapping[str, float]
    contextual_factors: Mapping[str, float]
    modal_factors: Mapping[str, float]
    times_prefix_required: bool
    fraction: re.Pattern[str] | None = None
    fractions: Mapping[str, float] | None = None
    times_prefixes: tuple[str, ...] | None = None  # one-word prefixes of "N times"; None: not all one word


def _keys(forms: Iterable[str]) -> tuple[str, ...]:
    """Substrings that any text matching one of ``forms`` must contain (their first words).

    A word that contains another key is left out: the shorter one is found wherever it is.
    """
    words = {fold(f).split(" ")[0].rstrip(".") for f in forms if fold(f)}
    return tuple(sorted(w for w in words if not any(v != w and v in w for v in words)))


def _gate_keys(forms: Iterable[str]) -> tuple[str, ...]:
    """Substrings that any text matching one of ``forms`` must contain: the longest word of each.

    Longer words are rarer, so the test :func:`_has` more often spares the whole scan.
    """
    words = {max(fold(str(f)).split(" "), key=len) for f in forms} - {""}
    return tuple(sorted(w for w in words if not any(v != w and v in w for v in words)))


def _has(low: str, keys: tuple[str, ...]) -> bool:
    """True if any key occurs in the lower-cased text: a cheap test before a regex scan.

    ``map`` over ``low.__contains__`` tests the keys in C, without a generator frame.
    """
    return any(map(low.__contains__, keys))


def _opt_pattern(src: str | None) -> re.Pattern[str] | None:
    """Compile ``src`` case-insensitively, or ``None`` for no source."""
    return re.compile(src) if src else None


def _build_patterns(lex: Lexicon) -> _Patterns:
    """Compile the percent, multiple and job patterns of a lexicon."""
    d = lex.data
    num = lex.number
    pct_words = _str_list(d.get("percent_words")) or ["%"]
    percent = (
        rf"(?P<num>{num})(?:{S}*{_DASH}{S}*{DIGITS})?{S}*(?P<unit>{alternation(pct_words)})"
        r"(?![^\W\d_])"
    )
    mult: dict[str, Any] = d.get("multiples") or {}
    factors = _num_map(mult.get("factor_words"))
    contextual = _num_map(mult.get("contextual_factor_words"))
    modal_factors = _num_map(mult.get("modal_factor_words"))
    modal_words = _str_list(mult.get("modal_words"))
    fold_suffixes = _str_list(mult.get("fold_suffixes"))
    times_words = _str_list(mult.get("times_words"))
    times_prefixes = _str_list(mult.get("times_prefixes"))
    required = bool(mult.get("times_prefix_required", False))

    fractions = _num_map(mult.get("fraction_words"))
    factor_src = rf"{NO_LETTER_BEFORE}(?P<w>{alternation(factors)})" if factors else None
    fraction_src = rf"{NO_LETTER_BEFORE}(?P<w>{alternation(fractions)})" if fractions else None
    ctx_src = rf"{NO_LETTER_BEFORE}(?P<w>{alternation(contextual)})" if contextual else None
    modal_src = (
        rf"{NO_LETTER_BEFORE}{alternation(modal_words)}{S}+(?P<w>{alternation(modal_factors)})"
        if modal_words and modal_factors
        else None
    )
    unit_words = alternation([*lex.units], boundary=False)
    fold_src = (
        rf"\b{lex.gate}(?P<num>(?=\d){DIGITS}|{unit_words})(?:{S}|{_DASH})?"
        rf"{alternation(fold_suffixes)}"
        if fold_suffixes
        else None
    )
    times_src = None
    if times_words:
        pre = rf"(?P<pre>{NO_LETTER_BEFORE}{alternation(times_prefixes)}{S}+)"
        pre = pre if required else pre + "?"
        times_src = rf"{pre}(?P<num>{num}){S}+{alternation(times_words)}"

    def words_after(key: str) -> re.Pattern[str]:
        """Comparative words right after a multiple."""
        return re.compile(rf"\A{S}*{alternation(_str_list(mult.get(key)))}")

    def stems(key: str) -> re.Pattern[str]:
        """Verb stems that set the direction of a multiple."""
        return re.compile(rf"{NO_LETTER_BEFORE}{alternation(_str_list(mult.get(key)), boundary=False)}")

    jobs: dict[str, Any] = d.get("jobs") or {}
    nouns = alternation(_str_list(jobs.get("nouns")))
    adjs = alternation(_str_list(jobs.get("adjectives")))
    conns = _str_list(jobs.get("adjective_connectors"))
    adj_sep = rf"(?:{S}*,?{S}+(?:{alternation(conns)}{S}+)?)" if conns else rf"(?:{S}*,?{S}+)"
    # a figure with its scale word: "2 тысяч рабочих мест", "1.5 thousand people"
    count = rf"{num}(?:{S}*{lex.scale}\.?)?" if lex.scale else num
    range_ = rf"(?:{S}*{_DASH}{S}*(?P<num2>{count}))?"
    num_first = rf"(?P<num>{count}){range_}(?:{adj_sep}{adjs})*{S}+{nouns}"
    people = alternation(_str_list(jobs.get("people")))
    verbs = alternation(_str_list(jobs.get("employ_verbs")))
    employ = (
        rf"{NO_LETTER_BEFORE}{verbs}{S}+(?:{lex.approx}{S}+)*(?P<num>{count}){range_}"
        rf"(?:{adj_sep}{adjs})*{S}+{people}"
    )
    heads = _str_list(jobs.get("headcount"))
    headcount = (
        rf"{NO_LETTER_BEFORE}(?:{'|'.join(heads)}){S}+(?:{lex.approx}{S}+)*(?P<num>{count}){range_}"
        rf"(?![\d.,]*{S}*(?:%|{lex.scale}))(?:{S}+(?:{adjs}{S}+)*{people})?"
        if heads
        else None
    )
    units = alternation(_str_list(jobs.get("target_units")))
    rfrom = alternation(_str_list(jobs.get("range_from")))
    rto = alternation(_str_list(jobs.get("range_to")))
    noun_first = (
        # "новых рабочих мест – 120": a figure right after a dash or colon needs no unit word
        rf"{NO_LETTER_BEFORE}{nouns}(?:{S}*(?P<dash>[:\u2013\u2014]|{S}-){S}*(?:{lex.approx}{S}+)*(?=\d)"
        rf"|[^.;!?\d\n]{{0,60}}?)(?:"
        rf"{NO_LETTER_BEFORE}{rfrom}{S}+(?P<lo>{num}){S}+{rto}{S}+(?P<hi>{num})(?:{S}+{units})?"
        rf"|(?P<one>{num})(?(dash)(?![\d.,]*{S}*(?:%|{lex.scale}))|{S}+{units}))"
    )
    prefix_words = {fold(f) for f in times_prefixes} - {""}
    return _Patterns(
        percent=re.compile(percent),
        factor=_opt_pattern(factor_src),
        contextual=_opt_pattern(ctx_src),
        modal=_opt_pattern(modal_src),
        fold_=_opt_pattern(fold_src),
        times=_opt_pattern(times_src),
        inc_after=words_after("increase_after"),
        dec_after=words_after("decrease_after"),
        inc_stems=stems("increase_stems"),
        dec_stems=stems("decrease_stems"),
        jobs_num_first=re.compile(num_first),
        jobs_employ=re.compile(employ),
        jobs_noun_first=re.compile(noun_first),
        jobs_headcount=_opt_pattern(headcount),
        keys={
            "percent": _gate_keys(pct_words),
            "fold": _keys(fold_suffixes),
            "times": _keys(times_words),
            # every job pattern holds a job noun, or a verb and a people word, or a target unit:
            # the longest word of each (rarer than the first: "new positions") is the gate
            "nouns": _gate_keys(_str_list(jobs.get("nouns"))),
            "verbs": _keys(_str_list(jobs.get("employ_verbs"))),
            "people": _gate_keys(_str_list(jobs.get("people"))),
            "units": _gate_keys(_str_list(jobs.get("target_units"))),
            "factor": _gate_keys(factors),
            "modal": _gate_keys(modal_factors),
            "contextual": _gate_keys(contextual),
            "fraction": _gate_keys(fractions),
        },
        firsts={
            "factor": _first_tokens(factors),
            "modal": _first_tokens(modal_words),
            "contextual": _first_tokens(contextual),
            "fraction": _first_tokens(fractions),
            "nouns": _first_tokens(_str_list(jobs.get("nouns"))),
            "verbs": _first_tokens(_str_list(jobs.get("employ_verbs"))),
        },
        factors=factors,
        contextual_factors=contextual,
        modal_factors=modal_factors,
        times_prefix_required=required,
        fraction=_opt_pattern(fraction_src),
        fractions=fractions,
        times_prefixes=None if any(" " in w for w in prefix_words) else tuple(sorted(prefix_words)),
    )


_PATTERNS: dict[str, _Patterns] = {lang: _build_patterns(lex) for lang, lex in _LEXICONS.items()}


@lru_cache(maxsize=64)
def _patterns(lang: str | None) -> tuple[Lexicon, _Patterns]:
    """Lexicon and compiled patterns for a language code."""
    lex = lexicon(lang)
    return lex, _PATTERNS[lex.lang]


def find_percents(text: str, lang: str, prepared: FigureText | None = None) -> list[Mention]:
    """Find percentages: "32%", "almost 32 %", "10 percent", "85 per cent", "27,4 проц".

    Args:
        text: The text to search.
        lang: Language code ("en", "ru"; others read as English).
        prepared: The document's shared :class:`FigureText`, if the caller has one.

    Returns:
        ``PERCENT`` mentions whose value is the (first) figure as a float; the
        approximation word before the figure is not part of the span.
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        lex, pat = _patterns(lang)
        ft = view(text, lang, prepared)
        low = ft.low
        out = []
        if not _has(low, pat.keys["percent"]):
            return []
        for m in matches_at(pat.percent, low, ft.number_starts):
            v = parse_with(m.group("num"), lex)
            if v is not None:
                out.append(_mention(text, m.start(), m.end(), "PERCENT", v))
        return resolve_overlaps(out)
    except (re.error, ValueError, TypeError, KeyError):  # pragma: no cover - defensive
        log.exception("find_percents failed")
        return []


# --------------------------------------------------------------------------- multiples


def _direction(text: str, start: int, end: int, pat: _Patterns) -> int:
    """+1 for growth, -1 for a fall, 0 when nothing in the sentence says which."""
    after = text[end : end + 25]
    if pat.dec_after.match(after):
        return -1
    if pat.inc_after.match(after):
        return 1
    before = text[max(0, start - 50) : start]
    cut = max(before.rfind(". "), before.rfind("; "), before.rfind("\n"))
    if cut >= 0:
        before = before[cut + 1 :]
    inc = [m.start() for m in pat.inc_stems.finditer(before)]
    dec = [m.start() for m in pat.dec_stems.finditer(before)]
    if not inc and not dec:
        return 0
    return -1 if max(dec, default=-1) > max(inc, default=-1) else 1


def _growth(factor: float, direction: int) -> float:
    """Growth in percent for a factor: 2 -> 100; a fall by a factor of 2 -> -50."""
    if direction < 0 and factor > 1:
        return round((1.0 / factor - 1.0) * 100.0, 4)
    return round((factor - 1.0) * 100.0, 4)


def _times_starts(low: str, starts: list[int], prefixes: tuple[str, ...] | None) -> list[int]:
    """Where "N times" may start: at a number, or at a prefix ("by") and white space before one.

    With a prefix of several words (``prefixes`` is None) every offset is a candidate.
    """
    if prefixes is None:
        return list(range(len(low)))
    out = set(starts)
    for q in starts:
        r = q
        while r > 0 and (low[r - 1].isspace() or low[r - 1] in _WS):
            r -= 1
        if r < q:
            out.update(r - len(w) for w in prefixes if r >= len(w) and low.startswith(w, r - len(w)))
    return sorted(out)


def find_multiples(text: str, lang: str, prepared: FigureText | None = None) -> list[Mention]:
    """Find growth stated as a multiple and express it in percent.

    "doubled" -> 100, "tripled" -> 200, "tenfold" -> 900, "by 6.7 times" -> 570,
    "в два раза" -> 100, "в 10 раз" -> 900, "вдвое" -> 100.  A multiple in a sentence about
    a fall ("fell threefold", "сократился вдвое", "в 2 раза меньше") gives a negative value
    ("вдвое" -> -50).  An English "N times" counts only with "by", a comparative or a
    growth verb nearby ("visited 3 times" is not growth).

    Args:
        text: The text to search.
        lang: Language code.
        prepared: The document's shared :class:`FigureText`, if the caller has one.

    Returns:
        ``MULTIPLE`` mentions; value is growth in percent (float).
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        lex, pat = _patterns(lang)
        ft = view(text, lang, prepared)
        low = ft.low
        out: list[Mention] = []
        for name, rx, table, ctx in (
            ("factor", pat.factor, pat.factors, False),
            ("modal", pat.modal, pat.modal_factors, False),
            ("contextual", pat.contextual, pat.contextual_factors, True),
        ):
            if rx is None or not _has(low, pat.keys[name]):
                continue
            for m in matches_at(rx, low, _occurrences(low, pat.firsts[name])):
                f = table.get(fold(m.group("w")))
                if f is None:
                    continue
                direction = _direction(low, m.start("w"), m.end("w"), pat) if ctx else 1
                out.append(_mention(text, m.start("w"), m.end("w"), "MULTIPLE", _growth(f, direction)))
        if pat.fraction is not None and pat.fractions and _has(low, pat.keys["fraction"]):
            # "grew by a third", "сократился на четверть": a change by a share of the old size,
            # whose direction the sentence gives (none: no growth figure)
            for m in matches_at(pat.fraction, low, _occurrences(low, pat.firsts["fraction"])):
                share = pat.fractions.get(fold(m.group("w")))
                direction = _direction(low, m.start("w"), m.end("w"), pat)
                if share is not None and direction:
                    out.append(
                        _mention(text, m.start("w"), m.end("w"), "MULTIPLE", round(direction * share, 4))
                    )
        if pat.fold_ is not None and _has(low, pat.keys["fold"]):
            for m in matches_at(pat.fold_, low, ft.number_starts):
                f = parse_with(m.group("num"), lex)
                if f is None or f <= 0:
                    continue
                out.append(
                    _mention(
                        text,
                        m.start(),
                        m.end(),
                        "MULTIPLE",
                        _growth(f, _direction(low, m.start(), m.end(), pat)),
                    )
                )
        if pat.times is not None and _has(low, pat.keys["times"]):
            for m in matches_at(pat.times, low, _times_starts(low, ft.number_starts, pat.times_prefixes)):
                f = parse_with(m.group("num"), lex)
                if f is None or f <= 0:
                    continue
                direction = _direction(low, m.start(), m.end(), pat)
                if direction == 0:
                    if not (pat.times_prefix_required or m.group("pre")):
                        continue
                    direction = 1
                out.append(_mention(text, m.start(), m.end(), "MULTIPLE", _growth(f, direction)))
        return resolve_overlaps(out)
    except (re.error, ValueError, TypeError, KeyError, ZeroDivisionError):  # pragma: no cover
        log.exception("find_multiples failed")
        return []


# --------------------------------------------------------------------------- jobs


def _job_count(v: float | None) -> int | None:
    """A plausible head count from a parsed figure."""
    if v is None or v < 1 or v > 10_000_000:
        return None
    return int(round(v))


def find_jobs(text: str, lang: str, prepared: FigureText | None = None) -> list[Mention]:
    """Find counts of jobs created or people employed.

    "80 new jobs", "create over 300 jobs", "will employ 600 people", "300 рабочих мест",
    "около четырех тысяч рабочих мест", "трудоустроят 200 человек", and a job noun followed by
    a target ("jobs planned to be created from 90 to 180 units" -> 180).  For a range the
    upper figure (the target) is the value.

    Args:
        text: The text to search.
        lang: Language code.
        prepared: The document's shared :class:`FigureText`, if the caller has one.

    Returns:
        ``JOBS`` mentions (value: int); the span covers the figure and the job noun phrase.
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        lex, pat = _patterns(lang)
        ft = view(text, lang, prepared)
        low = ft.low
        out: list[Mention] = []
        keys = pat.keys
        nouns = _has(low, keys["nouns"])
        # "employ 600 people" needs a people word after the verb; "jobs ... from 90 to 180 units"
        # a target unit after the noun: a text without one is not scanned for that pattern
        verbs = _has(low, keys["verbs"]) and _has(low, keys["people"])
        noun_starts = _occurrences(low, pat.firsts["nouns"]) if nouns and _has(low, keys["units"]) else []
        for rx, starts in (
            (pat.jobs_num_first, ft.number_starts if nouns else None),
            (pat.jobs_employ, _occurrences(low, pat.firsts["verbs"]) if verbs else None),
        ):
            if starts is None:
                continue
            for m in matches_at(rx, low, starts):
                num = m.group("num")
                if is_year_like(low, m.start("num"), num, lex):
                    continue
                hi = m.group("num2")
                v = _job_count(parse_with(hi if hi else num, lex))
                if v is not None:
                    out.append(_mention(text, m.start("num"), m.end(), "JOBS", v))
        if pat.jobs_headcount is not None and ("staff" in low or "workforce" in low or "headcount" in low):
            for m in pat.jobs_headcount.finditer(low):
                num = m.group("num")
                if is_year_like(low, m.start("num"), num, lex):
                    continue
                v = _job_count(parse_with(m.group("num2") or num, lex))
                if v is not None:
                    out.append(_mention(text, m.start("num"), m.end(), "JOBS", v))
        for m in matches_at(pat.jobs_noun_first, low, noun_starts):
            fig = m.group("hi") or m.group("one")
            if fig is None or is_year_like(low, m.start("hi" if m.group("hi") else "one"), fig, lex):
                continue
            v = _job_count(parse_with(fig, lex))
            if v is not None:
                out.append(_mention(text, m.start(), m.end(), "JOBS", v))
        return resolve_overlaps(out)
    except (re.error, ValueError, TypeError, KeyError):  # pragma: no cover - defensive
        log.exception("find_jobs failed")
        return []
