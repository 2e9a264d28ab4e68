"""Investor names as comparable keys, across scripts and spellings.

A name is cut into tokens, stripped of legal forms (ООО, LLC, Co., Ltd …) and quotes, folded
for Latin/Cyrillic look-alikes, and romanised into a Latin *skeleton* (``Хайер`` and ``Haier``
both become ``haier``).  Chinese names are written in Russian by the Palladius system, which
no letter-by-letter table reproduces (``Longjiang`` is ``Лунцзян``), so a Latin token that
splits wholly into Pinyin syllables gets a second skeleton through Palladius Cyrillic.
Lexicons live in ``data/resolve/names.yaml`` and ``data/resolve/translit.yaml``.

>>> skeletons("Фуяо") & skeletons("Fuyao") != set()
True
>>> name_similarity("ООО «Хайер Рус»", "Haier Group Co., Ltd")
1.0
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from rapidfuzz import fuzz

__all__ = [
    "NameKey",
    "name_key",
    "tokens",
    "fold_homoglyphs",
    "romanise",
    "pinyin_to_cyrillic",
    "skeletons",
    "name_similarity",
    "block_keys",
    "initials",
    "is_acronym_of",
]

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CYR = re.compile(r"[\u0400-\u04ff]")
_LAT = re.compile(r"[a-z]")


def _load(name: str) -> dict[str, Any]:
    path = resources.files("fdiscope") / "data" / "resolve" / name
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


@lru_cache(maxsize=1)
def _names() -> dict[str, Any]:
    data = _load("names.yaml")
    legal = {w.lower() for lang in data["legal_forms"].values() for w in lang}
    generic = {w.lower() for lang in data["generic"].values() for w in lang}
    aliases = {k.lower(): v.lower() for k, v in (data.get("aliases") or {}).items()}
    skip = {w.lower() for w in data.get("acronym_skip") or []}
    return {"legal": legal, "generic": generic, "aliases": aliases, "acronym_skip": skip}


@lru_cache(maxsize=1)
def _translit() -> dict[str, Any]:
    data = _load("translit.yaml")
    cyr: dict[str, str] = {k: str(v) for k, v in data["cyrillic"].items()}
    homo: dict[str, str] = {k: str(v) for k, v in data["homoglyphs"].items()}
    folds = [(re.compile(p), r) for p, r in data["latin_folds"]]
    whole: dict[str, str] = data["pinyin_whole"]
    initials: dict[str, str] = data["pinyin_initials"]
    finals: dict[str, str] = data["pinyin_finals"]
    syllables = dict(whole)
    for ini, cini in initials.items():
        for fin, cfin in finals.items():
            syllables.setdefault(ini + fin, cini + cfin)
    return {
        "cyr": cyr,
        "homo": homo,
        "homo_rev": {v: k for k, v in homo.items()},
        "folds": folds,
        "syllables": syllables,
        "longest": max(len(s) for s in syllables),
    }


def fold_homoglyphs(token: str) -> str:
    """Replace look-alike letters of the minority script in a mixed-script token.

    >>> fold_homoglyphs("Hаier")  # Cyrillic "а"
    'Haier'
    >>> fold_homoglyphs("Хaйер")  # Latin "a"
    'Хайер'
    """
    low = token.lower()
    n_cyr = len(_CYR.findall(low))
    n_lat = len(_LAT.findall(low))
    if not n_cyr or not n_lat:
        return token
    t = _translit()
    # A letter only one script has decides (й is Cyrillic, h... is not); else the majority does.
    only_cyr = any(_CYR.match(ch) and ch not in t["homo"] for ch in low)
    only_lat = any(_LAT.match(ch) and ch not in t["homo_rev"] for ch in low)
    latin = only_lat if only_lat != only_cyr else n_lat >= n_cyr
    table = t["homo"] if latin else t["homo_rev"]
    out = []
    for ch in token:
        repl = table.get(ch.lower())
        out.append((repl.upper() if ch.isupper() else repl) if repl else ch)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class NameKey:
    """A normalised investor name: its distinctive tokens and all their Latin skeletons."""

    raw: str
    tokens: tuple[str, ...]  # distinctive tokens, lower-cased, legal forms and generic words dropped
    skeletons: tuple[frozenset[str], ...]  # per token: its skeleton variants

    @property
    def empty(self) -> bool:
        return not self.tokens

    @property
    def key(self) -> str:
        """One string for display and blocking: the first skeleton of each token."""
        return " ".join(sorted(s)[0] for s in self.skeletons)


def tokens(name: str) -> list[str]:
    """Lower-cased word tokens, legal forms dropped, aliases expanded.

    >>> tokens('ООО «Фуяо Гласс Рус»')
    ['фуяо', 'гласс', 'рус']
    """
    lex = _names()
    text = unicodedata.normalize("NFKC", name).replace("ё", "е").replace("Ё", "Е")
    raw = [fold_homoglyphs(t).lower() for t in _TOKEN.findall(text)]
    joined = " ".join(raw)
    for alias, full in lex["aliases"].items():
        joined = re.sub(rf"\b{re.escape(alias)}\b", full, joined)
    return [t for t in joined.split() if t not in lex["legal"]]


def _fold(latin: str) -> str:
    for pat, repl in _translit()["folds"]:
        latin = pat.sub(repl, latin)
    return latin


def romanise(token: str) -> str:
    """The Latin skeleton of one token (Cyrillic romanised, then both scripts folded).

    >>> romanise("хайер"), romanise("haier"), romanise("фуяо"), romanise("fuyao")
    ('haier', 'haier', 'fuiao', 'fuiao')
    """
    cyr = _translit()["cyr"]
    latin = "".join(cyr.get(ch, ch) for ch in token.lower())
    return _fold(latin)


def pinyin_to_cyrillic(token: str) -> str | None:
    """Palladius Cyrillic for a token made wholly of Pinyin syllables, else None.

    >>> pinyin_to_cyrillic("longjiang"), pinyin_to_cyrillic("motors")
    ('лунцзян', None)
    """
    t = _translit()
    syl: dict[str, str] = t["syllables"]
    word = token.lower()
    if not word.isascii() or not word.isalpha():
        return None
    n = len(word)
    # best[i]: Cyrillic for word[:i] with the fewest syllables (longest matches preferred).
    best: list[str | None] = [None] * (n + 1)
    count = [0] * (n + 1)
    best[0] = ""
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(min(n, i + t["longest"]), i, -1):
            piece = syl.get(word[i:j])
            if piece is None:
                continue
            cand = (best[i] or "") + piece
            if best[j] is None or count[i] + 1 < count[j]:
                best[j] = cand
                count[j] = count[i] + 1
    return best[n]


def skeletons(token: str) -> set[str]:
    """All skeleton variants of one token (plain romanisation and, for Pinyin, via Palladius)."""
    out = {romanise(token)}
    pal = pinyin_to_cyrillic(token)
    if pal:
        out.add(romanise(pal))
    return {s for s in out if s}


@lru_cache(maxsize=20000)
def name_key(name: str) -> NameKey:
    """The :class:`NameKey` of an investor name (cached)."""
    generic = _names()["generic"]
    toks = [t for t in tokens(name) if t not in generic and not t.isdigit() and len(t) > 1]
    return NameKey(name, tuple(toks), tuple(frozenset(skeletons(t)) for t in toks))


_DIGITS = re.compile(r"\d+")


def _token_sim(a: frozenset[str], b: frozenset[str]) -> float:
    best = 0.0
    for x in a:
        for y in b:
            # Numbers in names are identity (Plant-1 / Plant-2): they must agree exactly.
            if _DIGITS.findall(x) != _DIGITS.findall(y):
                continue
            best = max(best, fuzz.ratio(x, y) / 100.0)
    return best


@lru_cache(maxsize=200_000)
def name_similarity(a: str, b: str) -> float | None:
    """How alike two investor names are, 0..1; None when either has no distinctive token.

    The larger of: how well the first distinctive token (usually the brand) of either name
    matches any token of the other, and the mean best match of the shorter name's tokens.
    Names of one company share their brand (Fuyao Glass Industry Group / Фуяо Гласс Рус), and
    generic words (Group, Motors, Рус) never count.

    >>> round(name_similarity("Fuyao Glass", "Fuyu Chemical") or 0, 2)
    0.67
    >>> name_similarity("Chinese company", "Haier") is None
    True
    >>> name_similarity("Longjiang Agro", "Amur Agro") < 0.8
    True
    """
    if is_acronym_of(a, b) or is_acronym_of(b, a):
        return 1.0
    ka, kb = name_key(a), name_key(b)
    if ka.empty or kb.empty:
        return None

    def best_of(token: frozenset[str], other: NameKey) -> float:
        return max(_token_sim(token, t) for t in other.skeletons)

    # The first distinctive token is usually the brand (Fuyao Glass / Fuyao Automotive) ...
    lead = max(best_of(ka.skeletons[0], kb), best_of(kb.skeletons[0], ka))
    # ... and a name whose every token is matched is the same name in any order.
    short, long_ = (ka, kb) if len(ka.tokens) <= len(kb.tokens) else (kb, ka)
    mean = sum(best_of(t, long_) for t in short.skeletons) / len(short.skeletons)
    return max(lead, mean)


def _acronym(name: str) -> str | None:
    """The name itself if it is written as an abbreviation (one short upper-case word)."""
    words = _TOKEN.findall(unicodedata.normalize("NFKC", name))
    words = [w for w in words if w.lower() not in _names()["legal"]]
    if len(words) == 1 and 2 <= len(words[0]) <= 6 and words[0].isupper():
        return words[0].lower()
    return None


def initials(name: str) -> str:
    """First letters of a name's words (legal forms and "of/and" skipped), lower-cased.

    >>> initials("Russian China Investment Fund"), initials("Российский фонд прямых инвестиций")
    ('rcif', 'рфпи')
    """
    skip = _names()["acronym_skip"]
    return "".join(t[0] for t in tokens(name) if t not in skip)


def is_acronym_of(short: str, full: str) -> bool:
    """Whether ``short`` is written as the abbreviation of ``full``.

    >>> is_acronym_of("RCIF", "Russian-China Investment Fund"), is_acronym_of("RCIF", "Haier")
    (True, False)
    """
    acr = _acronym(short)
    return acr is not None and _acronym(full) is None and len(tokens(full)) >= 2 and initials(full) == acr


def block_keys(name: str) -> set[str]:
    """Keys under which a name is blocked: each distinctive token's skeletons, cut to 4 letters.

    The cut keeps variants that differ in their tail in one block (Changlin / Чанлинь).
    """
    out: set[str] = set()
    for variants in name_key(name).skeletons:
        out.update(v[:4] for v in variants if len(v) >= 3)
    # Abbreviations meet their full names: RCIF and Russian China Investment Fund share "acr:rcif".
    acr = _acronym(name)
    if acr:
        out.add("acr:" + acr)
    elif len(tokens(name)) >= 2 and len(initials(name)) >= 3:  # two letters would block too much
        out.add("acr:" + initials(name))
    return out
