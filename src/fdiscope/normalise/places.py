"""Place gazetteer and a fast finder of place names and demonyms in English and Russian text.

The data is shipped in ``fdiscope/data/gazetteer/``: hand tables (``hand_*.tsv``) and the tables
that ``scripts/build_gazetteer.py`` derives from them (``gen_names.tsv``: every surface form,
including all Russian case forms; ``gen_codes.tsv``: a name for every ISO code).  One index is
built at first use.

Mentions produced by :func:`find_places` (spans never overlap, longest match wins):

``PLACE``
    value :class:`~fdiscope.model.Place` with ``kind`` one of country | region | city | site |
    macro; ``country`` is ISO 3166-1 alpha-2 (``None`` for continents and unions), ``region`` is
    ISO 3166-2 or ``None``.  A bare city name is a city with its region ("Kaluga" → city,
    RU-KLU); "Kaluga Region" is the region.
``DEMONYM``
    value: ISO alpha-2 of the country ("Chinese", "китайской", "South Korean").  A compound
    first element followed by a hyphen and no demonym ("Sino-foreign") is a DEMONYM over the
    first element only.
``DEMONYM_PAIR``
    value: ``(first, second)`` ISO alpha-2 codes, over the whole compound: "Sino-Russian" →
    ``("CN", "RU")``, "российско-китайского" → ``("RU", "CN")``, "Russian-Chinese" →
    ``("RU", "CN")``.  Country-name compounds ("Russia-China") give two PLACE mentions instead.

Matching is on whole tokens (letters and digits); tokens of one name may be separated by spaces,
hyphens, dots, apostrophes, quotes or brackets, never by commas.  Letter case: a name written
with capitals needs at least one capitalised token in the text ("Kaluga region", not "mir" or
"orel"), and its all-capital tokens must match exactly ("РФ", "КНР", "PRC", "US"); names written
in lowercase (Russian adjectives such as "китайская") match in any case.  Town names that are
also personal names (Vladimir, Kirov, Chekhov) are skipped when a capitalised word follows
("Vladimir Putin").
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import compress, count

from fdiscope.model import Mention, Place

__all__ = [
    "KINDS",
    "city_lemma",
    "find_places",
    "lookup",
    "region_name",
    "country_of",
    "normalise_token",
]

#: Place kinds, from the most to the least specific.
KINDS: tuple[str, ...] = ("site", "city", "region", "macro", "country")

_TOKEN = re.compile(r"[^\W_]+")
#: Splits a text into gap, token, gap, ..., token, gap.
_SPLIT = re.compile(r"([^\W_]+)")
#: The same for a text without underscores, where it is the cheaper ``\w`` class (ASCII letters and
#: digits named first: they hit the class's bitmap before the Unicode category is asked).
_SPLIT_WORDS = re.compile(r"([0-9A-Za-z\w]+)")
#: A character :func:`normalise_token` changes beyond case-folding (accented Latin and the like).
_FOREIGN = re.compile(r"[^\x00-\x7f\u0400-\u04ff]")
#: What may stand between two tokens of one name.
_GAP = re.compile(r"[ \t\n\u00a0\-\u2010\u2011\u2013\u2014'\u2019.«»\"\u201c\u201d\u201e()]{1,5}")
_HYPHEN_GAPS = frozenset({"-", "\u2010", "\u2011", "\u2013"})
_CLOSERS = {"«": "»", "\u201e": "\u201c", "\u201c": "\u201d", '"': '"'}
_CLOSER_CHARS = frozenset(_CLOSERS.values())


@lru_cache(maxsize=1 << 16)
def normalise_token(token: str) -> str:
    """Matching key of one token: case-folded, ``ё`` → ``е``, accents off Latin letters.

    >>> normalise_token("Ёлка"), normalise_token("Aqtöbe")
    ('елка', 'aqtobe')
    """
    low = token.casefold().replace("ё", "е")
    if low.isascii():
        return low
    out = []
    for ch in low:
        if "\u0400" <= ch <= "\u04ff" or ch.isascii():
            out.append(ch)
        else:
            out.extend(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return "".join(out)


def _keys(tokens: list[str]) -> list[str]:
    """:func:`normalise_token` of every token, in one pass over the joined text when it can be.

    Case-folding works character by character, so folding the tokens joined by newlines folds
    each token; only a token with a character outside ASCII and Cyrillic needs the full treatment.
    """
    folded = "\n".join(tokens).casefold().replace("ё", "е")
    if folded.isascii() or _FOREIGN.search(folded) is None:  # (isascii reads a flag: no scan)
        return folded.split("\n") if tokens else []
    return list(map(normalise_token, tokens))


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str  # country | region | city | site | macro | demonym | prefix
    country: str | None
    region: str | None
    name: str
    prio: int
    person: bool
    exact: tuple[int, ...]  # positions of tokens that must match case-sensitively
    needs_capital: bool
    tokens: tuple[str, ...]  # original surface tokens
    trailing_dot: bool
    place: Place | None


#: A node of the token trie: the entries of the n-gram that ends here (or None) and the nodes
#: of its one-token extensions (or None).
_Node = tuple["list[_Entry] | None", "dict[str, _Node] | None"]


class _Gazetteer:
    """The loaded tables, the token n-gram index and the same n-grams as a token trie."""

    def __init__(self) -> None:
        self.index: dict[tuple[str, ...], list[_Entry]] = {}
        self.max_len: dict[str, int] = {}
        self.trie: dict[str, _Node] = {}
        self.codes: dict[str, str] = {}
        root = resources.files("fdiscope").joinpath("data", "gazetteer")
        self._load_names(root.joinpath("gen_names.tsv").read_text(encoding="utf-8"))
        for line in root.joinpath("gen_codes.tsv").read_text(encoding="utf-8").splitlines()[1:]:
            code, _, name = line.partition("\t")
            self.codes[code] = name
        for entries in self.index.values():
            entries.sort(key=lambda e: e.prio)
        self.trie = _trie(self.index)

    def _load_names(self, text: str) -> None:
        places: dict[tuple[str, str | None, str | None, str], Place] = {}
        for line in text.splitlines()[1:]:
            surface, _lang, kind, country, region, name, prio, flags = line.split("\t")
            tokens = tuple(_TOKEN.findall(surface))
            if not tokens:
                continue
            cc, reg = country or None, region or None
            place = None
            if kind not in ("demonym", "prefix"):
                pkey = (name, cc, reg, kind)
                place = places.get(pkey)
                if place is None:
                    place = places[pkey] = Place(name=name, kind=kind, country=cc, region=reg)
            exact = tuple(i for i, t in enumerate(tokens) if t.isupper())
            entry = _Entry(
                kind=kind,
                country=cc,
                region=reg,
                name=name,
                prio=int(prio),
                person="p" in flags,
                exact=exact,
                needs_capital=any(c.isupper() for c in surface),
                tokens=tokens,
                trailing_dot=surface.endswith("."),
                place=place,
            )
            key = tuple(normalise_token(t) for t in tokens)
            bucket = self.index.setdefault(key, [])
            if not any(_same(entry, other) for other in bucket):
                bucket.append(entry)
            if len(key) > self.max_len.get(key[0], 0):
                self.max_len[key[0]] = len(key)


def _trie(index: dict[tuple[str, ...], list[_Entry]]) -> dict[str, _Node]:
    """The n-grams of ``index`` as a trie keyed by token: a scan walks it only as far as the text
    continues some name, instead of looking up every n-gram length from the longest down."""
    nested: dict[str, list] = {}  # type: ignore[type-arg]  # key -> [entries, children] while building
    for key, entries in index.items():
        level = nested
        for k, token in enumerate(key):
            node = level.setdefault(token, [None, {}])
            if k == len(key) - 1:
                node[0] = entries
            level = node[1]

    def freeze(level: dict[str, list]) -> dict[str, _Node]:  # type: ignore[type-arg]
        return {token: (entries, freeze(children) or None) for token, (entries, children) in level.items()}

    return freeze(nested)


def _same(a: _Entry, b: _Entry) -> bool:
    return (a.kind, a.country, a.region, a.name, a.exact, a.needs_capital, a.person) == (
        b.kind,
        b.country,
        b.region,
        b.name,
        b.exact,
        b.needs_capital,
        b.person,
    )


_LOCK = threading.Lock()
_GAZ: _Gazetteer | None = None


def _gazetteer() -> _Gazetteer:
    global _GAZ
    if _GAZ is None:
        with _LOCK:
            if _GAZ is None:
                _GAZ = _Gazetteer()
    return _GAZ


#: A match found by :meth:`_Scan.match_at`: the index of its last token (inclusive) and its entry
#: (a plain tuple: one is made for nearly every place mention).
_Match = tuple[int, "_Entry"]


class _Scan:
    """Tokens of one text and the matcher over them.

    One regex split gives the tokens and the gaps between them (``parts`` alternates gap, token,
    gap, ..., gap), so the per-token work is done by C loops; character offsets are only needed
    where a mention is made and are measured on demand (the length of the joined parts before it).
    """

    def __init__(self, text: str, gaz: _Gazetteer) -> None:
        self.text = text
        self.gaz = gaz
        parts = (_SPLIT if "_" in text else _SPLIT_WORDS).split(text)
        self.parts = parts
        raw = parts[1::2]
        self.raw: list[str] = raw
        self.keys = _keys(raw)
        self._part = 0  # offset cursor: the part index ...
        self._pos = 0  # ... and the character offset where that part starts

    def _offset(self, part: int) -> int:
        """Character offset where ``parts[part]`` starts (offsets are asked for mostly left to right)."""
        if part < self._part:
            self._part = self._pos = 0
        self._pos += len("".join(self.parts[self._part : part]))
        self._part = part
        return self._pos

    def start(self, i: int) -> int:
        """Offset of the first character of token ``i``."""
        return self._offset(2 * i + 1)

    def gap_ok(self, i: int) -> bool:
        """Whether the text between tokens ``i`` and ``i + 1`` may stand inside a name."""
        gap = self.parts[2 * i + 2]
        return gap == " " or _GAP.fullmatch(gap) is not None

    def gap(self, i: int) -> str:
        """Text between token ``i`` and token ``i + 1``."""
        return self.parts[2 * i + 2]

    def match_at(
        self, i: int, kinds: frozenset[str] | None = None, node: _Node | None = None
    ) -> _Match | None:
        """Longest acceptable match starting at token ``i`` (a walk down the gazetteer's token trie).

        ``node``: the trie node of token ``i`` when the caller has it already.
        """
        if node is None:
            node = self.gaz.trie.get(self.keys[i])
            if node is None:
                return None
        keys = self.keys
        last_token = len(keys) - 1
        entries, children = node
        if (
            not children
            or i == last_token
            or (child := children.get(keys[i + 1])) is None
            or not self.gap_ok(i)
        ):
            # the common case: no longer name goes on from here, only a name of one token can match
            for entry in entries or ():
                if kinds is not None and entry.kind not in kinds:
                    continue
                if self._accept(entry, i, i):
                    return i, entry
            return None
        found: list[tuple[int, list[_Entry]]] = []  # (last token, entries) of every n-gram on the path
        if entries:
            found.append((i, entries))
        node = child
        k = i + 1
        while True:
            entries, children = node
            if entries:
                found.append((k, entries))
            if not children or k == last_token:
                break
            node = children.get(keys[k + 1])
            # the n-gram may not cross a gap that is not allowed inside a name
            if node is None or not self.gap_ok(k):
                break
            k += 1
        for last, entries in reversed(found):
            for entry in entries:
                if kinds is not None and entry.kind not in kinds:
                    continue
                if self._accept(entry, i, last):
                    return last, entry
        return None

    def _accept(self, entry: _Entry, i: int, last: int) -> bool:
        raw = self.raw
        for k in entry.exact:
            if raw[i + k] != entry.tokens[k]:
                return False
        if entry.needs_capital and not (
            raw[i][:1].isupper() or (last > i and any(raw[j][:1].isupper() for j in range(i + 1, last + 1)))
        ):
            return False
        if entry.exact and self.parts[2 * last + 2][:1] == "$":  # "US$ 5 million"
            return False
        if entry.person and self._next_to_name(i, last):
            return False
        return True

    def _next_to_name(self, first: int, last: int) -> bool:
        """Whether a capitalised word stands right after, or (mid-sentence) right before, the match."""
        raw = self.raw
        if last + 1 < len(raw) and raw[last + 1][:1].isupper() and self.gap(last) in (" ", "\u00a0"):
            return True  # "Vladimir Putin"
        if first > 0 and raw[first - 1][:1].isupper() and self.gap(first - 1) in (" ", "\u00a0"):
            before = self.text[: self.start(first - 1)].rstrip()
            if before and before[-1] not in '.!?:;\n"«»()\u2014\u2013-':
                return True  # "Michael Jordan", but not "In Jordan" at a sentence start
        return False

    def span_of(self, first: int, last: int, entry: _Entry | None = None) -> tuple[int, int]:
        start = self._offset(2 * first + 1)
        if first == last:
            end = start + len(self.raw[first])
        else:
            end = start + len("".join(self.parts[2 * first + 1 : 2 * last + 2]))
        text = self.text
        if end < len(text):
            if entry is not None and entry.trailing_dot and text[end] == ".":
                end += 1
            elif text[end] in _CLOSER_CHARS:  # a closing quote right after: the name may take it
                inner = text[start:end]
                for opener, closer in _CLOSERS.items():
                    if opener in inner and text[end] == closer:
                        if opener == closer and inner.count(opener) % 2 == 0:
                            continue
                        if opener != closer and inner.count(opener) <= inner.count(closer):
                            continue
                        end += 1
                        break
        return start, end


_DEMONYM_KINDS = frozenset({"demonym"})


def find_places(text: str, lang: str = "en") -> list[Mention]:
    """Find place names and demonyms in ``text`` (``lang`` "en" or "ru"; both scripts are always searched).

    Returns non-overlapping mentions in text order, labelled PLACE (value :class:`Place`), DEMONYM
    (value ISO alpha-2) or DEMONYM_PAIR (value ``(first, second)``).
    """
    del lang  # every entry is searched: Russian texts quote Latin names and vice versa
    if not text:
        return []
    gaz = _gazetteer()
    scan = _Scan(text, gaz)
    out: list[Mention] = []
    keys = scan.keys
    n = len(keys)
    trie = gaz.trie
    free = 0  # first token not yet covered by a mention
    # only tokens that start a name are visited
    for i in compress(count(), map(trie.__contains__, keys)):
        if i < free:
            continue
        node = trie[keys[i]]
        entries, children = node
        if entries is None and (i + 1 == n or children is None or keys[i + 1] not in children):
            continue  # "the", "in": no name of one word, and the next word continues none
        m = scan.match_at(i, None, node)
        if m is None:
            continue
        last, entry = m
        if entry.kind in ("demonym", "prefix"):
            pair = None
            if last + 1 < n and scan.gap(last) in _HYPHEN_GAPS:
                pair = scan.match_at(last + 1, _DEMONYM_KINDS)
            if pair is not None:
                pair_last, pair_entry = pair
                start, end = scan.span_of(i, pair_last)
                out.append(
                    Mention(start, end, "DEMONYM_PAIR", (entry.country, pair_entry.country), text[start:end])
                )
                free = pair_last + 1
                continue
            if entry.kind == "prefix" and not (last + 1 < n and scan.gap(last) in _HYPHEN_GAPS):
                continue  # "Sino" or "китайско" on its own is not a demonym
            start, end = scan.span_of(i, last, entry)
            out.append(Mention(start, end, "DEMONYM", entry.country, text[start:end]))
        else:
            start, end = scan.span_of(i, last, entry)
            out.append(Mention(start, end, "PLACE", entry.place, text[start:end]))
        free = last + 1
    return out


_SPECIFICITY = {kind: rank for rank, kind in enumerate(KINDS)}


def lookup(name: str, lang: str = "en") -> Place | None:
    """Resolve one place name ("Kaluga Region", "в Калужской области", "Borovskoye site, Kaluga SEZ").

    An exact gazetteer name wins; otherwise the most specific place found in the string
    (site > city > region > macro > country).  Demonyms are not places: ``lookup("Chinese")`` is
    ``None``.
    """
    name = name.strip()
    if not name:
        return None
    gaz = _gazetteer()
    key = tuple(normalise_token(t) for t in _TOKEN.findall(name))
    for entry in gaz.index.get(key, ()):
        if entry.place is not None:
            return entry.place
    best: Place | None = None
    for mention in find_places(name, lang):
        if mention.label != "PLACE":
            continue
        place = mention.value
        if best is None or _SPECIFICITY[place.kind] < _SPECIFICITY[best.kind]:
            best = place
    return best


def region_name(code: str) -> str | None:
    """English name of an ISO 3166-1 alpha-2 or ISO 3166-2 code ("RU-KLU" → "Kaluga Oblast")."""
    return _gazetteer().codes.get(code.strip().upper())


def country_of(code: str) -> str | None:
    """ISO alpha-2 country of a country or subdivision code ("RU-KLU" → "RU"; unknown → None)."""
    code = code.strip().upper()
    codes = _gazetteer().codes
    if code not in codes:
        return None
    return code.split("-", 1)[0]


@lru_cache(maxsize=1)
def _city_lemmas() -> dict[tuple[str, str], str]:
    """(English canonical city name, lang) -> the dictionary form in that language, from hand_cities.tsv."""
    root = resources.files("fdiscope").joinpath("data", "gazetteer")
    out: dict[tuple[str, str], str] = {}
    raw = root.joinpath("hand_cities.tsv").read_text(encoding="utf-8").splitlines()
    lines = [ln for ln in raw if ln and not ln.startswith("#")]
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        en = _bare_name((row.get("en") or "").split("|")[0])
        for lang in header[3:]:
            first = _bare_name((row.get(lang) or "").split("|")[0])
            if en and first:
                out[(en, lang)] = first
    return out


def _bare_name(cell: str) -> str:
    """A name of a hand table without its markers: "~Владимир" (also a person's name),
    "Чанчунь=m" (a declension hint), "Кишинёв=Кишинёва;..." (explicit forms)."""
    return cell.split("=", 1)[0].lstrip("~").strip()


def city_lemma(place: Place, lang: str) -> str | None:
    """The dictionary form of a city in ``lang`` ("Шанхае" is found as Shanghai -> "Шанхай"), if known."""
    if place.kind != "city":
        return None
    return _city_lemmas().get((place.name, lang))
