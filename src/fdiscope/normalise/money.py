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
    Lexicon,
    S,
    _parse_digits,
    _parse_with,
    alternation,
    fold,
    lexicon,
    load_data,
    resolve_overlaps,
)

__all__ = ["find_money", "currency_of"]

log = logging.getLogger(__name__)

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
    return "(?-i:" + "|".join(alts) + ")" if alts else "(?!)"


@dataclass(frozen=True, slots=True)
class _MoneyLex:
    """Compiled money patterns of one language."""

    lex: Lexicon
    numbers: re.Pattern[str]
    prefix: re.Pattern[str]
    range_: re.Pattern[str]
    scale: re.Pattern[str]
    suffix: re.Pattern[str]
    next_word: re.Pattern[str]
    symbols: Mapping[str, str]
    words: Mapping[str, str]
    bare_scales: frozenset[str]
    bare_followers: frozenset[str]


def _build(lang: str) -> _MoneyLex:
    """Load ``money.yaml`` of a language and compile its patterns."""
    lex = lexicon(lang)
    data = load_data(lang, "money")
    symbols: dict[str, str] = {}
    for group in ("symbols", "codes"):
        raw = data.get(group) or {}
        if isinstance(raw, dict):
            symbols.update({_sym_key(str(k)): str(v).upper() for k, v in raw.items()})
    raw_words = data.get("words") or {}
    words = {_key(str(k)): str(v).upper() for k, v in raw_words.items()} if isinstance(raw_words, dict) else {}
    sym_forms = [str(k) for g in ("symbols", "codes") for k in (data.get(g) or {})]
    sym_alt = _literal_alt(sym_forms)
    word_alt = alternation([str(k) for k in raw_words]) if words else "(?!)"
    attached = alternation(lex.scales_attached) if lex.scales_attached else "(?!)"
    return _MoneyLex(
        lex=lex,
        numbers=re.compile(rf"(?P<d>{DIGITS})|(?P<w>{lex.word_number})", re.IGNORECASE),
        prefix=re.compile(rf"(?P<cur>{sym_alt}){S}*\Z"),
        range_=re.compile(rf"{S}*{_DASH}{S}*(?:{sym_alt}{S}*)?{DIGITS}"),
        scale=re.compile(rf"(?:{S}*{_DASH}?{S}*(?P<scale>{lex.scale})|(?P<att>{attached}))", re.IGNORECASE),
        suffix=re.compile(rf"(?P<dot>\.)?{S}*(?:(?P<word>{word_alt})|(?P<sym>{sym_alt}))", re.IGNORECASE),
        next_word=re.compile(rf"(?P<dot>\.)?{S}*(?P<w>[^\W\d_]+)?"),
        symbols=symbols,
        words=words,
        bare_scales=frozenset(fold(s) for s in data.get("bare_scales") or []),
        bare_followers=frozenset(fold(s) for s in data.get("bare_followers") or []),
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


def _one(text: str, m: re.Match[str], ml: _MoneyLex) -> Mention | None:
    """The money mention built around one number match, if it is money."""
    lex = ml.lex
    start, pos = m.start(), m.end()
    num = m.group(0)
    is_digits = m.group("d") is not None
    # a currency right before the figure
    pre = ml.prefix.search(text, max(0, start - 12), start)
    cur: str | None = ml.symbols.get(_sym_key(pre.group("cur"))) if pre else None
    # a range "50-60" keeps the first figure
    rng = ml.range_.match(text, pos)
    if rng:
        pos = rng.end()
    scale_word: str | None = None
    mult = 1.0
    sc = ml.scale.match(text, pos)
    if sc and is_digits:
        scale_word = fold(sc.group("scale") or sc.group("att"))
        mult = lex.scales.get(scale_word) or lex.scales_attached.get(scale_word, 1.0)
        pos = sc.end()
    elif not is_digits:
        last = re.findall(r"[^\W\d_]+", num)
        scale_word = fold(last[-1]) if last and fold(last[-1]) in lex.scales else None
    if is_digits:
        value = _parse_digits(num, lex.decimal_comma, scaled=scale_word is not None)
    else:
        value = _parse_with(num, lex)
    if value is None:
        return None
    value *= mult
    end = pos
    if cur is not None:
        start = pre.start() if pre else start
    else:
        suf = ml.suffix.match(text, pos)
        if suf and suf.group("dot") and (scale_word is None or scale_word not in lex.scale_abbreviations):
            suf = None
        if suf:
            if suf.group("word"):
                cur = ml.words.get(_key(suf.group("word")))
            else:
                cur = ml.symbols.get(_sym_key(suf.group("sym")))
            end = suf.end()
        elif scale_word is None or scale_word not in ml.bare_scales or not _bare_ok(text, pos, ml):
            return None
    if cur is None and not ml.bare_scales:
        return None
    if is_digits and scale_word is None and pre is None and re.fullmatch(r"(?:19|20)\d\d", num):
        return None  # "in 2014 rubles": a bare year is never an amount
    approx = bool(lex.approx_end.search(text, max(0, start - 30), start))
    return Mention(start, end, "MONEY", Money(value, cur, approx), text[start:end])


def find_money(text: str, lang: str) -> list[Mention]:
    """Find money amounts with their currency.

    Examples: "1 billion rubles", "USD 875 million", "US$1.96 billion", "$1.37bn",
    "RUR 17.75 bln ($266 mio)" (two mentions), "almost a billion dollars", "1,5 млрд рублей",
    "5,1 млрд долл США", "свыше 10 млрд" (Russian, currency ``None``).  Years, percentages and
    quantities ("60,000 cars", "130 hectares") are not money.

    Args:
        text: The text to search.
        lang: Language code ("en", "ru"; others read as English).

    Returns:
        ``MONEY`` mentions in text order; ``value`` is :class:`~fdiscope.model.Money` with the
        amount in units, an ISO 4217 code or ``None``, and ``approx`` set when an
        approximation word ("about", "около") precedes the amount (it is not in the span).
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        ml = _money_lex(lang)
        out = []
        for m in ml.numbers.finditer(text):
            mention = _one(text, m, ml)
            if mention is not None:
                out.append(mention)
        return resolve_overlaps(out)
    except (re.error, ValueError, TypeError, KeyError, OverflowError):  # pragma: no cover - defensive
        log.exception("find_money failed")
        return []
