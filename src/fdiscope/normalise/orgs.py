"""Organisation names by rule: capitalised chunks, legal forms, quoted names, acting context.

A generic NER model mislabels many of the names this domain cares about ("Yapp Rus Automotive
System" as a person, "IG BR" as nothing), so names are found from the shape of the text and cue
lexicons (``data/<lang>/orgs.yaml``).  The finder is deliberately liberal: each ORG mention
carries a ``score`` and the frames decide from role cues which names are investors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, count
from operator import attrgetter, itemgetter, or_

from ..lexicon import load_lexicon
from ..model import Mention

__all__ = ["OrgName", "find_orgs", "OrgLexicon", "first_names", "org_key"]

_TOKEN = re.compile(r"[^\W_](?:[\w&.'’+\-]*[^\W_])?\.?", re.UNICODE)
#: The same tokens with the gaps between them (a split keeps both), written for speed: the run of
#: token characters is taken whole and given back only until it ends in a letter or digit (the
#: lookbehind), and ASCII letters and digits hit the class's bitmap before the Unicode category.
_TOKEN_SPLIT = re.compile(r"([^\W_][0-9A-Za-z\w&.'’+\-]*(?<=[^\W_])\.?)", re.UNICODE)
#: The same for an ASCII sentence (most English ones, even in a text with curly quotes), where
#: every class is a plain bitmap: on ASCII, ``[^\W_]`` is ``[0-9A-Za-z]`` and ``\w`` adds ``_``.
_TOKEN_SPLIT_ASCII = re.compile(r"([0-9A-Za-z][0-9A-Za-z_&.'+\-]*(?<=[0-9A-Za-z])\.?)")
_QUOTED = re.compile(r"[«\"“„]([^«»\"“”„\n]{2,60}?)[»\"”“]")
_LATIN = re.compile(r"[A-Za-z]")
_LANDFORMS = frozenset("valley river lake bay island mountains sea ocean".split())
_QUALIFIER = re.compile(r"-(?:owned|based|made|funded|backed)$")
#: What may stand between two words of one name.
_CHUNK_GAPS = frozenset({" ", "-", "\u00a0"})
_POSSESSIVE = ("'s", "’s")
#: The blanks :attr:`OrgLexicon.site_after` opens with.
_BLANKS = frozenset(" \t")
#: Verbs after a name that make it a quoted source ("X said") rather than an actor.
_SOURCE_VERBS = frozenset({"said", "told", "says", "noted", "stated", "added", "explained"})


@dataclass(frozen=True, slots=True)
class OrgName:
    """The value of an ORG mention."""

    name: str
    score: float  # 0..1: how sure the shape and context make us
    public: bool = False  # a government body or public institution

    def __init__(self, name: str, score: float, public: bool = False) -> None:
        # one per ORG mention: the slots' own setters instead of the frozen __init__'s
        # object.__setattr__ calls (the same trick as Mention's)
        _SET_NAME(self, name)
        _SET_SCORE(self, score)
        _SET_PUBLIC(self, public)


# the slot descriptors of the final (slotted) class; frozen instances stay read-only from outside
_SET_NAME, _SET_SCORE, _SET_PUBLIC = (OrgName.__dict__[f].__set__ for f in ("name", "score", "public"))
_NEW_OBJECT = object.__new__


@dataclass(frozen=True)
class OrgLexicon:
    legal_after: frozenset[str]
    legal_before: frozenset[str]
    org_words: frozenset[str]
    generic_words: frozenset[str]
    company_nouns: frozenset[str]
    acting_verbs: frozenset[str]
    person_titles: frozenset[str]
    not_names: frozenset[str]
    public_bodies: frozenset[str]
    connectors: frozenset[str]
    trade_and: frozenset[str]
    demonyms: frozenset[str]
    quote_any: bool
    quote_not_after: frozenset[str]
    event_words: frozenset[str]
    site_words: frozenset[str]
    first_names: frozenset[str]
    #: the legal forms after a name written in lower case ("plc"): the only ones a capital check misses
    legal_lower: frozenset[str] = frozenset()
    #: "a Chinese manufacturer of lithium-ion batteries, " right before a name: its apposition
    appositive: re.Pattern[str] | None = None
    #: " gold deposit" right after a name: a place of extraction, not a company
    site_after: re.Pattern[str] | None = None
    #: the ASCII characters that may open the word after the blanks ``site_after`` starts with (a
    #: mineral or a site word, any case): a name followed by another word skips the pattern
    site_first: frozenset[str] = frozenset()
    #: "and" joining two subjects: "Rosatom and Gazprom will build" (both names act)
    coordinators: frozenset[str] = frozenset()
    #: ", a domestic producer of" right after a name: a company apposition follows it
    apposition_after: re.Pattern[str] | None = None
    #: " said on Tuesday it" right after a sentence's first word: a company speaking of itself
    said_it: re.Pattern[str] | None = None
    #: whether a person title before a name is written with a capital (English: "President X")
    titles_capitalised: bool = False
    #: people often named by the surname alone ("Putin", "Xi"), case-folded: never a company
    public_figures: frozenset[str] = frozenset()
    #: unions the chunk checks ask in one lookup instead of two or three (derived in ``__post_init__``)
    titles: frozenset[str] = field(init=False)  # person titles and public bodies
    title_run: frozenset[str] = field(init=False)  # lower-case words inside a title phrase
    plain: frozenset[str] = field(init=False)  # generic words and not-names
    plain_or_demonym: frozenset[str] = field(init=False)  # ... and demonyms
    title_gate: frozenset[str] = field(init=False)  # titles and title_run: a word a title phrase may end in
    person_before: frozenset[str] = field(init=False)  # person titles and given names

    def __post_init__(self) -> None:
        derived = {
            "titles": self.person_titles | self.public_bodies,
            "title_run": self.connectors | _TITLE_RUN,
            "plain": self.generic_words | self.not_names,
            "plain_or_demonym": self.generic_words | self.not_names | self.demonyms,
            "title_gate": self.person_titles | self.public_bodies | self.connectors | _TITLE_RUN,
            "person_before": self.person_titles | self.first_names,
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)


#: Lower-case words that continue a title phrase besides the connectors ("Minister for the ...").
_TITLE_RUN = frozenset({"and", "for", "the", "и", "по"})


def _alt(words: frozenset[str]) -> str:
    """The words as a regex alternation, longest first."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _site_after(words: frozenset[str], minerals: frozenset[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    between = rf"(?:(?:{_alt(minerals)})[ \t]+){{0,2}}" if minerals else ""
    return re.compile(rf"[ \t]+{between}(?:{_alt(words)})\b", re.IGNORECASE)


