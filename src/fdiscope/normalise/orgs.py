"""Organisation names by rule: capitalised chunks, legal forms, quoted names, acting context.

A generic NER model mislabels many of the names this domain cares about ("Yapp Rus Automotive
System" as a person, "IG BR" as nothing), so names are found from the shape of the text and cue
lexicons (``data/<lang>/orgs.yaml``).  The finder is deliberately liberal: each ORG mention
carries a ``score`` and the frames decide from role cues which names are investors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import load_lexicon
from ..model import Mention

__all__ = ["OrgName", "find_orgs", "OrgLexicon", "first_names", "org_key"]

_TOKEN = re.compile(r"[^\W_](?:[\w&.'’+\-]*[^\W_])?\.?", re.UNICODE)
_QUOTED = re.compile(r"[«\"“„]([^«»\"“”„\n]{2,60}?)[»\"”“]")
_LATIN = re.compile(r"[A-Za-z]")
_LANDFORMS = frozenset("valley river lake bay island mountains sea ocean".split())
_QUALIFIER = re.compile(r"-(?:owned|based|made|funded|backed)$")


@dataclass(frozen=True, slots=True)
class OrgName:
    """The value of an ORG mention."""

    name: str
    score: float  # 0..1: how sure the shape and context make us
    public: bool = False  # a government body or public institution


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
    #: "a Chinese manufacturer of lithium-ion batteries, " right before a name: its apposition
    appositive: re.Pattern[str] | None = None
    #: " gold deposit" right after a name: a place of extraction, not a company
    site_after: re.Pattern[str] | None = None


def _alt(words: frozenset[str]) -> str:
    """The words as a regex alternation, longest first."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _site_after(words: frozenset[str], minerals: frozenset[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    between = rf"(?:(?:{_alt(minerals)})[ \t]+){{0,2}}" if minerals else ""
    return re.compile(rf"[ \t]+{between}(?:{_alt(words)})\b", re.IGNORECASE)


def company_nouns(lang: str) -> frozenset[str]:
    """The nouns that introduce a company's name in ``lang`` ("manufacturer", "компания"), lower case."""
    return _lexicon(lang).company_nouns


