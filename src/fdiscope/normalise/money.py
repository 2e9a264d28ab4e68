"""Money amounts in English and Russian text: "$1.3 billion", "RUB 5.7 billion", "1,5 млрд рублей".

Currency symbols, ISO codes and currency names live in ``fdiscope/data/<lang>/money.yaml``;
numbers and scale words come from :mod:`fdiscope.normalise.numbers`.  Patterns are compiled
once at import; an unknown language falls back to English.

A figure is money when a currency symbol or code stands before it ("US$1.96 billion",
"USD 875 million"), or a currency symbol, code or name follows it, possibly after a scale
word ("600 million dollars", "5,3млн. рублей").  In Russian a figure with a scale such as
"млрд" and no unit noun after it is money with an unknown currency ("свыше 10 млрд").
Approximation words before the amount set ``Money.approx`` but stay outside the span.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from ..model import Mention, Money
from .numbers import (
    DIGITS,
    LANGS,
    NO_LETTER_BEFORE,
    NOT_LETTER,
    EndMatcher,
    FigureText,
    Lexicon,
    S,
    alternation,
    fold,
    lexicon,
    load_data,
    lower_text,
    matches_at,
    parse_digits,
    parse_with,
    resolve_overlaps,
    view,
)

__all__ = ["find_money", "currency_of"]

log = logging.getLogger(__name__)

WS_CHARS = " \t\n\r\u00a0\u202f\u2009\u2007"
_YEAR = re.compile(r"(?:19|20)\d\d")
_DASH = "[-\u2010\u2011\u2012\u2013\u2014\u2212]"


def _key(s: str) -> str:
    """Lookup key of a currency form: folded, with all whitespace removed."""
    return re.sub(r"\s+", "", fold(s))


def _sym_key(s: str) -> str:
    """Lookup key of a symbol or code: case kept, whitespace removed."""
    return re.sub(r"[\s\u00a0\u202f\u2009]+", "", s)


def _literal_alt(forms: list[str]) -> str:
    """Case-sensitive alternation of symbols/codes; codes may not touch letters."""
    alts = []
    for f in sorted(set(forms), key=lambda f: (-len(f), f)):
        rx = re.escape(f).replace("\\ ", S + "*")
        if f[0].isalpha():
            rx = NO_LETTER_BEFORE + rx
        if f[-1].isalpha():
            rx += NOT_LETTER
        alts.append(rx)
    return "(?:" + "|".join(alts) + ")" if alts else "(?!)"


@dataclass(frozen=True, slots=True)
class _MoneyLex:
    """Compiled money patterns of one language."""

    lex: Lexicon
    numbers: re.Pattern[str]  # a figure, in lower-cased text
    prefix: EndMatcher  # a symbol or code right before a figure, in the original text
    tail: re.Pattern[str]  # range, scale and currency after a figure, in lower-cased text
    tail_plain: re.Pattern[str]  # the same without a range
    next_word: re.Pattern[str]
    symbols: Mapping[str, str]  # symbol or code as written -> ISO code
    prefix_last: frozenset[str]  # last characters of symbols and codes, a cheap pre-check
    words: Mapping[str, str]  # folded currency name -> ISO code
    bare_scales: frozenset[str]
    bare_followers: frozenset[str]
    lone_scale_vague: bool = False  # "several billion euros": a scale word alone is no figure


def _build(lang: str) -> _MoneyLex:
    """Load ``money.yaml`` of a language and compile its patterns."""
    lex = lexicon(lang)
    data = load_data(lang, "money")
    symbols: dict[str, str] = {}
    sym_forms: list[str] = []
    for group in ("symbols", "codes"):
        raw = data.get(group) or {}
        if isinstance(raw, dict):
            symbols.update({_sym_key(str(k)): str(v).upper() for k, v in raw.items()})
            sym_forms += [str(k) for k in raw]
    raw_words = data.get("words") or {}
    words = (
        {_key(str(k)): str(v).upper() for k, v in raw_words.items()} if isinstance(raw_words, dict) else {}
    )
    low_sym_alt = _literal_alt([lower_text(f) for f in sym_forms])
    cur_alt = alternation([*(str(k) for k in raw_words), *(lower_text(f) for f in sym_forms)])
    range_words = alternation(lex.data.get("range_words") or [])
    attached = alternation(lex.scales_attached) if lex.scales_attached else "(?!)"
    rest = (
        rf"(?:{S}*{_DASH}?{S}*(?P<scale>{lex.scale})|(?P<att>{attached}))?"
        # "a 300-million-yuan plant": a hyphen may join the currency word to the figure
        rf"(?:(?P<dot>\.)?{S}*(?:-(?=[^\W\d_]))?(?P<cur>{cur_alt}))?"
    )
    rng = rf"(?P<rng>(?:{S}*{_DASH}{S}*|(?P<rw>{S}+{range_words}{S}+))(?:{low_sym_alt}{S}*)?{DIGITS})?"
    return _MoneyLex(
        lex=lex,
        numbers=re.compile(rf"{lex.gate}(?:(?=\d)(?P<d>{DIGITS})|\b(?P<w>{lex.word_number}))"),
        prefix=EndMatcher(sym_forms, fold_case=False, window=12),
        tail=re.compile(rng + rest),
        tail_plain=re.compile(r"(?P<rng>(?!))?(?P<rw>(?!))?" + rest),
        next_word=re.compile(rf"(?P<dot>\.)?{S}*(?P<w>[^\W\d_]+)?"),
        symbols=symbols,
        prefix_last=frozenset(f[-1] for f in sym_forms if f),
        words=words,
        bare_scales=frozenset(fold(s) for s in data.get("bare_scales") or []),
        bare_followers=frozenset(fold(s) for s in data.get("bare_followers") or []),
        lone_scale_vague=bool(data.get("lone_scale_vague")),
    )


_MONEY: dict[str, _MoneyLex] = {lang: _build(lang) for lang in LANGS}


@lru_cache(maxsize=64)
def _money_lex(lang: str | None) -> _MoneyLex:
    """Money patterns for a language code (English for unknown codes)."""
    return _MONEY[lexicon(lang).lang]


def currency_of(s: str, lang: str) -> str | None:
    """ISO 4217 code of a currency symbol, code or name as written, or ``None``.

    >>> currency_of("US$", "en"), currency_of("roubles", "en"), currency_of("долл. США", "ru")
    ('USD', 'RUB', 'USD')
    """
    if not isinstance(s, str):
        return None
    ml = _money_lex(lang)
    return ml.symbols.get(_sym_key(s.strip())) or ml.words.get(_key(s))


def _bare_ok(text: str, pos: int, ml: _MoneyLex) -> bool:
    """True when what follows a bare scale word is not a unit noun ("млрд кубометров")."""
    m = ml.next_word.match(text, pos)
    if m is None or not m.group("w"):
        return True
    w = m.group("w")
    if w[0].isupper():
        return m.group("dot") is not None  # a new sentence after "млрд."
    return fold(w) in ml.bare_followers


def _one(text: str, low: str, m: re.Match[str], ml: _MoneyLex) -> Mention | None:
    """The money mention built around one number match (found in ``low``), if it is money."""
    lex = ml.lex
    start = m.start()
    num = m.group(0)
    is_digits = m.group("d") is not None
    pre: str | None = None  # a currency symbol or code right before the figure
    before = text[max(0, start - 4) : start].rstrip(WS_CHARS)
    if before and before[-1] in ml.prefix_last:
        pre_start = ml.prefix.start_before(text, start)
        if pre_start is not None:
            pre = text[pre_start:start]
    t = ml.tail.match(low, m.end())
    if t is None:  # pragma: no cover - every part of the tail is optional
        return None
    scale_word: str | None = None
    mult = 1.0
    end = m.end()
    sw = t.group("scale") or t.group("att")
    if t.group("rw") and not sw and not t.group("cur"):
        # "$500 to 600 people": a range in words needs a scale or currency after it
        t = ml.tail_plain.match(low, m.end())
        if t is None:  # pragma: no cover - every part of the tail is optional
            return None
        sw = t.group("scale") or t.group("att")
    if t.group("rng"):  # a range "50-60" keeps the first figure
        end = t.end("rng")
    if sw:
        scale_word = fold(sw)
        mult = lex.scales.get(scale_word) or lex.scales_attached.get(scale_word, 1.0)
        end = t.end("scale") if t.group("scale") else t.end("att")
    elif not is_digits:
        last = num.rsplit(None, 1)[-1].rsplit("-", 1)[-1]
        scale_word = last if last in lex.scales else None
    cur: str | None = None
    if pre is not None:
        cur = ml.symbols.get(_sym_key(pre))
        start -= len(pre)
    elif t.group("cur") and not (
        t.group("dot") and (scale_word is None or scale_word not in lex.scale_abbreviations)
    ):
        written = text[t.start("cur") : t.end("cur")]
        cur = ml.words.get(_key(written)) or ml.symbols.get(_sym_key(written))
        if cur is None:
            return None  # a lower-case look-alike of a code ("try")
        end = t.end("cur")
    elif not (scale_word is not None and scale_word in ml.bare_scales and _bare_ok(text, end, ml)):
        return None
    if is_digits and scale_word is None and pre is None and _YEAR.fullmatch(num):
        return None  # "in 2014 rubles": a bare year is never an amount
    value = (
        parse_digits(num, lex.decimal_comma, scaled=scale_word is not None)
        if is_digits
        else parse_with(num, lex)
    )
    if value is None:
        return None
    if ml.lone_scale_vague and not is_digits and fold(num.strip()) in lex.scales:
        return None  # "several billion euros", "billions of dollars": no stated figure
    approx = lex.approx_before.start_before(low, start) is not None
    return Mention(start, end, "MONEY", Money(_tidy(value * mult), cur, approx), text[start:end])


def find_money(text: str, lang: str, prepared: FigureText | None = None) -> list[Mention]:
    """Find money amounts with their currency.

    Examples: "1 billion rubles", "USD 875 million", "US$1.96 billion", "$1.37bn",
    "RUR 17.75 bln ($266 mio)" (two mentions), "almost a billion dollars", "1,5 млрд рублей",
    "5,1 млрд долл США", "свыше 10 млрд" (Russian, currency ``None``).  Years, percentages and
    quantities ("60,000 cars", "130 hectares") are not money.

    Args:
        text: The text to search.
        lang: Language code ("en", "ru"; others read as English).
        prepared: The document's shared :class:`~fdiscope.normalise.numbers.FigureText`, if any.

    Returns:
        ``MONEY`` mentions in text order; ``value`` is :class:`~fdiscope.model.Money` with the
        amount in units, an ISO 4217 code or ``None``, and ``approx`` set when an
        approximation word ("about", "около") precedes the amount (it is not in the span).
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        ml = _money_lex(lang)
        out: list[Mention] = []
        ft = view(text, lang, prepared)
        low = ft.low
        last_end = 0
        for m in matches_at(ml.numbers, low, ft.number_starts):
            if m.start() < last_end:
                continue  # the scale word of an amount already found
            mention = _one(text, low, m, ml)
            if mention is not None:
                out.append(mention)
                last_end = mention.end
        return resolve_overlaps(out)
    except (re.error, ValueError, TypeError, KeyError, OverflowError):  # pragma: no cover - defensive
        log.exception("find_money failed")
        return []


def _tidy(value: float) -> float:
    """Undo binary float noise of scaling ("4.1 billion" is 4100000000, not 4099999999.9999995)."""
    return float(round(value, 2)) if abs(value) >= 1 else value
