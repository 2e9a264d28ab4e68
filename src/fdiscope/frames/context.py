"""Shared helpers of the frames: clean entity lists, document-level votes, evidence building."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from ..model import Evidence, Mention, Place, make_evidence
from ..normalise.orgs import OrgName, first_names, org_key
from ..normalise.places import lookup as place_lookup
from ..pipeline import Doc, SpanIndex
from .cues import frame_cues

__all__ = [
    "RESTATED",
    "DocContext",
    "build_context",
    "dateline_place",
    "evidence",
    "nearest",
    "origin_place",
    "qualifies_company",
]

_WORD = re.compile(r"\w+", re.UNICODE)
#: The text between two amounts when the second restates the first: "20 billion rubles (about $220m)"
RESTATED = re.compile(
    r"^\s*[(\[]\s*(?:~|≈|about|approx\.?|around|some|nearly|almost|около|примерно|порядка)?\s*$", re.I
)


@dataclass
class DocContext:
    """What every frame needs to know about the whole document."""

    orgs: list[Mention]
    places: list[Mention]
    demonyms: list[Mention]
    #: alias key -> longest name written for that organisation
    org_names: dict[str, str]
    #: alias key -> best score seen anywhere in the document
    org_scores: dict[str, float]
    host_country: str | None
    #: country -> most mentioned region code of that country
    top_region: dict[str, str]
    #: a foreign country whose companies the document talks about ("Chinese companies")
    company_country: str | None
    _org_starts: list[int] = field(default_factory=list, repr=False)
    #: the starts of ``places`` when they are in text order (None: not yet known; [] and
    #: ``places`` non-empty: not sorted, scan them all)
    _place_starts: list[int] | None = field(default=None, repr=False)
    _index: dict[str, SpanIndex] = field(default_factory=dict, repr=False)

    def index(self, name: str) -> SpanIndex:
        """A position index over ``places``, ``demonyms``, ``orgs`` or ``places+demonyms``."""
        found = self._index.get(name)
        if found is None:
            parts = {"places": self.places, "demonyms": self.demonyms, "orgs": self.orgs}
            found = self._index[name] = SpanIndex(m for part in name.split("+") for m in parts[part])
        return found

    def place_of(self, code: str | None) -> Mention | None:
        """The first place mention of a country or region code: evidence for a document-level value."""
        if not code:
            return None
        for p in self.places:
            pv: Place = p.value
            if (pv.region if "-" in code else pv.country) == code:
                return p
        return None

    def places_in(self, start: int, end: int) -> list[Mention]:
        """Place mentions starting inside ``[start, end)``, in the order of ``places``: those the
        frames test for each event or figure, found by bisection instead of a scan of every place."""
        starts = self._place_starts
        if starts is None:
            starts = [m.start for m in self.places]
            if any(a > b for a, b in zip(starts, starts[1:], strict=False)):
                starts = []  # not in text order (a context built by hand): scan
            self._place_starts = starts
        if not starts:
            return [p for p in self.places if start <= p.start < end]
        lo = bisect_left(starts, start)
        return self.places[lo : bisect_left(starts, end, lo)]

    def orgs_in(self, start: int, end: int) -> list[Mention]:
        """Organisation mentions starting inside ``[start, end)`` (``orgs`` is in text order)."""
        if len(self._org_starts) != len(self.orgs):
            self._org_starts = [m.start for m in self.orgs]
        lo = bisect_left(self._org_starts, start)
        hi = bisect_left(self._org_starts, end, lo)
        return self.orgs[lo:hi]


def dateline_place(doc: Doc, p: Mention) -> bool:
    """ "BEIJING, 2 March (BelTA) –": the city a wire story was filed from, not where events happen."""
    text = doc.text
    word = text[p.start : p.end]
    if not word.isupper() or len(word) <= 2:
        return False  # the usual answer, told before the line is looked at
    line_start = text.rfind("\n", 0, p.start) + 1
    return _DATELINE_PREFIX.fullmatch(text, line_start, p.start) is not None


_DATELINE_PREFIX = re.compile(r"[\W\d]*(?:date[\W\d]*)?", re.I)


_WIRE_CITY = re.compile(r"[\W\d]*[A-ZА-ЯЁ][A-ZА-ЯЁ .'’-]+,\s*")
_WIRE_AFTER = re.compile(r"\s*(?:\([^()\n]{1,30}\)\s*)?(?:--|[–—/.-])")


def dateline_date(doc: Doc, d: Mention) -> bool:
    """ "HARBIN, May 20 (Xinhua) --", "NIZHNY NOVGOROD, March 12.": the day a wire story was
    filed, written after the city it was filed from at the start of a line."""
    line_start = doc.text.rfind("\n", 0, d.start) + 1
    return (
        _WIRE_CITY.fullmatch(doc.text, line_start, d.start) is not None
        and _WIRE_AFTER.match(doc.text, d.end) is not None
    )


def evidence(doc: Doc, start: int, end: int) -> Evidence:
    return make_evidence(doc.doc_id, doc.text, start, end)


def nearest(mentions: list[Mention], pos: int) -> Mention | None:
    best: Mention | None = None
    best_d = 10**9
    for m in mentions:
        d = min(abs(m.start - pos), abs(m.end - pos))
        if d < best_d:
            best, best_d = m, d
    return best


def alias_of(key: str, known: dict[str, str]) -> str:
    """Map an org key onto a known key when one is a prefix of the other ("haval" ~ "havalmotor...")."""
    if key in known:
        return key
    for k in known:
        if len(key) >= 4 and len(k) >= 4 and (k.startswith(key) or key.startswith(k)):
            return k
    if len(key) >= 4:
        # "Jiangsu Huaxin Heavy Machinery" ... "Huaxin": a name opened by a place is cited by the rest
        for k, name in known.items():
            if key not in k:
                continue  # (the rest's key is part of the whole name's key: most names fail here)
            words = name.split()
            if len(words) >= 3 and org_key(" ".join(words[1:])).startswith(key) and _is_place(words[0]):
                return k
    return key


def _is_place(word: str) -> bool:
    return word[:1].isupper() and place_lookup(word) is not None


def _clean_orgs(doc: Doc, keys: dict[str, str] | None = None) -> list[Mention]:
    """The organisation mentions the frames use: no public body, place, surname or figure.

    ``keys`` receives the :func:`org_key` of every name kept (the caller needs them again).
    """
    if keys is None:
        keys = {}
    blockers = SpanIndex(
        doc.of("PLACE") + doc.of("MONEY") + doc.of("DATE") + doc.of("PERIOD") + doc.of("DEMONYM")
    )
    place_index = SpanIndex(doc.of("PLACE"))
    trimmed = [_trim_trailing_place(doc, m, place_index) for m in doc.of("ORG")]
    # only the stems of one-word names scored below 0.9 are ever looked up among the surnames
    surnames = _surnames(
        doc,
        {_stem(v.name) for m in trimmed if not (v := m.value).public and " " not in v.name and v.score < 0.9},
    )
    # "Amur grain terminal" beside "Amur Region": a one-word name that opens a place name is that place
    place_heads = {
        doc.text[p.start : p.end].split()[0].casefold()
        for p in doc.of("PLACE")
        if " " in doc.text[p.start : p.end]
    }
    out: list[Mention] = []
    for m in trimmed:
        val: OrgName = m.value
        if val.public:
            continue
        if " " not in val.name and val.name.casefold() in place_heads and val.score < 0.9:
            continue
        if " " not in val.name and val.score < 0.9 and _stem(val.name) in surnames:
            continue  # "Шапша подписал ...": the governor named in full elsewhere ("Владислав Шапша")
        covered = False
        for b in blockers.overlapping(m.start, m.end):
            if b.start <= m.start and b.end >= m.end:
                covered = True
                break
            if (
                b.overlaps(m)
                and (b.end - b.start) >= 0.5 * (m.end - m.start)
                and b.label in ("PLACE", "DEMONYM")
            ):
                # "Kaluga Region" as an org chunk: the place wins unless the org has more words
                rest = (doc.text[m.start : b.start] + doc.text[b.end : m.end]).strip(" -'’s")
                if not _WORD.search(rest) or len(rest.split()) <= 1 and val.score < 0.75:
                    covered = True
                    break
        if not covered:
            key = keys.get(val.name)
            if key is None:
                key = keys[val.name] = org_key(val.name)
            if key:
                out.append(m)
    return out


#: A capitalised word after white space: a surname when the word before it is a given name.  The
#: scan starts with a character class, so the regex engine skips from one capital to the next in C.
_CAPITALISED = re.compile(r"[A-ZА-ЯЁ](?<=\s.)[\w'’-]+")
_RUN_CHARS = "_'’-"  # with the letters and digits, the characters of ``[\w'’-]``


def _stem(word: str) -> str:
    """A surname without a Russian case ending ("Шапши" ~ "Шапша")."""
    low = word.casefold()
    return low[:-1] if len(low) > 4 else low


def _is_letter(ch: str) -> bool:
    """``[^\\W\\d_]`` of a regex: a word character that is no decimal digit and no underscore."""
    return ch.isalnum() and not ch.isdecimal()


def _word_before(text: str, end: int) -> str:
    """The maximal run of ``[\\w'’-]`` ending at ``end``, from its first letter on ("5-Ivan" ->
    "Ivan"); "" when there is none."""
    j = end
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in _RUN_CHARS):
        j -= 1
    for i in range(j, end):
        if _is_letter(text[i]):
            return text[i:end]
    return ""


def _surnames(doc: Doc, stems: AbstractSet[str] | None = None) -> set[str]:
    """Words written after a given name in this document ("Vladislav Shapsha" -> "shapsh").

    The pairs are those of ``(?<![^\\W\\d_])([^\\W\\d_][\\w'’-]*+)(?=\\s+([A-ZА-ЯЁ][\\w'’-]+))``,
    found from the capitalised words (far fewer than the positions that regex tries) and the
    word before each (tests/test_context.py compares the two).

    With ``stems``, only those stems are sought (the answer is the full one intersected with
    them): a capitalised word of another stem costs no look at the word before it.
    """
    first = first_names(doc.lang)
    text = doc.text
    out: set[str] = set()
    if stems is not None and not stems:
        return out
    for m in _CAPITALISED.finditer(text):
        capital = m.group()
        if stems is not None:
            low = capital.casefold()
            if (low[:-1] if len(low) > 4 else low) not in stems:
                continue
        end = m.start() - 1  # the white space before the capital starts at ``end``
        while end > 0 and text[end - 1].isspace():
            end -= 1
        # mostly a plain word after a space; anything else takes the exact walk
        space = text.rfind(" ", end - 40 if end > 40 else 0, end)
        word = text[space + 1 : end]
        if not word.isalpha() or space < 0 and end > 40:
            word = _word_before(text, end)
        if word and word.casefold() in first:
            out.add(_stem(capital))
    return out


_OF_END = re.compile(r"\b(?:of|из)$")


def _trim_trailing_place(doc: Doc, m: Mention, places: SpanIndex) -> Mention:
    """ "Avtotor Kaliningrad automobile plant": the city after a name is where it is, not part of it.

    A country after "of" stays ("Bank of China"), as does a name that is only the place.
    """
    for p in places.ending_at(m.end):
        if m.start < p.start and p.value.kind in ("city", "region"):
            head = doc.text[m.start : p.start].rstrip(" -")
            if head and not _OF_END.search(head) and len(head.split()) >= 1 and head[-1].isalnum():
                val: OrgName = m.value
                return Mention(
                    m.start, m.start + len(head), "ORG", OrgName(head, val.score, val.public), head
                )
    return m


# A name's first word standing alone as a company ("Tianma's chairman", "Tianma said"): after it,
# the possessive or a verb of what companies say and do.
_SHORT_USE = re.compile(
    r"(?:'s|’s)\b|\s+(?:said|says|will|has|had|plans|intends|expects|announced|signed|is|was)\b"
)


def _short_forms(doc: Doc, orgs: list[Mention]) -> list[Mention]:
    """Mentions of a company by the first word of its name ("Tianma Motors" ... "Tianma's chairman"),
    valued as the full name.

    Only a word of four letters or more that the text never writes in lower case and that is no
    place or demonym, used as a company is ("'s", "said", "will", ...), and not inside another name.
    """
    heads: dict[str, Mention] = {}
    for m in orgs:
        words = m.value.name.split()
        head = words[0] if len(words) >= 2 else ""
        if len(head) >= 4 and head[0].isupper() and head.isalpha():
            heads.setdefault(head, m)
    if not heads:
        return []
    # one scan for every head, in any case: a lower-case match makes it an ordinary word
    # ("Great Wall" ... "a great deal"), a match as written followed by "'s", "said", ... a mention
    text = doc.text
    found = [(start, end, text[start:end]) for start, end in _head_spans(text, list(heads))]
    ordinary = {head.casefold() for _, _, head in found if head.islower()}
    used = [
        (start, end, head)
        for start, end, head in found
        if head in heads and head.casefold() not in ordinary and _SHORT_USE.match(text, end)
    ]
    if not used:
        return []  # no index of the taken spans for nothing to test against it
    taken = SpanIndex(orgs + doc.of("PLACE") + doc.of("DEMONYM"))
    out: list[Mention] = []
    for start, end, head in used:
        full = heads[head]
        if any(t.start <= start < t.end for t in taken.overlapping(start, end)):
            continue
        # the value is the company's full name; the span is the word written
        out.append(Mention(start, end, "ORG", OrgName(full.value.name, full.value.score, False), head))
    return out


_RUN = re.compile(r"[\w-]+")
#: the non-ASCII letters a case-insensitive regex lets stand for an ASCII letter ("K" for "k")
_ASCII_FOLDS = frozenset("\u0130\u0131\u017f\u212a")


def _head_uses(text: str, heads: list[str]) -> list[re.Match[str]]:
    """The whole words (runs of ``[\\w-]``) of ``text`` that are one of ``heads`` in any case:
    the matches of ``(?<![\\w-])(?:head|...)(?![\\w-])`` under IGNORECASE, in text order.

    Heads are letters only, so a match is exactly such a run.  For ASCII heads a run matches when
    it lower-cases to one (no regex is compiled for each document); a run holding one of the four
    letters a case-insensitive regex matches to ASCII letters, or any non-ASCII head, takes the
    regex itself.
    """
    if all(h.isascii() for h in heads):
        low = {h.lower() for h in heads}
        sizes = {len(h) for h in heads}
        out: list[re.Match[str]] = []
        for m in _RUN.finditer(text):
            word = m.group()
            if len(word) not in sizes:
                continue
            if word.isascii():
                if word.lower() in low:
                    out.append(m)
            elif not _ASCII_FOLDS.isdisjoint(word):
                break  # a rare letter: let the regex decide for the whole text
        else:
            return out
    pattern = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
        + r")(?![\w-])",
        re.IGNORECASE,
    )
    return list(pattern.finditer(text))


def _head_spans(text: str, heads: list[str]) -> list[tuple[int, int]]:
    """The spans of :func:`_head_uses`, found with ``str.find`` in the lower-cased text when every
    head is ASCII: one C-level search per head instead of a Python step per word of the text.

    ``str.lower`` keeps every offset and maps no other character to an ASCII letter except "İ"
    (two characters) and the Kelvin sign; a text holding one of the four letters a
    case-insensitive regex matches to ASCII letters takes :func:`_head_uses`.
    """
    if not all(h.isascii() for h in heads) or any(ch in text for ch in _ASCII_FOLDS):
        return [m.span() for m in _head_uses(text, heads)]
    low = text.lower()
    size = len(text)
    out: list[tuple[int, int]] = []
    for head in {h.lower() for h in heads}:
        start = low.find(head)
        while start >= 0:
            end = start + len(head)
            # a whole run of [\w-]: no word character or hyphen on either side
            if (start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_-")) and (
                end == size or not (text[end].isalnum() or text[end] in "_-")
            ):
                out.append((start, end))
            # a match cannot start inside this one: it would follow a letter
            start = low.find(head, end)
    out.sort()
    return out


def build_context(doc: Doc) -> DocContext:
    keys: dict[str, str] = {}  # name -> org_key, once per distinct name
    orgs = _clean_orgs(doc, keys)
    orgs = sorted(orgs + _short_forms(doc, orgs), key=lambda m: (m.start, -m.end))
    names: dict[str, str] = {}
    scores: dict[str, float] = {}
    for m in sorted(orgs, key=lambda m: -len(m.value.name)):
        key = keys.get(m.value.name)
        if key is None:
            key = keys[m.value.name] = org_key(m.value.name)
        key = alias_of(key, names)
        if key not in names or len(m.value.name) > len(names[key]):
            names[key] = m.value.name
        scores[key] = max(scores.get(key, 0.0), m.value.score)
    money = doc.of("MONEY")
    # "долл США", "U.S. dollars": a country inside a currency name is not a place of the story
    if money:
        money_index = SpanIndex(money)
        places = [
            p
            for p in doc.of("PLACE")
            if not any(m.start <= p.start and p.end <= m.end for m in money_index.overlapping(p.start, p.end))
        ]
    else:
        places = list(doc.of("PLACE"))
    demonyms = doc.of("DEMONYM")
    country_votes: Counter[str] = Counter()
    region_votes: dict[str, Counter[str]] = {}
    for p in places:
        pv: Place = p.value
        if not pv.country:
            continue
        weight = 1 if pv.kind == "country" else 2
        country_votes[pv.country] += weight
        if pv.region and not dateline_place(doc, p):  # the filing city is no vote for a region
            region_votes.setdefault(pv.country, Counter())[pv.region] += 1
    company_votes: Counter[str] = Counter()
    for d in demonyms:
        # a joint "Hungarian-Chinese consortium" says whose partnership it is, not whose companies
        codes = _codes(d.value)
        if len(codes) == 1 and qualifies_company(doc, d, wide=True):
            company_votes[codes[0]] += 1
    for p in places:
        # "five new residents from China", "инвесторы из Китая": companies of that country
        if p.value.kind == "country" and p.value.country:
            before = doc.text[max(0, p.start - 40) : p.start]
            # the pattern ends with "from" or "из": most places have neither before them
            low = before.lower()
            if ("from" in low or "из" in low) and _COMPANIES_FROM.search(before):
                company_votes[p.value.country] += 1
    host = None
    for country, _ in country_votes.most_common():
        host = country
        break
    if host and company_votes and host in company_votes and len(country_votes) > 1:
        # the companies' own country is rarely the host when another country is also discussed
        others = [c for c, _ in country_votes.most_common() if c != host]
        if (
            others
            and country_votes[others[0]] >= country_votes[host] * 0.5
            and others[0] not in company_votes
        ):
            host = others[0]
    top_region = {c: v.most_common(1)[0][0] for c, v in region_votes.items() if v}
    company_country = None
    for c, _ in company_votes.most_common():
        if c != host:
            company_country = c
            break
    return DocContext(orgs, places, demonyms, names, scores, host, top_region, company_country)


_COMPANIES_FROM = re.compile(
    r"\b(?:compan(?:y|ies)|residents?|investors?|firms?|manufacturers?|producers?|businesses|"
    r"компани\w*|резидент\w*|инвестор\w*|производител\w*|предприяти\w*)\s+(?:\w+\s+)?(?:from|из)\s+(?:the\s+)?$",
    re.I,
)
_FUNDED = re.compile(r"^-(?:funded|financed|owned|backed|invested)\b", re.I)


def origin_place(doc: Doc, p: Mention) -> bool:
    """The place companies come from ("an investor from Harbin", "компании из Китая"): their home,
    not where their project is."""
    before = doc.text[max(0, p.start - 40) : p.start]
    low = before.lower()
    return ("from" in low or "из" in low) and _COMPANIES_FROM.search(before) is not None


def qualifies_company(doc: Doc, d: Mention, wide: bool = False) -> bool:
    """The demonym qualifies companies: "Chinese companies", "a Chinese battery maker".

    ``wide`` also accepts nouns for a party in general ("the Chinese side", "Chinese business").
    """
    cues = frame_cues(doc.lang).project
    tail = doc.text[d.end : d.end + 40]
    if _FUNDED.match(tail):
        return True  # "a Chinese-funded plant": the money comes from that country's companies
    gap = len(tail) - len(tail.lstrip(' \u00a0«"“'))
    if gap and any(o.start == d.end + gap for o in doc.of("ORG")):
        return True  # "китайская Great Wall", "Chinese Haier": the demonym qualifies a company's name
    for name in ("company_noun", "party_noun") if wide else ("company_noun",):
        m = cues.search_in(name, doc.text, d.end, d.end + 40)
        if m is not None and tail[: m.start()].strip() and len(tail[: m.start()].split()) <= 2:
            return True
        if m is not None and not tail[: m.start()].strip():
            return True
    return False


def _codes(value: object) -> list[str]:
    if isinstance(value, str):
        return [v for v in value.split("+") if v]
    if isinstance(value, tuple | list):
        return [str(v) for v in value]
    return []


def demonym_codes(m: Mention) -> list[str]:
    return _codes(m.value)