def _site_first(words: frozenset[str], minerals: frozenset[str]) -> frozenset[str]:
    """The ASCII characters that match the first character of a site word or a mineral under the
    pattern's IGNORECASE (tried one by one against a class of those characters: no case rule here)."""
    firsts = {w[0] for w in words | minerals if w}
    if not firsts:
        return frozenset()
    cls = re.compile("[" + "".join(map(re.escape, sorted(firsts))) + "]", re.IGNORECASE)
    return frozenset(c for c in map(chr, range(128)) if cls.fullmatch(c))


def company_nouns(lang: str) -> frozenset[str]:
    """The nouns that introduce a company's name in ``lang`` ("manufacturer", "компания"), lower case."""
    return _lexicon(lang).company_nouns


#: The words joining a company noun to what it makes in :func:`_appositive`, between blanks: a
#: necessary part of every apposition, found by a cheap search before the costly one.
_OF_FOR = re.compile(r"\s(?:of|for)\s", re.IGNORECASE)


def _appositive(nouns: frozenset[str]) -> re.Pattern[str] | None:
    """A company noun with what it makes or does, ending in a comma: "manufacturer of
    lithium-ion batteries, ", "operator of the port, " (the name that follows is its apposition)."""
    if not nouns:
        return None
    pattern = rf"(?:^|\W)(?:{_alt(nouns)})\s+(?:of|for)\s+(?:[\w-]+\s+){{0,5}}?[\w-]+\s*,\s*$"
    return re.compile(pattern, re.IGNORECASE)