def _appositive(nouns: frozenset[str]) -> re.Pattern[str] | None:
    """A company noun with what it makes or does, ending in a comma: "manufacturer of
    lithium-ion batteries, ", "operator of the port, " (the name that follows is its apposition)."""
    if not nouns:
        return None
    pattern = rf"(?:^|\W)(?:{_alt(nouns)})\s+(?:of|for)\s+(?:[\w-]+\s+){{0,5}}?[\w-]+\s*,\s*$"
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=8)
def _lexicon(lang: str) -> OrgLexicon:
    d = load_lexicon(lang, "orgs")

    def fs(key: str, lower: bool = False) -> frozenset[str]:
        vals = [str(v) for v in d.get(key, [])]
        return frozenset(v.lower() for v in vals) if lower else frozenset(vals)

    return OrgLexicon(
        legal_after=fs("legal_forms_after"),
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
        demonyms=fs("name_demonyms", lower=True),
        quote_any=bool(d.get("quote_any", False)),
        quote_not_after=fs("quote_not_after", lower=True),
        event_words=fs("event_words", lower=True),
        site_words=fs("site_words", lower=True),
        first_names=fs("first_names", lower=True),
        appositive=_appositive(fs("company_nouns", lower=True)),
        site_after=_site_after(fs("site_after", lower=True), fs("site_minerals", lower=True)),
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
    low = _KEY_PUNCT.sub(" ", name.casefold())
    words = [w for w in low.split() if w not in _LEGAL_KEYS]
    return "".join(words)


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
    for s, e in sentences:
        quoted = _quoted_names(text, s, e, lex, lang)
        out.extend(quoted)
        taken = [(m.start, m.end) for m in quoted]
        for m in _chunk_names(text, s, e, lex):
            if any(m.start < te and ts < m.end for ts, te in taken):
                continue
            out.append(m)
    out.sort(key=lambda m: m.start)
    return out


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


def _chunk_names(text: str, s: int, e: int, lex: OrgLexicon) -> list[Mention]:
    found = list(_TOKEN.finditer(text, s, e))
    # (start, end, token) of each token, mapped over the unbound methods (no Python loop per token)
    begins, ends, words = map(re.Match.start, found), map(re.Match.end, found), map(re.Match.group, found)
    toks = list(zip(begins, ends, words, strict=True))
    out: list[Mention] = []
    n = len(toks)
    legal = lex.legal_after
    # only a capitalised word or a legal form can open a name: visit just those
    starts = [k for k, t in enumerate(toks) if t[2][0].isupper() or t[2] in legal]
    free = 0
    for i in starts:
        if i < free:
            continue
        ts, te, tok = toks[i]
        j = i
        parts = [i]
        while j + 1 < n:
            ns, ne, nt = toks[j + 1]
            gap = text[toks[j][1] : ns]
            if gap not in (" ", "-", "\u00a0") or _strip_possessive(toks[j][2]) != toks[j][2]:
                break
            if _is_cap(nt, inside=True) or nt in lex.legal_after:
                j += 1
                parts.append(j)
                continue
            if (
                (
                    nt.lower() in lex.connectors
                    or (
                        nt.lower() in lex.trade_and
                        and toks[j][2].lower() in lex.org_words
                        and j + 2 < n
                        and toks[j + 2][2].lower() in lex.org_words
                    )
                )
                and j + 2 < n
                and _is_cap(toks[j + 2][2])
                and text[ne : toks[j + 2][0]] == " "
            ):
                j += 2
                parts.extend([j - 1, j])
                continue
            break
        free = j + 1
        if i == j:
            low = tok.lower()
            nxt = toks[i + 1][2].lower() if i + 1 < n else ""
            if (low.rstrip(".") in lex.not_names and low not in lex.org_words) or (
                ts == s and not _camel_or_caps(tok) and nxt not in lex.acting_verbs
            ):
                continue  # a lone function word, title or sentence-initial word: nothing to weigh
        chunk = _make_chunk(text, toks, i, j, s, lex)
        if chunk is not None:
            out.append(chunk)
    return out


def _in_title_phrase(toks: list[tuple[int, int, str]], i: int, text: str, lex: OrgLexicon) -> bool:
    """The chunk continues a title or a public body: "Minister of Industry and Commerce Lin Ji"."""
    k = i - 1
    steps = 0
    while k >= 0 and steps < 8:
        tok = toks[k][2]
        low = tok.lower().rstrip(".")
        if text[toks[k][1] : toks[k + 1][0]].strip():
            return False  # punctuation between: the run ends
        if _strip_possessive(tok) != tok:
            return False  # "the Cabinet and China's Xinjiang Tianshan Cement": the name is China's
        # English titles are capitalised ("Minister of ..."); Russian ones are not ("министр ...")
        if (low in lex.person_titles or low in lex.public_bodies) and (
            _is_cap(tok) or not _LATIN.search(tok)
        ):
            return True
        if not (_is_cap(tok) or low in lex.connectors or low in ("and", "for", "the", "и", "по")):
            return False
        k -= 1
        steps += 1
    return False


def _make_chunk(
    text: str, toks: list[tuple[int, int, str]], i: int, j: int, sent_start: int, lex: OrgLexicon
) -> Mention | None:
    if any(toks[k][2].lower() in lex.event_words for k in range(i, j + 1)):
        return None  # "IX Russia-China Economic Forum" is an event, not a company
    # trim leading function words and titles ("The", "In", "Governor")
    while (
        i <= j and toks[i][2].lower().rstrip(".") in lex.not_names and toks[i][2].lower() not in lex.org_words
    ):
        if toks[i][2].lower() in lex.demonyms and any(
            toks[k][2].lower() in lex.org_words for k in range(i + 1, j + 1)
        ):
            break  # "Russian Direct Investment Fund": the demonym is part of the name
        i += 1
    while (
        i <= j
        and toks[j][2].lower() in lex.not_names
        and toks[j][2] not in lex.legal_after
        and not (j > i and toks[j][2].lower() in lex.org_words)  # "Jinsheng Trading" ends in its org word
        and not (j - i >= 2 and toks[j][2].lower() in _LANDFORMS)  # "Harbin Green Valley" is a name
    ):
        j -= 1
    # "Harbin-based Heilongjiang Transport Group", "Hong Kong-based Pacific Ocean Fisheries": the
    # qualifier (and the place it names) says where the company is from; the name follows it
    qualifier = max((k for k in range(i, j) if _QUALIFIER.search(toks[k][2])), default=None)
    if qualifier is not None:
        i = qualifier + 1
    if (
        i < j
        and toks[i][2].lower() in lex.company_nouns
        and toks[i][2][:1].isupper()
        and toks[i + 1][2].lower() not in lex.connectors
    ):
        i += 1  # "Компания Yutong" opening a sentence: the noun, then the name (not "Bank of China")
    # a name does not end in a qualifier or a connector ("Construction of Chinese-funded" in a headline)
    while i < j and (_QUALIFIER.search(toks[j][2]) or toks[j][2].lower() in lex.connectors):
        j -= 1
    if i > j:
        return None
    words = [toks[k][2] for k in range(i, j + 1)]
    words[-1] = _strip_possessive(words[-1])
    last_tok_end = toks[j][1]
    if words[-1] != toks[j][2]:
        last_tok_end -= len(toks[j][2]) - len(words[-1])
    # a trailing full stop belongs to the name only for legal forms ("Zrt.")
    if words[-1].endswith(".") and words[-1] not in lex.legal_after:
        words[-1] = words[-1][:-1]
        last_tok_end -= 1
    if not words[-1]:
        return None
    start = toks[i][0]
    end = last_tok_end
    lowered = [w.lower() for w in words]
    if all(
        w in lex.generic_words
        or w in lex.not_names
        or orig in lex.legal_after
        or orig.upper() in lex.legal_before
        for w, orig in zip(lowered, words, strict=True)
    ):
        return None  # "Компания ООО": a noun and a legal form, the name follows in quotes
    if all(
        w in lex.demonyms
        or w in lex.not_names
        or w in lex.generic_words
        # a qualifier or a compound of demonyms has a hyphen (without one, w is no demonym)
        or ("-" in w and (_QUALIFIER.search(w) or all(part in lex.demonyms for part in w.split("-"))))
        for w in lowered
    ) and not has_legal_words(words, lex):
        return None  # "Chinese-owned Greek", "Chinese-Russian JV": qualifiers and generic words, not a name
    prev_words = text[max(sent_start, start - 30) : start].split()
    prev = prev_words[-1].lower().strip(",") if prev_words else ""
    after = text[end : end + 40].split()
    nxt = after[0].lower().strip(",.;:") if after else ""
    has_legal_form = any(w in lex.legal_after for w in words) or prev.upper() in lex.legal_before
    if not has_legal_form and any(w in lex.site_words for w in lowered):
        return None  # "China-Belarus Industrial Park Great Stone": a site, not a company
    if not has_legal_form and lex.site_after is not None and lex.site_after.match(text, end):
        return None  # "the Kyuchus gold deposit": a place of extraction
    if not has_legal_form and prev.rstrip(".") in lex.person_titles:
        return None  # a person
    quoted_source = nxt in {"said", "told", "says", "noted", "stated", "added", "explained"}
    if not has_legal_form and _in_title_phrase(toks, i, text, lex):
        return None
    if (
        not has_legal_form
        and any(w.lower() in lex.first_names for w in words[:-1])
        and len(words) <= 4
        and lowered[-1] not in lex.org_words  # "Shandong Sun Paper" ends as companies do
    ):
        return None  # "Boris Dubrovskiy", "Development Dmitry Volvach": a person's name inside the chunk
    score = 0.3
    has_legal = any(w in lex.legal_after for w in words) or prev.upper() in lex.legal_before
    has_org_word = any(w in lex.org_words for w in lowered)
    shaped = any(_camel_or_caps(w) for w in words)
    if has_legal:
        score = 0.95
    elif has_org_word and len(words) > 1:
        score = 0.8
    elif shaped:
        score = 0.6
    if prev in lex.company_nouns or (
        lex.appositive is not None and lex.appositive.search(text, max(sent_start, start - 80), start)
    ):
        score = max(score, 0.75)
    if nxt in lex.acting_verbs:
        score = min(1.0, score + 0.2)
    if quoted_source:
        score = min(score, 0.3)  # "X said": a person or a source as often as a company
    if start == sent_start and len(words) == 1 and not shaped and nxt not in lex.acting_verbs:
        return None  # a capitalised first word of a sentence
    public = any(w in lex.public_bodies for w in lowered)
    return Mention(start, end, "ORG", OrgName(text[start:end], score, public), text[start:end])


def has_legal_words(words: list[str], lex: OrgLexicon) -> bool:
    """A legal form among the words ("Sino-Russian LLC" is a company's name)."""
    return any(w in lex.legal_after or w in lex.legal_before for w in words)


def _camel_or_caps(word: str) -> bool:
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