def _apposition_after(nouns: frozenset[str]) -> re.Pattern[str] | None:
    """A company noun in an apposition right after a name: ", a domestic producer of", ", the
    Russian subsidiary of", ", one of the largest carmakers"."""
    if not nouns:
        return None
    pattern = rf",\s+(?:an?|the|one of the)\s+(?:[\w-]+\s+){{0,3}}?(?:{_alt(nouns)})s?\b"
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=8)
def _lexicon(lang: str) -> OrgLexicon:
    d = load_lexicon(lang, "orgs")

    def fs(key: str, lower: bool = False) -> frozenset[str]:
        vals = [str(v) for v in d.get(key, [])]
        return frozenset(v.lower() for v in vals) if lower else frozenset(vals)

    return OrgLexicon(
        legal_after=fs("legal_forms_after"),
        legal_lower=frozenset(w for w in fs("legal_forms_after") if not w[:1].isupper()),
        legal_before=fs("legal_forms_before"),
        org_words=fs("org_words", lower=True),
        generic_words=fs("generic_words", lower=True),
        company_nouns=fs("company_nouns", lower=True),
        acting_verbs=fs("acting_verbs", lower=True),
        person_titles=fs("person_titles", lower=True),
        not_names=fs("not_names", lower=True),
        public_bodies=fs("public_bodies", lower=True),
        connectors=fs("connectors", lower=True) or frozenset({"of", "&"}),
        trade_and=fs("trade_and", lower=True),
        coordinators=fs("coordinators", lower=True),
        public_figures=fs("public_figures", lower=True),
        titles_capitalised=bool(d.get("titles_capitalised", False)),
        demonyms=fs("name_demonyms", lower=True),
        quote_any=bool(d.get("quote_any", False)),
        quote_not_after=fs("quote_not_after", lower=True),
        event_words=fs("event_words", lower=True),
        site_words=fs("site_words", lower=True),
        first_names=fs("first_names", lower=True),
        appositive=_appositive(fs("company_nouns", lower=True)),
        apposition_after=_apposition_after(fs("company_nouns", lower=True)),
        said_it=re.compile(str(d["said_it"]), re.IGNORECASE) if d.get("said_it") else None,
        site_after=_site_after(fs("site_after", lower=True), fs("site_minerals", lower=True)),
        site_first=_site_first(fs("site_after", lower=True), fs("site_minerals", lower=True)),
    )


def first_names(lang: str) -> frozenset[str]:
    """Given names of the ``lang`` lexicon, case-folded ("a name before a surname")."""
    return _lexicon(lang).first_names


def org_key(name: str) -> str:
    """A comparison key: case-folded, quotes, punctuation and legal forms dropped.

    >>> org_key('JSC "Ammoni"')
    'ammoni'
    >>> org_key("IGBR") == org_key("IG BR")
    True
    """
    words = _KEY_PUNCT.sub(" ", name.casefold()).split()
    if _LEGAL_KEYS.isdisjoint(words):  # the common case: no legal form to drop
        return "".join(words)
    return "".join([w for w in words if w not in _LEGAL_KEYS])


_KEY_PUNCT = re.compile(r"[«»\"“”„'’.,()]")
_LEGAL_KEYS = frozenset(
    "llc ltd limited inc corp corporation co jsc pjsc ojsc cjsc gmbh ag sa zrt kft plc group company "
    "ооо оао зао пао ао ип групп".split()
)


def _is_cap(tok: str, inside: bool = False) -> bool:
    c = tok[0]
    return c.isupper() or (inside and c.isdigit() and any(ch.isalpha() for ch in tok))


def _strip_possessive(tok: str) -> str:
    for suf in ("'s", "’s"):
        if tok.endswith(suf):
            return tok[: -len(suf)]
    return tok


def find_orgs(text: str, lang: str, sentences: list[tuple[int, int]]) -> list[Mention]:
    """Find organisation-name mentions in ``text`` sentence by sentence.

    Args:
        text: the document text.
        lang: ISO 639-1 language code selecting the lexicon.
        sentences: sentence spans, so chunks never cross a sentence boundary.

    Returns:
        ORG mentions (value :class:`OrgName`), sorted by position, never overlapping.
    """
    lex = _lexicon(lang)
    out: list[Mention] = []
    # a quoted name opens with one of these: without any, no sentence is searched (four C scans)
    quotes = '"' in text or "«" in text or "“" in text or "„" in text
    # the legal forms written in lower case ("plc") that occur in the document: only sentences
    # holding one of them look the forms up word by word
    lower_forms = tuple(form for form in lex.legal_lower if form in text)
    for s, e in sentences:
        quoted = _quoted_names(text, s, e, lex, lang) if quotes else []
        if not quoted:
            out += _chunk_names(text, s, e, lex, lower_forms)
            continue
        out += quoted
        taken = [(m.start, m.end) for m in quoted]
        for m in _chunk_names(text, s, e, lex, lower_forms):
            if any(m.start < te and ts < m.end for ts, te in taken):
                continue
            out.append(m)
    out.sort(key=attrgetter("start"))
    return _drop_people(text, out, lex)


def _drop_people(text: str, found: list[Mention], lex: OrgLexicon) -> list[Mention]:
    """Drop one-word names that the document (or the lexicon) shows to be a person's.

    "President Vladimir Putin ... Putin and Xi signed": once a word follows a person title or a
    given name somewhere in the text ("President Xi Jinping", "Vladimir Putin"), the word alone
    names that person, not a company.  Names of several words and names with a legal form stay.
    """
    single = {m.text for m in found if " " not in m.text and not m.value.public}
    if not single:
        return found
    people = {w for w in single if w.lower() in lex.public_figures or _named_as_person(text, w, lex)}
    if not people:
        return found
    return [m for m in found if m.text not in people or m.value.score >= 0.95]


def _named_as_person(text: str, word: str, lex: OrgLexicon) -> bool:
    """Whether ``word`` follows a person title or a given name somewhere in ``text``.

    The word right before it, or the one before that when a capitalised word stands between
    ("President Vladimir Putin"), is looked up; "Li Qiang" (family name first) also counts.
    """
    titled = lex.person_before
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            # a title or a given name is written with a capital ("its partner Sinopec" is no person)
            # the word right before ("President Putin", "Vladimir Putin", "Li Qiang"), or the one
            # before it across a capitalised word ("President Vladimir Putin")
            for w in reversed(text[max(0, at - 60) : at].split()[-2:]):
                if not w[:1].isupper():
                    break
                if w.lower().rstrip(".,") in titled:
                    return True
        at = text.find(word, end)
    return False


def _quoted_names(text: str, s: int, e: int, lex: OrgLexicon, lang: str) -> list[Mention]:
    """Names in quotes after a legal form or a company noun: ООО «Рубин», JSC "Ammoni"."""
    out: list[Mention] = []
    for m in _QUOTED.finditer(text, s, e):
        inner = m.group(1).strip()
        if not inner or not (inner[0].isupper() or inner[0].isdigit()):
            continue
        if len(inner.split()) > 6:
            continue
        before = text[max(s, m.start() - 40) : m.start()].split()
        prev = before[-1] if before else ""
        prev_clean = prev.strip(",;:").lower()
        legal = prev in lex.legal_before or prev.upper() in lex.legal_before
        noun = prev_clean in lex.company_nouns or any(
            prev_clean.startswith(n) for n in lex.company_nouns if len(n) > 5
        )
        score = 0.9
        if not (legal or noun):
            if not lex.quote_any or prev_clean in lex.quote_not_after:
                continue
            score = 0.6
        start = m.start()
        out.append(Mention(start, m.end(), "ORG", OrgName(inner, score), text[start : m.end()]))
    return out


class _Tokens:
    """The tokens of one sentence and the gaps between them, from one regex split.

    ``parts`` alternates gap, token, gap, ..., token, gap (``parts[2 * k]`` is the text before token
    ``k``); character offsets are only needed for the few chunks that are weighed, and are measured
    then (the length of the joined parts before a token: a C loop, no int per part).
    """

    __slots__ = ("_part", "_pos", "lows", "parts", "start", "text", "words")

    def __init__(self, text: str, s: int, e: int, head: bool = False) -> None:
        """``head``: the caller opens names only at capitalised words; an ASCII sentence with no
        capital after its first character is then cut into its first two tokens only (see
        :func:`_head_parts`)."""
        # bounds as a regex search takes them (a slice would count back); conditionals, not max()
        s = s if s > 0 else 0
        e = e if e > 0 else 0
        self.start = s
        self._part = self._pos = 0  # offset cursor: a part index and the offset where that part starts
        self.text = sentence = text[s:e]
        parts = None
        if sentence.isascii():
            if head:
                parts = _head_parts(sentence)
            if parts is None:
                parts = _TOKEN_SPLIT_ASCII.split(sentence)
        else:
            parts = _TOKEN_SPLIT.split(sentence)
        self.parts = parts
        self.words: list[str] = parts[1::2]
        # lower-cased once, for the lexicon lookups: the words joined by newlines are lowered in one
        # C call (no token holds a newline, and a newline ends a word for the final-sigma rule too,
        # so each word lowers as it would alone; see tests/test_orgs.py)
        self.lows = "\n".join(self.words).lower().split("\n") if self.words else []

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Offsets in the text of the first character of token ``i`` and just after token ``j``.

        Chunks are weighed left to right: the length of the parts before token ``i`` is added to
        the cursor left by the previous call (measured from the start when ``i`` lies before it).
        """
        parts = self.parts
        first = 2 * i + 1
        if first < self._part:
            self._part = self._pos = 0
        self._pos += len("".join(parts[self._part : first]))
        self._part = first
        begin = self.start + self._pos
        return begin, begin + len("".join(parts[first : 2 * j + 2]))


def _head_parts(sentence: str) -> list[str] | None:
    """The parts of an ASCII sentence in which only the first token can open a name, cut short.

    Without a capital after the first character (one C search), every later token is in lower
    case or opens with a digit, and a chunk opened by the first token could only grow over
    tokens of digits and letters ("5G"): when the second token opens with no digit, the chunk
    is the first token alone, and what :func:`_chunk_names` and :func:`_make_chunk` read of
    it (the gap before it, the gap after it and the second word) is in the first five parts
    of the split. The rest of the sentence is left uncut in the last part: gap, token, gap,
    token, rest. None when the sentence does not qualify.
    """
    if _UPPER_ASCII.search(sentence, 1) is not None:
        return None
    parts = _TOKEN_SPLIT_ASCII.split(sentence, 2)
    if len(parts) == 5 and parts[3][0].isdigit():
        return None
    return parts


#: Any ASCII capital: a sentence without one after its first character is cut short.
_UPPER_ASCII = re.compile(r"[A-Z]")


def _chunk_names(
    text: str, s: int, e: int, lex: OrgLexicon, lower_forms: tuple[str, ...] | None = None
) -> list[Mention]:
    """The capitalised chunks of one sentence, weighed by :func:`_make_chunk`.

    ``lower_forms``: the lower-case legal forms that occur in the document (None: all of them).
    """
    if lower_forms is None:
        lower_forms = tuple(lex.legal_lower)
    # a lower-case legal form in the sentence ("plc") opens names too: then every token is needed
    lower_open = bool(lower_forms) and any(form in text[max(s, 0) : max(e, 0)] for form in lower_forms)
    toks = _Tokens(text, s, e, head=not lower_open)
    parts, words, lows = toks.parts, toks.words, toks.lows
    out: list[Mention] = []
    n = len(words)
    legal = lex.legal_after
    connectors, trade_and, org_words = lex.connectors, lex.trade_and, lex.org_words
    free = 0
    # only a capitalised word or a legal form can open a name: visit just those (C loops over the
    # words; the legal forms are looked up only when one in lower case, "plc", is in the sentence)
    caps = list(map(str.isupper, map(itemgetter(0), words)))
    opens: Iterable[bool] = caps
    if lower_open:
        opens = map(or_, caps, map(legal.__contains__, words))
    for i in compress(count(), opens):
        if i < free:
            continue
        j = i
        while j + 1 < n:
            # (a possessive ends in "s": the last character, a cached string, is compared first)
            if parts[2 * j + 2] not in _CHUNK_GAPS or (
                words[j][-1] == "s" and words[j].endswith(_POSSESSIVE)
            ):
                break
            # a capitalised word, a legal form, or inside a name a word of digits and letters ("3M")
            if caps[j + 1]:
                j += 1
                continue
            nt = words[j + 1]
            if nt in legal or (nt[0].isdigit() and any(map(str.isalpha, nt))):
                j += 1
                continue
            nl = lows[j + 1]
            if (
                (
                    nl in connectors
                    or (nl in trade_and and lows[j] in org_words and j + 2 < n and lows[j + 2] in org_words)
                )
                and j + 2 < n
                and caps[j + 2]
                and parts[2 * j + 4] == " "
            ):
                j += 2
                continue
            break
        free = j + 1
        if i == j:
            low = lows[i]
            if (low.rstrip(".") in lex.not_names and low not in org_words) or (
                i == 0
                and not parts[0]
                and toks.start == s
                and not _camel_or_caps(words[i])
                and (lows[i + 1] if i + 1 < n else "") not in lex.acting_verbs
                and not _acts_with_next(words, lows, i + 1, lex)
                and not _speaks_as_company(text, toks.span(i, i)[1], lex)
            ):
                continue  # a lone function word, title or sentence-initial word: nothing to weigh
        chunk = _make_chunk(text, toks, i, j, s, lex)
        if chunk is not None:
            out.append(chunk)
    return out


def _in_title_phrase(toks: _Tokens, i: int, text: str, lex: OrgLexicon) -> bool:
    """The chunk continues a title or a public body: "Minister of Industry and Commerce Lin Ji"."""
    parts, words, lows = toks.parts, toks.words, toks.lows
    titles, title_run = lex.titles, lex.title_run
    for k in range(i - 1, i - 9 if i > 8 else -1, -1):  # at most eight words back
        gap = parts[2 * k + 2]
        if gap != " " and gap.strip():
            return False  # punctuation between: the run ends
        tok = words[k]
        if tok[-1] == "s" and tok.endswith(_POSSESSIVE):
            return False  # "the Cabinet and China's Xinjiang Tianshan Cement": the name is China's
        low = lows[k].rstrip(".")
        cap = tok[0].isupper()
        # English titles are capitalised ("Minister of ..."); Russian ones are not ("министр ...")
        if low in titles and (cap or not _LATIN.search(tok)):
            return True
        if not (cap or low in title_run):
            return False
    return False


def _make_chunk(text: str, toks: _Tokens, i: int, j: int, sent_start: int, lex: OrgLexicon) -> Mention | None:
    words, lows = toks.words, toks.lows
    not_names, org_words, legal_after = lex.not_names, lex.org_words, lex.legal_after
    if not lex.event_words.isdisjoint(lows[i : j + 1]):
        return None  # "IX Russia-China Economic Forum" is an event, not a company
    # trim leading function words and titles ("The", "In", "Governor")
    while i <= j and lows[i].rstrip(".") in not_names and lows[i] not in org_words:
        if lows[i] in lex.demonyms and not org_words.isdisjoint(lows[i + 1 : j + 1]):
            break  # "Russian Direct Investment Fund": the demonym is part of the name
        i += 1
    while (
        i <= j
        and lows[j] in not_names
        and words[j] not in legal_after
        and not (j > i and lows[j] in org_words)  # "Jinsheng Trading" ends in its org word
        and not (j - i >= 2 and lows[j] in _LANDFORMS)  # "Harbin Green Valley" is a name
    ):
        j -= 1
    # "Harbin-based Heilongjiang Transport Group", "Hong Kong-based Pacific Ocean Fisheries": the
    # qualifier (and the place it names) says where the company is from; the name follows it
    if j > i and "-" in "".join(words[i:j]):  # a qualifier has a hyphen
        for k in range(j - 1, i - 1, -1):  # the last qualifier before the last word
            if _is_qualifier(words[k]):
                i = k + 1
                break
    if (
        i < j
        and lows[i] in lex.company_nouns
        and words[i][:1].isupper()
        and lows[i + 1] not in lex.connectors
    ):
        i += 1  # "Компания Yutong" opening a sentence: the noun, then the name (not "Bank of China")
    # a name does not end in a qualifier or a connector ("Construction of Chinese-funded" in a headline)
    while i < j and (_is_qualifier(words[j]) or lows[j] in lex.connectors):
        j -= 1
    if i > j:
        return None
    name = words[i : j + 1]
    last = name[-1]
    start, last_tok_end = toks.span(i, j)
    if last[-1] == "s" and last.endswith(_POSSESSIVE):  # both forms are two characters long
        last = last[:-2]
        last_tok_end -= 2
    # a trailing full stop belongs to the name only for legal forms ("Zrt.")
    if last[-1:] == "." and last not in legal_after:
        last = last[:-1]
        last_tok_end -= 1
    if not last:
        return None
    name[-1] = last
    end = last_tok_end
    lowered = lows[i:j]  # the words lower-cased, the last one as trimmed
    lowered.append(last.lower())
    plain, legal_before = lex.plain, lex.legal_before
    # the two tests below hold for every word or fail at once at the first (a name's first word is
    # seldom generic): that word is tried inline before the generator is built
    first, first_low = name[0], lowered[0]
    if (first_low in plain or first in legal_after or first.upper() in legal_before) and all(
        w in plain or orig in legal_after or orig.upper() in legal_before
        for w, orig in zip(lowered, name, strict=True)
    ):
        return None  # "Компания ООО": a noun and a legal form, the name follows in quotes
    if (
        (first_low in lex.plain_or_demonym or "-" in first_low)
        and all(
            w in lex.plain_or_demonym
            # a qualifier or a compound of demonyms has a hyphen (without one, w is no demonym)
            or ("-" in w and (_QUALIFIER.search(w) or all(part in lex.demonyms for part in w.split("-"))))
            for w in lowered
        )
        and not has_legal_words(name, lex)
    ):
        return None  # "Chinese-owned Greek", "Chinese-Russian JV": qualifiers and generic words, not a name
    # the last word of the 30 characters before is enough (a conditional instead of max(): a
    # builtin call costs more than the test)
    lo = start - 30
    prev_words = text[lo if lo > sent_start else sent_start : start].rsplit(None, 1)
    prev = prev_words[-1].lower().strip(",") if prev_words else ""
    after = text[end : end + 40].split(None, 1)  # the first word of the next 40 characters
    nxt = after[0].lower().strip(",.;:") if after else ""
    has_legal = not legal_after.isdisjoint(name) or prev.upper() in lex.legal_before
    if not has_legal:
        if not lex.site_words.isdisjoint(lowered):
            return None  # "China-Belarus Industrial Park Great Stone": a site, not a company
        if (
            lex.site_after is not None
            and text[end : end + 1] in _BLANKS  # the pattern opens with blanks ...
            # ... and a mineral or a site word: the first word after the name must open like one
            # (a non-ASCII first character, or no word in reach, leaves the answer to the pattern)
            and (not after or after[0][0] in lex.site_first or not after[0][0].isascii())
            and lex.site_after.match(text, end)
        ):
            return None  # "the Kyuchus gold deposit": a place of extraction
        # a person ("its partner Mercy Trade": an English title is written with a capital)
        if prev.rstrip(".") in lex.person_titles and (
            not lex.titles_capitalised or prev_words[-1][:1].isupper()
        ):
            return None
        # (a title phrase needs a capitalised or a title word right before the chunk)
        if i and (words[i - 1][0].isupper() or lows[i - 1].rstrip(".") in lex.title_gate):
            # "the Ministry of Energy and China Datang Overseas Investment": a name ending as
            # companies do, joined by "and", is a party of its own, not the body's title going on
            if not (lows[i - 1] in lex.coordinators and lowered[-1] in org_words) and _in_title_phrase(
                toks, i, text, lex
            ):
                return None
        if (
            len(name) <= 4
            and lowered[-1] not in org_words  # "Shandong Sun Paper" ends as companies do
            and not lex.first_names.isdisjoint(lows[i:j])
        ):
            return None  # "Boris Dubrovskiy", "Development Dmitry Volvach": a person's name inside the chunk
    score = 0.3
    shaped: bool | None = None  # whether a word is in capitals or camel case: asked only when it counts
    if has_legal:
        score = 0.95
    elif len(name) > 1 and not org_words.isdisjoint(lowered):
        score = 0.8
    else:
        if len(name) == 1:
            # _camel_or_caps(last), its common answer ("Kaluga": no capital after the first letter) inline
            shaped = not (last[1:].islower() and "-" not in last) and _camel_or_caps(last)
        else:
            shaped = any(map(_camel_or_caps, name))
        if shaped:
            score = 0.6
    # an apposition before the name ends in a comma: without one in reach, no test
    lo = start - 80
    if lo < sent_start:
        lo = sent_start
    if prev in lex.company_nouns or (
        text.rfind(",", lo, start) >= 0 and _appositive_before(text, lo, start, lex)
    ):
        score = max(score, 0.75)
    # "Rosatom and Gazprom will build": a name joined by "and" to the acting one acts too
    acting = nxt in lex.acting_verbs or (nxt in lex.coordinators and _acts_with_next(words, lows, j + 1, lex))
    if acting:
        score = min(1.0, score + 0.2)
    if nxt in _SOURCE_VERBS:
        score = min(score, 0.3)  # "X said": a person or a source as often as a company
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        opener = text[max(sent_start, start - 30) : start - 1].split()
        if opener and opener[-1].lower() in lex.event_words:
            return None  # "the Tyumen Oil and Gas Forum (TNF)": the event's short name, not a company
    if start == sent_start and len(name) == 1 and text[end : end + 1] == ":" and last.isupper():
        return None  # "ANALYSIS: ...", "UPDATE: ...": a rubric, not a name
    if start == sent_start and len(name) == 1 and not acting:
        if shaped is None:
            shaped = _camel_or_caps(last)
        if not shaped:
            # a capitalised first word of a sentence, unless a company apposition follows
            # ("Tulaprofil, a domestic producer of steel profiles, will ...") or it speaks of itself
            # as a company does ("Acron said on Tuesday it had signed ...")
            if _speaks_as_company(text, end, lex):
                score = max(score, 0.75)
            else:
                return None
    elif start == sent_start and len(name) == 1 and last[1:].islower() and f" {last.lower()} " in text:
        return None  # "Construction will cost ...": a word the text also writes in lower case
    quote = text[start:end]
    # OrgName(quote, score, public) without the call of a Python __init__ (one per mention)
    value = _NEW_OBJECT(OrgName)
    _SET_NAME(value, quote)
    _SET_SCORE(value, score)
    _SET_PUBLIC(value, not lex.public_bodies.isdisjoint(lowered))
    return Mention(start, end, "ORG", value, quote)


def _speaks_as_company(text: str, end: int, lex: OrgLexicon) -> bool:
    """What follows a sentence's first word (ending at ``end``) shows a company: an apposition
    (", a domestic producer of") or a statement about itself (" said on Tuesday it")."""
    nxt = text[end : end + 1]
    if nxt == ",":
        appositive = lex.apposition_after
        return appositive is not None and appositive.match(text, end, end + 80) is not None
    return nxt == " " and lex.said_it is not None and lex.said_it.match(text, end, end + 60) is not None


def _acts_with_next(words: list[str], lows: list[str], k: int, lex: OrgLexicon) -> bool:
    """Whether token ``k`` (right after a name) is "and" followed by a capitalised name of up to four
    words and an acting verb: "Rosatom and Gazprom will build" — the first name acts too."""
    n = len(words)
    if k >= n or lows[k] not in lex.coordinators:
        return False
    for m in range(k + 1, min(k + 6, n)):
        if not words[m][:1].isupper():
            return m > k + 1 and lows[m] in lex.acting_verbs
    return False


def _appositive_before(text: str, lo: int, start: int, lex: OrgLexicon) -> bool:
    """Whether an apposition ("a maker of batteries, ") ends right before ``start``, searched from
    ``lo`` (80 characters back, not before the sentence).

    The pattern ends in a comma and white space, so the costly search only runs where the text
    before the name does (the caller has found a comma in reach).
    """
    if lex.appositive is None:
        return False
    if not text[lo:start].rstrip().endswith(","):
        return False
    # every match holds " of " or " for " between blanks: without one in reach, the costly search
    # (a company noun tried at every position) is skipped
    if _OF_FOR.search(text, lo, start) is None:
        return False
    return lex.appositive.search(text, lo, start) is not None


def _is_qualifier(word: str) -> bool:
    """A word that says where a company is from or who owns it: "Harbin-based", "Chinese-owned"."""
    return "-" in word and _QUALIFIER.search(word) is not None


def has_legal_words(words: list[str], lex: OrgLexicon) -> bool:
    """A legal form among the words ("Sino-Russian LLC" is a company's name)."""
    return any(w in lex.legal_after or w in lex.legal_before for w in words)


def _camel_or_caps(word: str) -> bool:
    if word[1:].islower() and "-" not in word:
        return False  # the common case, "Kaluga", answered before the hyphen test below
    if "-" in word.strip("-"):
        return any(_camel_or_caps(part) for part in word.split("-") if part)
    if word[1:].islower():
        return False  # the common case, "Kaluga": no capital after the first character
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2:
        return False
    if all(c.isupper() for c in letters) and len(letters) <= 6:
        return True
    return any(c.isupper() for c in letters[1:]) and letters[0].isupper()
