"""The project frame: which sentences speak of one project, and which values belong to it.

Sentences (or clauses of list sentences) with a facility or investment cue open or extend a
project; the project's investors are the organisation names acting in them; later sentences
join through coreference ("the plant", "the company").  Each field is then read from the
project's own segments, with document-level fall-backs only for place and investor country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import STATUS_ORDER, Evidence, Mention, ProjectRecord
from ..normalise.orgs import company_nouns, org_key
from ..pipeline import Doc
from .companies import known_company_country
from .context import (
    RESTATED,
    DocContext,
    alias_of,
    dateline_place,
    demonym_codes,
    evidence,
    origin_place,
    qualifies_company,
)
from .cues import Cues, FrameCues, Masked, frame_cues

__all__ = ["find_projects"]


class _Tail:
    """A pattern that must end the text ("... with the " right before a name), matched backwards.

    Searching a ``$``-anchored pattern makes Python's engine try it at every character of the
    text; the same pattern spelt backwards is tried once, at the start of the reversed text.
    ``forward`` is the rule as written (and what the tests compare with); ``backward`` mirrors
    it: the tokens in reverse order and each literal reversed, a ``(?<!x)`` at its start
    becoming a ``(?!x)`` at the end, and ``\\n?`` first for ``$``, which also matches before a
    final newline.  Callers reverse a text once and ask several tails of it.
    """

    __slots__ = ("forward", "backward")

    def __init__(self, forward: str, backward: str, flags: int = 0) -> None:
        self.forward = re.compile(rf"(?:{forward})$", flags)
        self.backward = re.compile(rf"\n?(?:{backward})", flags)

    def match(self, reversed_text: str) -> re.Match[str] | None:
        """The match ending the text whose reverse is ``reversed_text`` (its groups reversed)."""
        return self.backward.match(reversed_text)


#: the words right before the company that sells what another one buys ("from the group", "у группы")
_SELLER_BEFORE = _Tail(
    r"\b(?:from|у)\s+(?:[\w-]+\s+){0,3}[«\"“]?", r"[«\"“]?(?:\s+[\w-]+){0,3}\s+(?:morf|у)\b", re.I
)
_APPOSITION = re.compile(
    r"\s*(?:\([^)]{0,40}\)\s*)?(?:,|\(|–|—|-)\s*(?:a|an|the|one of|which|its|headquartered|based"
    # "X, is a producer from Y" (not "..., X, is in talks to buy a mill in Y": the sentence goes on)
    r"|is\s+(?:a|an|the|one|based|headquartered|located|registered))\b",
    re.I,
)
_PARENT_ANYWHERE = (
    r"\b(?:subsidiary|branch|unit|division|daughter company|дочк\w*|дочерн\w*)\s+of\b|\bowned by\b"
)
#: the parent named right before a company (the words that end the text before it)
_PARENT_TAIL = _Tail(
    # Russian names the parent in the genitive: "дочернее предприятие китайской SDLG"
    r"\bдочерн\w*\s+(?:предприяти|компани|обществ|структур)\w*\s+(?:\w+\s+){0,2}"
    r"|\bдочк\w*\s+(?:\w+\s+){0,2}"
    # the founder: "учредителем которой является китайская корпорация X", "founded by China's X"
    r"|\bучредител\w*\s+(?:\w+\s+){0,4}|\bfounded by\s+(?:\w+\s+){0,3}",
    r"(?:\s+\w+){0,2}\s+\w*(?:итяирпдерп|инапмок|втсещбо|руткуртс)\s+\w*нречод\b"
    r"|(?:\s+\w+){0,2}\s+\w*кчод\b"
    r"|(?:\s+\w+){0,4}\s+\w*летидерчу\b|(?:\s+\w+){0,3}\s+yb dednuof\b",
    re.I,
)
_PARENT_BEFORE = re.compile(_PARENT_ANYWHERE, re.I)


#: words each match of ``_PARENT_TAIL`` holds (their letters match, ignoring case, only the
#: characters that case-fold to them: tests/test_projects_speed.py checks it)
_PARENT_TAIL_WORDS = ("доч", "учредител", "founded by")


def _names_parent(before: str, backwards: str) -> bool:
    """``_PARENT`` is in ``before`` (``backwards`` is its reverse): "subsidiary of", "owned by", or a
    parent named at its end ("дочернее предприятие китайской", "founded by").

    Each match of the words sought anywhere holds "of" or "owned by", each match of the tail one
    of ``_PARENT_TAIL_WORDS``: a text holding none of them (case-folded) is not searched.
    """
    low = before.casefold()
    if ("of" in low or "owned by" in low) and _PARENT_BEFORE.search(before) is not None:
        return True
    return any(w in low for w in _PARENT_TAIL_WORDS) and _PARENT_TAIL.match(backwards) is not None


_PARENT = re.compile(f"{_PARENT_ANYWHERE}|{_PARENT_TAIL.forward.pattern}", re.I)
_ROLE_BEFORE = _Tail(
    r"\b(?:with|by|of|from|между|с|компани\w+|корпораци\w+)\s+(?:the\s+)?",
    r"(?:\s+eht)?\s+(?:htiw|yb|fo|morf|уджем|с|\w+инапмок|\w+ицаропрок)\b",
    re.I,
)
_SAID_IT = re.compile(
    r"^\W{0,3}\s*(?:said|says|told \w+|noted|reported|announced)"
    r"(?:\s+(?:on|in|last|this|earlier)\s+\w+)?\s+(?:that\s+)?(?:it|its|the company)\b",
    re.I,
)
_AT_THE = re.compile(r"\b(?:at|on the premises of|на площадке|на заводе|на базе)\s+(?:the\s+)?$", re.I)


# compiled once: the candidate checks run for every name in every sentence
_OFFICIAL_AFTER = re.compile(r"^\W*s?\s*(?:capital|governor|government|president|ministry)", re.I)
_STOP = re.compile(r"[.;]")
_LAST_WORD = _Tail(r"(?<![\w-])([\w-]+)\s*[«\"“]?", r"[«\"“]?\s*([\w-]+)(?![\w-])")
_FIRST_WORD = re.compile(r"^\s*([\w-]+)")
_NAME_NOUN = re.compile(r"\s*(?:\d+\s+)?([\w-]+)")  # the word after a name, past a number ("Nord Stream 2")
_WORD_OF = _Tail(r"(?<![\w-])([\w-]+)\s+of\s+", r"\s+fo\s+([\w-]+)(?![\w-])")
_DETERMINER_END = re.compile(r"\b(?:a|an|the|its|their|new)\s+$", re.I)
_FOLLOWING_WORDS = re.compile(
    r"(?:[\s-]+[\w-]+){1,3}"
)  # "plant" after "$100mn", "ruble factory" after "1 billion"


def _next_word(doc: Doc, pos: int) -> str:
    m = _FIRST_WORD.match(doc.text[pos : pos + 40])
    return m.group(1) if m else ""


# "12 companies with Chinese capital operate here, including Haval": a company of the list
_LISTED_COMPANY = re.compile(
    r"\b(?:compan(?:y|ies)|firms?|residents?|investors?|manufacturers?|producers?|компани\w*|резидент\w*|"
    r"инвестор\w*|производител\w*)\b[^.;]{0,60}\b(?:including|among them|в том числе|включая|среди них)"
    r"\s+(?:the\s+)?$",  # not "like"/"such as": examples in a general statement name no project
    re.I,
)
# "Kingsway, a producer of glass containers", "Haval, which has invested ...": the name is a company
_COMPANY_APPOSITION = re.compile(
    r"^\s*,\s*(?:(?:a|an|the|one of the)\s+(?:[\w-]+\s+){0,3}(?:producer|maker|manufacturer|company|firm|"
    r"developer|supplier|operator|carmaker|automaker|holding|investor|subsidiary)s?\b"
    r"|which\s+(?:has|have|had|already)?\s*(?:invested|built|opened|launched|operates|produces|owns|plans))",
    re.I,
)
_CUSTOMER_BEFORE = re.compile(
    r"\b(?:suppl(?:y|ies|ied|ying)|deliver(?:s|ed|ing)?|customers?|clients?|buyers?|поставля\w*|поставк\w*|"
    r"клиент\w*|покупател\w*)\b[^.;:]{0,70}\b(?:including|such as|like|among them|в том числе|включая|"
    r"такие как|такими как)\s+(?:the\s+)?(?:[\w-]+\s+(?:and|и)\s+)?$",
    re.I,
)
# "is building the plant under a general contract with CNNC", "will build a cement plant for local
# producer Qizilqum": the customer of a contractor, not an investor
_CLIENT_BEFORE = re.compile(
    r"(?:\bunder\s+(?:an?|the|its)\s+(?:[\w$.,-]+\s+){0,6}(?:contract|order)\s+(?:with|from)"
    r"|\b(?:build|construct|supply|deliver|design|engineer)\w*\b(?:[^.;]|\.(?=\d)){0,120}\bfor)"
    r"\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:(?:compan(?:y|ies)|producers?|manufacturers?|customers?|clients?|operators?|owners?|utilit(?:y|ies)|firms?)\s+)?$",
    re.I,
)
_SOURCE_BEFORE = re.compile(r"\b(?:according to|по данным|по словам|по информации)\s+(?:the\s+)?$", re.I)


def _reversed(*words: str) -> str:
    """The alternation of ``words`` spelt backwards (plain words: no pattern syntax in them)."""
    return "|".join(w[::-1] for w in words)


class _EndCue:
    """An end-anchored cue ("according to " right before a name), matched backwards.

    Searching a ``$``-anchored pattern makes Python's engine try it at every character of the
    text; the same pattern spelt backwards (as :class:`_Tail` does) is tried once, at the start
    of the reversed text, and fails at its first character unless the text ends in a space.
    ``pattern`` is the rule as written (what the tests compare with); ``backward`` mirrors it.
    """

    __slots__ = ("pattern", "backward")

    def __init__(self, pattern: re.Pattern[str], backward: str) -> None:
        self.pattern = pattern
        # ``\n?`` first for ``$``, which also matches before a final newline
        self.backward = re.compile(rf"\n?(?:{backward})", pattern.flags)

    def search(self, text: str) -> bool:
        """Whether the cue ends ``text`` (``pattern.search(text)`` finds a match)."""
        return self.backward.match(text[::-1]) is not None

    def ends(self, reversed_text: str, length: int) -> bool:
        """Whether the cue ends the last ``length`` characters of the text whose reverse is
        ``reversed_text``: one reversal of the text before a name serves every window of it."""
        return self.backward.match(reversed_text, 0, length) is not None


_SOURCE_END = _EndCue(
    _SOURCE_BEFORE,
    rf"(?:\s+eht)?\s+(?:{_reversed('according to', 'по данным', 'по словам', 'по информации')})\b",
)
_CUSTOMER_LIST = _reversed(
    "including", "such as", "like", "among them", "в том числе", "включая", "такие как", "такими как"
)
_CUSTOMER_END = _EndCue(
    _CUSTOMER_BEFORE,
    rf"(?:\s+(?:dna|и)\s+[\w-]+)?(?:\s+eht)?\s+(?:{_CUSTOMER_LIST})"
    r"\b[^.;:]{0,70}\b(?:(?:y|sei|dei|gniy)lppus|(?:s|de|gni)?reviled|s?remotsuc|s?tneilc|s?reyub|"
    rf"\w*(?:{_reversed('поставля', 'поставк', 'клиент', 'покупател')}))\b",
)
_LISTED_END = _EndCue(
    _LISTED_COMPANY,
    rf"(?:\s+eht)?\s+(?:{_reversed('including', 'among them', 'в том числе', 'включая', 'среди них')})"
    r"\b[^.;]{0,60}\b(?:(?:y|sei)napmoc|s?mrif|s?tnediser|s?rotsevni|s?rerutcafunam|s?recudorp|"
    rf"\w*(?:{_reversed('компани', 'резидент', 'инвестор', 'производител')}))\b",
)
_DETERMINER_ENDS = _EndCue(_DETERMINER_END, rf"\s+(?:{_reversed('a', 'an', 'the', 'its', 'their', 'new')})\b")
_ALIAS_OPEN = re.compile(r"\s*\(\s*")
_POSSESSIVE = re.compile(r"^\s*(?:'s|’s)\b")
_NOT_INVESTOR_AFTER = re.compile(
    r"^\W{0,3}\s*(?:said|told|says|noted|reported|according|news agency|agency|was quoted)\b", re.I
)


@dataclass
class _Segment:
    start: int
    end: int
    index: int  # sentence index


@dataclass
class _Draft:
    keys: list[str]
    investor_mentions: list[Mention]
    segments: list[_Segment] = field(default_factory=list)
    last_index: int = 0
    uncued: int = 0  # investors written with no home-country cue


class _DocMemo:
    """Answers asked again and again within one document (never kept across documents).

    A draft's segments are sentences the main loop has already looked at, and several drafts share
    them; the same organisation name recurs in a document many times.
    """

    def __init__(self, ctx: DocContext) -> None:
        self._org_names = ctx.org_names
        self._keys: dict[str, str] = {}
        self.aggregate: dict[tuple[int, int], bool] = {}
        self.status: dict[tuple[int, int, str], tuple[int, int] | None] = {}
        self.classify: dict[tuple[int, int, int, bool, bool], tuple[str, tuple[int, int]] | None] = {}
        self._demonyms = ctx.demonyms
        self._orgs = ctx.orgs
        self._longest_org: int | None = None
        self._figure: dict[tuple[int, int], bool] = {}
        self._country: dict[int, tuple[str, Mention] | None] = {}
        self._qualifies: dict[int, bool] = {}  # id of a demonym (the mentions live as long as the memo)
        self._orgs_by_key: dict[str, list[Mention]] | None = None
        self._bare: dict[tuple[int, int], Masked] = {}

    def bare_of_places(self, doc: Doc, ctx: DocContext, start: int, end: int) -> Masked:
        """The piece with names and places blanked out (sectors and kinds read the same one: it keeps
        its text once built)."""
        found = self._bare.get((start, end))
        if found is None:
            found = self._bare[(start, end)] = _mask_names(doc, ctx, start, end, places=True)
        return found

    def qualifies_company(self, doc: Doc, d: Mention) -> bool:
        """Whether demonym ``d`` qualifies companies ("Chinese companies"), asked once per demonym and
        only of the demonyms of the sentences that need it (the test reads the names of the document)."""
        found = self._qualifies.get(id(d))
        if found is None:
            found = self._qualifies[id(d)] = qualifies_company(doc, d)
        return found

    def company_demonyms_in(self, doc: Doc, s: int, e: int) -> list[Mention]:
        """The demonyms starting in ``[s, e)`` that qualify companies, in text order."""
        return [d for d in self._demonyms if s <= d.start < e and self.qualifies_company(doc, d)]

    def company_demonym_in_sentence(self, doc: Doc, idx: int) -> bool:
        """A demonym qualifies companies in sentence ``idx`` ("Chinese companies provide equipment")."""
        s, e = doc.sentences[idx]
        return any(
            doc.sentence_index(d.start) == idx and self.qualifies_company(doc, d)
            for d in self._demonyms
            if s <= d.start < e
        )

    def country_near(self, doc: Doc, ctx: DocContext, m: Mention) -> tuple[str, Mention] | None:
        """:func:`_country_near` of an organisation mention in its sentence, once per mention (each
        draft asks it of its investors and of the other mentions of the same names)."""
        key = id(m)  # (the mentions live as long as the memo)
        if key in self._country:
            return self._country[key]
        s, e = doc.sentence_of(m.start)
        found = self._country[key] = _country_near(doc, ctx, m, s, e)
        return found

    def project_figure(self, doc: Doc, cues: FrameCues, s: int, e: int) -> bool:
        """:func:`_project_figure` of a sentence, once (the main loop's branches may each ask it)."""
        found = self._figure.get((s, e))
        if found is None:
            found = self._figure[(s, e)] = _project_figure(doc, cues, s, e)
        return found

    def org_holds(self, ctx: DocContext, start: int, end: int) -> bool:
        """An organisation name other than ``[start, end)`` itself spans it ("Jiangxi Anchi New
        Energy" holds "Jiangxi").  The names overlapping it start at most the longest name's length
        before it (``ctx.orgs`` is in text order): no position index of the names is built."""
        longest = self._longest_org
        if longest is None:
            longest = self._longest_org = max((m.end - m.start for m in self._orgs), default=0)
        return any(
            o.end > start and o.start <= start and end <= o.end and (o.start, o.end) != (start, end)
            for o in ctx.orgs_in(start - longest, end)
        )

    def orgs_of(self, key: str) -> list[Mention]:
        """The organisation mentions whose alias key is ``key``, in text order."""
        groups = self._orgs_by_key
        if groups is None:
            groups = self._orgs_by_key = {}
            for m in self._orgs:
                groups.setdefault(self.key(m), []).append(m)
        return groups.get(key, [])

    def key(self, m: Mention) -> str:
        """The alias key of an organisation mention (it depends on the name only)."""
        name = m.value.name
        found = self._keys.get(name)
        if found is None:
            found = self._keys[name] = alias_of(org_key(name), self._org_names)
        return found


def _segments_of_sentence(
    doc: Doc, s: int, e: int, invs: list[Mention], cues: FrameCues
) -> list[tuple[int, int, list[Mention]]]:
    """Split a list sentence into clauses when each named investor has its own facility cue."""
    if len(invs) < 2:
        return [(s, e, invs)]
    groups: list[list[Mention]] = [[invs[0]]]
    # "two Chinese companies operate here – A and B": a counted list names one project per company
    each = cues.project.search_in("list_intro", doc.text, s, invs[0].start) is not None
    for prev, cur in zip(invs, invs[1:], strict=False):
        between = doc.text[prev.end : cur.start]
        if _acquired(cues, between):
            continue  # "X has acquired a 25% stake in Y": Y is what is bought, not an investor
        if cues.project.ends("worked_object", between):
            continue  # "X will modernise the rolling shop of the Y Works": Y owns what X works on
        fac = cues.project.search_in("facility", doc.text, prev.end, cur.start) or cues.project.search_in(
            "action", doc.text, prev.end, cur.start
        )
        # "A will localise production at the B plant": B only owns the plant where A's project is
        hosted_at = _AT_THE.search(between) and cues.project.is_word("facility", _next_word(doc, cur.end))
        # "... a plant in Penza together with its Russian partner Z": Z shares the project
        partner = fac and cues.project.ends("co_investor", between)
        if (fac and not hosted_at and not partner) or each:
            groups.append([cur])
        else:
            groups[-1].append(cur)
    if len(groups) == 1:
        return [(s, e, groups[0])]
    out: list[tuple[int, int, list[Mention]]] = []
    for gi, group in enumerate(groups):
        start = s if gi == 0 else group[0].start
        end = e if gi == len(groups) - 1 else groups[gi + 1][0].start
        out.append((start, end, group))
    return out


def _acquired(cues: FrameCues, between: str) -> bool:
    """The words between two names make the second the company bought ("acquired a stake in")."""
    return cues.project.ends("acquired_object", between)


def _supporter(cues: FrameCues, before: str) -> bool:
    """The words right before a name make it a helper: "with the support of VEB.RF"."""
    return cues.project.ends("supporter", before)


def _country_possessive(doc: Doc, ctx: DocContext, m: Mention) -> bool:
    """ "China's CRRC", "Russia's Avtotor": a country's own company.

    The possessive lies in the four characters before the name: without one there (most names),
    no place is looked up.
    """
    near = doc.text[max(0, m.start - 4) : m.start]
    if "'s" not in near and "’s" not in near:
        return False
    return any(
        p.value.kind == "country"
        and 0 < m.start - p.end <= 4
        and doc.text[p.end : m.start].strip() in ("'s", "’s")
        for p in ctx.index("places").overlapping(m.start - 5, m.start)
    )


def _investor_candidates(
    doc: Doc, ctx: DocContext, cues: FrameCues, s: int, e: int, orgs: list[Mention], memo: _DocMemo
) -> list[Mention]:
    """The organisation names of sentence ``[s, e)`` (``orgs``: those starting in it) that act as
    investors in it, one per company."""
    out: list[Mention] = []
    for m in orgs:
        key = memo.key(m)
        score = max(m.value.score, ctx.org_scores.get(key, 0.0))
        after = doc.text[m.end : min(e, m.end + 40)]
        # the tails of the text before the name are matched on its reverse, reversed once: the
        # rules read its last 60, 100 or 120 characters (the first ones of ``reach``)
        reach = doc.text[max(s, m.start - 120) : m.start][::-1]
        backwards = reach[:60]  # the text before the name (at most 60 characters), reversed
        # a name is an investor when something makes it one and nothing rules it out: a weak name
        # with nothing for it (most of them) is dropped before the checks that rule names out
        if score < 0.5 and not (
            _ROLE_BEFORE.match(backwards)
            or _LISTED_END.ends(reach, 120)
            or _COMPANY_APPOSITION.match(after)
            or _SAID_IT.match(after)
            or _country_possessive(doc, ctx, m)
            or _owns_facility(doc, ctx, cues, m, backwards, after)
        ):
            continue
        if _POSSESSIVE.match(after) and _OFFICIAL_AFTER.match(after[3:]):
            continue
        if _SOURCE_END.ends(reach, 60):
            continue  # "According to Avtotor, ...": a source quoted
        if cues.project.starts("source_sentence", doc.text[s : m.start]):
            continue  # «Об этом сообщили в КРДВ», "This was reported by the agency X": the source
        if _CUSTOMER_END.ends(reach, 100):
            continue  # "will supply carmakers including BMW": a customer, not an investor
        if cues.kind.search_in("contract", doc.text, s, e) and _CLIENT_BEFORE.search(
            doc.text[max(s, m.start - 160) : m.start]
        ):
            continue  # a contractor's customer: "under a general contract with CNNC"
        if _NOT_INVESTOR_AFTER.match(after) and not _SAID_IT.match(after):
            continue  # a source quoted, unless it speaks of itself: "Avtotor said it plans to invest"
        before = doc.text[max(s, m.start - 60) : m.start]
        # (``before`` is at most 60 characters: the parent's words are sought in all of it)
        if _names_parent(before, backwards) and not _STOP.search(before):
            continue  # "the subsidiary of China's Great Wall": the parent is not the investor
        if _supporter(cues, before[-40:]) or cues.project.starts(
            "financier_after", doc.text[m.end : min(e, m.end + 90)]
        ):
            continue  # "with the support of VEB.RF", "VTB will open a credit line to ...": a helper or lender
        if _SELLER_BEFORE.match(backwards) and cues.kind.search_in("acquisition", doc.text, s, m.start):
            continue  # "acquired the mine from Russian mining group Mechel": the seller
        last_word = _LAST_WORD.match(backwards)
        if last_word and cues.project.is_word("facility", last_word.group(1)[::-1]):
            continue  # "its industrial park RAUM Bugry": the facility's own name
        following = _NAME_NOUN.match(after)
        if (
            following
            and cues.project.is_word("infrastructure_modifier", following.group(1))
            and not cues.project.is_word("named_infrastructure", following.group(1))
        ):
            following = _NAME_NOUN.match(after, following.end())  # "... 2 gas pipeline": the noun
        if (
            following
            and m.value.score < 0.9
            and cues.project.is_word("named_infrastructure", following.group(1))
        ):
            continue  # "Tolmachevo airport", "the Vankor field": the name of the facility
        named_of = _WORD_OF.match(backwards)
        of_word = named_of.group(1)[::-1] if named_of else ""
        if (
            named_of
            and cues.project.is_word("facility", of_word)
            and (
                cues.project.is_word("named_infrastructure", of_word)
                or ctx.index("places").overlapping(m.start, m.end)
            )
        ):
            continue  # "the port of Piraeus" names the port; "a plant of Hisense" is Hisense's
        out.append(m)
    # a name inside another candidate's parenthesis repeats it: "Haval Motor Manufacturing Rus (Haval)"
    dedup: list[Mention] = []
    seen: dict[str, int] = {}
    for m in out:
        key = memo.key(m)
        if key in seen:
            continue
        if (
            dedup
            and _ALIAS_OPEN.fullmatch(doc.text[dedup[-1].end : m.start])
            and doc.text[m.end : m.end + 1] == ")"
        ):
            seen[key] = len(dedup) - 1  # "China Railway Construction Corporation (CRCC)": one company
            continue
        head = _brand(doc, ctx, m)
        if head and head in seen:
            i = seen[head]
            if len(m.value.name) > len(dedup[i].value.name):
                dedup[i] = m  # the fuller name of the same company
            continue
        seen[key] = len(dedup)
        if head:
            seen[head] = len(dedup)
        dedup.append(m)
    return dedup


def _owns_facility(
    doc: Doc, ctx: DocContext, cues: FrameCues, m: Mention, backwards: str, after: str
) -> bool:
    """ "A new Geely plant", "the Haier factory": the name owns the facility named after it (not
    "Volvo plants" in general).  Asked last, only of names nothing else makes investors;
    ``backwards`` is the text before the name, reversed."""
    if doc.lang != "en" or not _DETERMINER_ENDS.ends(backwards, len(backwards)):
        return False
    owner = _FIRST_WORD.match(after)
    if owner is None or ctx.index("places+demonyms").overlapping(m.start, m.end):
        return False  # "the Moscow-Kazan High-Speed railway": a route, not an owner
    return cues.project.is_word("facility", owner.group(1)) and not cues.project.is_word(
        "named_infrastructure", owner.group(1)
    )


def _brand(doc: Doc, ctx: DocContext, m: Mention) -> str | None:
    """The distinctive first word of a name ("Samsung" of "Samsung SERK" and "Samsung Electronics Rus").

    A first word that is a place or a demonym ("China Power", "Russian Direct ...") is not a brand.
    """
    first = m.value.name.split()[0] if " " in m.value.name else None
    if not first or len(first) < 4 or not first[0].isupper():
        return None
    end = m.start + len(first)
    if ctx.index("places+demonyms").overlapping(m.start, end):
        return None
    return "brand:" + first.casefold()


def _aggregate(cues: FrameCues, doc: Doc, s: int, e: int, memo: _DocMemo) -> bool:
    """A total over many projects ("42 projects worth ..."), unless the sentence is about one project.

    Asked of each sentence and again of each draft's segments: the answer is remembered per span.
    """
    found = memo.aggregate.get((s, e))
    if found is None:
        found = memo.aggregate[(s, e)] = (
            cues.project.search_in("aggregate", doc.text, s, e) is not None
            and cues.project.search_in("singular", doc.text, s, e) is None
        )
    return found


def find_projects(doc: Doc, ctx: DocContext) -> list[ProjectRecord]:
    """Project records of the document, with per-field provenance."""
    cues = frame_cues(doc.lang)
    drafts: list[_Draft] = []
    current: _Draft | None = None
    memo = _DocMemo(ctx)
    pending: _Segment | None = None  # a project figure stated before its investor is named
    named: tuple[int, list[Mention]] | None = None  # investors named in a sentence without a project cue

    def start_draft(mentions: list[Mention], seg: _Segment) -> _Draft:
        nonlocal pending
        if mentions and current is not None and not current.keys and seg.index - current.last_index <= 2:
            # "A Chinese company will build a plant. The company X signed ...": X is that company
            current.keys = [memo.key(m) for m in mentions]
            current.investor_mentions = list(mentions)
            current.segments.insert(0, seg)
            current.last_index = seg.index
            return current
        d = _Draft(
            keys=[memo.key(m) for m in mentions],
            investor_mentions=list(mentions),
        )
        d.segments.append(seg)
        if pending is not None and seg.index - pending.index <= 2:
            d.segments.append(pending)
        pending = None
        d.last_index = seg.index
        drafts.append(d)
        return d

    for idx, (s, e) in enumerate(doc.sentences):
        orgs = ctx.orgs_in(s, e)  # (read by the mask and by the candidates; most sentences have none)
        bare = _mask_names(doc, ctx, s, e, orgs=orgs)  # "Kazan synthetic rubber plant" names a company
        fac = cues.project.search_masked("facility", bare)
        # each cue below is sought only on the paths that read it (most sentences take one path)
        # (not one alternation of the facility and action cues: measured slower, its candidates
        # are the union of both cues' word starts, each tried with both patterns)
        act = None if fac else cues.project.search_masked("action", bare)
        cands = _investor_candidates(doc, ctx, cues, s, e, orgs, memo) if orgs else []
        # "Russia is interested in attracting Chinese investors into ...": no project (with no cue,
        # the general words are sought only where the sentence would join or wait for a project)
        if not cands and (fac or act) and cues.project.search_masked("general", bare):
            continue
        if not (fac or act):
            if cands and current is not None and not current.keys and idx - current.last_index <= 2:
                if cues.status.search_masked("agreement", bare):
                    # "... signed an agreement on a park. The document was signed by X's director": X's
                    current.keys = [memo.key(m) for m in cands]
                    current.investor_mentions = list(cands)
                    current.segments.append(_Segment(s, e, idx))
                    current.last_index = idx
                    continue
            if cands:
                named = (idx, cands)
            elif current is not None and idx - current.last_index <= 2:
                # (with an aggregate the next branch is not taken either: it needs no current draft)
                if (
                    _joins_previous(doc, cues, bare, idx - current.last_index, memo)
                    and not _aggregate(cues, doc, s, e, memo)
                    and not cues.project.search_masked("general", bare)
                ):
                    current.segments.append(_Segment(s, e, idx))
                    current.last_index = idx
            elif (
                current is None
                and memo.project_figure(doc, cues, s, e)
                and not _aggregate(cues, doc, s, e, memo)
                and not cues.project.search_masked("general", bare)
            ):
                # "The total cost is estimated at 4.7 billion rubles. The bridge will be built by X"
                pending = _Segment(s, e, idx)
            continue
        if cands:
            pieces = _segments_of_sentence(doc, s, e, cands, cues)
            # the shared opening of a counted list ("two Chinese companies operating here –") speaks for each
            intro = (
                _Segment(s, cands[0].start, idx)
                if len(pieces) > 1 and cues.project.search_in("list_intro", doc.text, s, cands[0].start)
                else None
            )
            for cs, ce, group in pieces:
                keys = [memo.key(m) for m in group]
                target = next((d for d in drafts if set(d.keys) & set(keys)), None)
                if target is None and current is not None and idx - current.last_index <= 1 and not fac:
                    if cues.project.search_masked("joins", bare) or not current.keys:
                        # "X acted as the general contractor", or the project just described had no
                        # investor yet ("... the railway. China's CRRC has been assisting"): X joins it
                        target = current
                if target is None:
                    target = start_draft(group, _Segment(cs, ce, idx))
                else:
                    for k, m in zip(keys, group, strict=False):
                        if k not in target.keys:
                            target.keys.append(k)
                            target.investor_mentions.append(m)
                    target.segments.append(_Segment(cs, ce, idx))
                    target.last_index = idx
                if intro is not None and cs != s:
                    target.segments.append(intro)
                current = target
            continue
        # a total over many projects ("42 projects worth ...") opens or joins none: it is sought
        # only once a branch below would act (before its first change), and then ends the sentence.
        # fac is found here: the action cue is read only where it may still decide
        if (
            named is not None
            and named[0] == idx - 1
            and (
                cues.project.search_in("group_ref", doc.text, s, e)
                or (
                    fac
                    and (
                        cues.project.search_masked("action", bare) is not None
                        or memo.project_figure(doc, cues, s, e)
                    )
                )
            )
            and (current is None or current.last_index < named[0])
        ):
            # "Agreements were inked with A, B and C. These companies are to build ...", or "... talks
            # with X. The sides discussed a plant worth 15 billion rubles": the named companies' project
            if _aggregate(cues, doc, s, e, memo):
                continue
            named_keys = {memo.key(m) for m in named[1]}
            known = next((d for d in drafts if named_keys <= set(d.keys)), None)
            if known is not None:  # "A and B set up a JV. ... The partners will invest ...": that JV
                known.segments.append(_Segment(s, e, idx))
                known.last_index = idx
                current = known
            else:
                current = start_draft(named[1], _Segment(s, e, idx))
            continue
        if (
            current is not None
            and idx - current.last_index <= 3
            and (
                memo.project_figure(doc, cues, s, e)
                or (
                    cues.project.search_in("coref", doc.text, s, e) is not None
                    # "Ранее компания отказалась от планов ...": a word pointing back after
                    # "Earlier," / "Meanwhile," is about other news, not this project
                    and not cues.status.starts("topic_shift", doc.text[s:e])
                )
            )
        ):
            if _aggregate(cues, doc, s, e, memo):
                continue
            current.segments.append(_Segment(s, e, idx))
            current.last_index = idx
            continue
        if memo.project_figure(doc, cues, s, e) or (fac and _states_stage(cues, bare)):
            # a figure or a stage may come before the investor is named ("... at a cost of $990m.
            # X began ...", "A tyre plant has been put into operation ... It was built by X")
            if _aggregate(cues, doc, s, e, memo):
                continue
            pending = _Segment(s, e, idx)
        if not (fac and memo.company_demonym_in_sentence(doc, idx)):
            continue
        figured = (
            act
            or (fac and cues.project.search_masked("action", bare))
            or doc.in_span("MONEY", s, e)
            or doc.in_span("JOBS", s, e)
        )
        # "Work on a Chinese-funded cement plant in Buryatia has been frozen": a project of its own
        halted = not figured and cues.status.search_masked("cancelled", bare) is not None
        if (figured or halted) and not _aggregate(cues, doc, s, e, memo):
            if current is not None and current.keys and idx - current.last_index <= 1 and not halted:
                # "... the Chinese company Haier. A leading Chinese manufacturer is building": the same
                current.segments.append(_Segment(s, e, idx))
                current.last_index = idx
            else:
                current = start_draft([], _Segment(s, e, idx))
    signed = _doc_signing(doc, cues)  # once per document: the lead reports agreements signed
    # ... for the projects told of before the story turns to other news ("Separately, ...")
    shift = _topic_shift(doc, cues, signed[1]) if signed is not None else 0
    records = [
        _build(doc, ctx, cues, d, signed if d.segments[0].start < shift else None, memo) for d in drafts
    ]
    return [r for r in records if r is not None]


#: the stages a sentence may report of a facility
_STAGES = ("operational", "construction", "cancelled")


def _states_stage(cues: FrameCues, bare: Masked) -> bool:
    """A cue of one of ``_STAGES`` occurs in the sentence (names blanked): one search of their
    alternation, which matches where any of them does."""
    return _first_label(cues.status, _STAGES, bare.source, bare.start, bare.end, bare, True) is not None


def _joins_previous(doc: Doc, cues: FrameCues, bare: Masked, gap: int, memo: _DocMemo) -> bool:
    """A sentence with no cue of its own that goes on about the project ``gap`` (1 or 2) sentences
    back: a project figure, a figure in a sentence pointing back ("the plant", "the company"), the
    signing ("... will build a plant. The agreement was signed during the visit"; two sentences on,
    when it points back: "Соглашение подписали ... компании"), or a stage of a deal just told of
    ("... has acquired a stake in X. The deal was completed on February 12").

    The cheap tests first: the rule is (figure and refers) or ((gap 1 or refers) and signed) or
    (gap 1 and refers and stage) or project figure, each cue sought only if it may still decide.
    """
    s, e = bare.start, bare.end
    if memo.project_figure(doc, cues, s, e):
        return True
    has_fig = bool(doc.in_span("MONEY", s, e) or doc.in_span("JOBS", s, e))
    status = cues.status
    if gap != 1:  # (figure or signed) and refers
        if not has_fig and not (
            status.search_masked("doc_signing", bare) is not None
            and status.search_masked("unsigned", bare) is None
        ):
            return False
        return cues.project.search_in("coref", doc.text, s, e) is not None
    if (
        status.search_masked("doc_signing", bare) is not None
        and status.search_masked("unsigned", bare) is None
    ):
        return True
    # (figure or stage) and refers
    if not has_fig and not _states_stage(cues, bare):
        return False
    return cues.project.search_in("coref", doc.text, s, e) is not None


_CLAUSE_END = re.compile(r"[,;]|\s(?:and|и|а также)\s")

#: sectors an investor's name does not give to its project ("Investment Fund", "Bank" finance it)
_NOT_FROM_NAMES = frozenset({"finance", "real_estate"})


#: id of a sector section -> (the section, the labels a name may give, in lexicon order)
_NAME_LABELS: dict[int, tuple[Cues, tuple[str, ...]]] = {}


def _sector_of_names(
    doc: Doc, cues: FrameCues, investors: list[Mention]
) -> tuple[str | None, tuple[int, int] | None]:
    """The last resort: a trade word in an investor's name ("Kamsky Confectioner", "Northbay Cement")."""
    sector = cues.sector
    labels = _NAME_LABELS.get(id(sector))
    if labels is None or labels[0] is not sector:
        labels = _NAME_LABELS[id(sector)] = (
            sector,
            tuple(n for n in _section_names(sector) if n not in _NOT_FROM_NAMES),
        )
    names = labels[1]
    for m in investors:
        if not sector.may_match(names, doc.text, m.start, m.end):
            continue  # no word of the name starts a trade word: one look-up for all labels
        for label in names:
            found = sector.search_in(label, doc.text, m.start, m.end)
            if found is not None:
                return label, (m.start + found.start(), m.start + found.end())
    return None, None


def _mask_names(
    doc: Doc, ctx: DocContext, s: int, e: int, places: bool = False, orgs: list[Mention] | None = None
) -> Masked:
    """The sentence with organisation names blanked out, so cue words inside names do not count.

    With ``places`` the place names go too: "in the Vorsino industrial park" says where, not what.
    ``orgs`` are the organisation mentions starting in the piece, when the caller has them.
    """
    spans = [
        (m.start, m.end)
        for m in (ctx.orgs_in(s, e) if orgs is None else orgs)
        if m.end <= e and (m.value.score >= 0.5 or len(m.value.name.split()) > 1)
    ]
    if places:
        spans += [
            (p.start, p.end) for p in ctx.index("places").overlapping(s, e) if s <= p.start and p.end <= e
        ]
    return Masked(doc.text, s, e, spans)


def _project_figure(doc: Doc, cues: FrameCues, s: int, e: int) -> bool:
    """The sentence states a job count or an investment amount ("The projected investment totals ...")."""
    if doc.in_span("JOBS", s, e):
        return True
    for m in doc.in_span("MONEY", s, e):
        if m.value.currency is None:
            continue
        if (
            (
                cues.project.search_in("investment_words", doc.text, max(s, m.start - 60), min(e, m.end + 25))
                or _money_of_facility(doc, cues, m)
            )
            and not cues.project.search_in(
                "not_investment", doc.text, max(s, m.start - 25), min(e, m.end + 25)
            )
            # "the region's trade turnover with China amounted to $420 million": a trade figure
            and not cues.trade.search_in("cue", doc.text, max(s, m.start - 60), m.start)
        ):
            return True
    return False


def _seg_text(doc: Doc, seg: _Segment) -> str:
    return doc.text[seg.start : seg.end]


def _build(
    doc: Doc, ctx: DocContext, cues: FrameCues, d: _Draft, signed: tuple[int, int] | None, memo: _DocMemo
) -> ProjectRecord | None:
    rec = ProjectRecord()
    prov: dict[str, Evidence] = {}
    segs = d.segments
    key_seg = segs[0]
    # investors: longest written form of each alias
    for i, (k, m) in enumerate(zip(d.keys, d.investor_mentions, strict=False)):
        name = m.value.name
        rec.investors.append(name)
        prov[f"investors[{i}]"] = evidence(doc, m.start, m.end)
        del k
    # figures
    money = _pick_money(doc, cues, segs, memo)
    if money is not None:
        rec.amount = {"value": money.value.value, "currency": money.value.currency}
        prov["amount"] = evidence(doc, money.start, money.end)
    jobs = _pick_jobs(doc, cues, segs, memo)
    if jobs is not None:
        rec.jobs = int(jobs.value)
        prov["jobs"] = evidence(doc, jobs.start, jobs.end)
    # investor countries, then the place (a host is preferably not the investors' own country)
    _fill_investor_countries(doc, ctx, rec, prov, d, memo)
    _fill_place(doc, ctx, rec, prov, segs, d, memo)
    _local_partners(rec, prov, d)
    _domestic_investors(doc, cues, rec, prov, d)
    # classification
    status, sm = _status(doc, cues, segs, signed, memo)
    rec.status = status
    if sm is not None:
        prov["status"] = evidence(doc, sm[0], sm[1])
    rec.sector, sec_span = _classify(doc, cues.sector, segs, ctx, memo)
    if rec.sector is None:
        # "Great Wall opened a plant to manufacture three Haval crossovers": the product may stand
        # past the segment's end (cut at another name), up to the next comma or "and" (after which
        # another company's product may follow: ", and Kingsway, a producer of glass containers")
        _s, sent_end = doc.sentence_of(key_seg.start)
        cut = _CLAUSE_END.search(doc.text, key_seg.end, sent_end)
        rest_end = cut.start() if cut else sent_end
        if key_seg.end < rest_end:
            rest = [_Segment(key_seg.end, rest_end, key_seg.index)]
            rec.sector, sec_span = _classify(doc, cues.sector, rest, ctx, memo)
    if rec.sector is None:
        rec.sector, sec_span = _sector_of_names(doc, cues, d.investor_mentions)
    if sec_span:
        prov["sector"] = evidence(doc, *sec_span)
    rec.kind, kind_span = _classify(doc, cues.kind, segs[:1], ctx, memo, False) if segs else (None, None)
    if rec.kind is None:
        rec.kind, kind_span = _classify(doc, cues.kind, segs, ctx, memo, False)
    if rec.kind is None:
        # nothing says expansion, acquisition, venture or contract: a new undertaking
        rec.kind = "greenfield"
        fm = cues.project.search_in("facility", doc.text, key_seg.start, key_seg.end)
        kind_span = (
            (key_seg.start + fm.start(), key_seg.start + fm.end()) if fm else (key_seg.start, key_seg.end)
        )
    if kind_span:
        prov["kind"] = evidence(doc, *kind_span)
    desc = _seg_text(doc, key_seg)
    rec.description = desc if len(desc) <= 160 else desc[:157].rsplit(" ", 1)[0] + "..."
    rec.evidence = evidence(doc, key_seg.start, key_seg.end)
    rec.provenance = prov
    if not rec.investors and rec.amount is None and rec.jobs is None and rec.host_region is None:
        return None
    return rec


def _pick_money(doc: Doc, cues: FrameCues, segs: list[_Segment], memo: _DocMemo) -> Mention | None:
    """The project's amount: in the investor's own sentence first, then in the sentences joined to it.

    Within a sentence an amount by an investment word ("worth", "cost", "invest") wins; a bare
    amount in the investor's sentence ("agreed a $30mn deal") beats an investment word further on.
    """
    fallback: Mention | None = None
    for n, seg in enumerate(segs):
        found = doc.in_span("MONEY", seg.start, seg.end)
        # (a segment with no amount has nothing to give: whether it is an aggregate does not matter)
        if not found or _aggregate(cues, doc, seg.start, seg.end, memo):
            continue
        for k, m in enumerate(found):
            if k and RESTATED.match(doc.text[found[k - 1].end : m.start]):
                continue  # "20 billion rubles (about 220 million U.S. dollars)": the same amount again
            # a restatement right after belongs to this amount: read the words after it too
            restated = k + 1 < len(found) and RESTATED.match(doc.text[m.end : found[k + 1].start])
            tail_end = found[k + 1].end if restated else m.end
            if cues.project.search_in(
                "not_investment", doc.text, m.end, min(seg.end, m.end + 25)
            ) or cues.project.search_in("not_investment", doc.text, max(seg.start, m.start - 25), m.start):
                continue
            if m.value.currency is None:
                continue
            window = (max(seg.start, m.start - 60), min(seg.end, tail_end + 25))
            if cues.project.search_in("investment_words", doc.text, *window) or _money_of_facility(
                doc, cues, m
            ):
                return m
            if fallback is None:
                fallback = m
        if n == 0 and fallback is not None:
            return fallback
    return fallback


def _money_of_facility(doc: Doc, cues: FrameCues, m: Mention) -> bool:
    """ "A $100mn plant", "a 1 billion ruble factory": the amount qualifies a facility."""
    words = _FOLLOWING_WORDS.match(doc.text, m.end, m.end + 40)
    return bool(words and cues.project.search_in("facility", doc.text, m.end, words.end()))


def _pick_jobs(doc: Doc, cues: FrameCues, segs: list[_Segment], memo: _DocMemo) -> Mention | None:
    for seg in segs:
        found = doc.in_span("JOBS", seg.start, seg.end)
        if found and not _aggregate(cues, doc, seg.start, seg.end, memo):
            return found[0]
    return None


def _fill_place(
    doc: Doc,
    ctx: DocContext,
    rec: ProjectRecord,
    prov: dict[str, Evidence],
    segs: list[_Segment],
    d: _Draft,
    memo: _DocMemo,
) -> None:
    inv_spans = [(m.start, m.end + 90) for m in d.investor_mentions]
    seg_places: list[Mention] = []
    for seg in segs:
        for p in doc.in_span("PLACE", seg.start, seg.end):
            # places inside an investor's own description ("headquartered in Shandong") are not the site
            if any(
                s0 < p.start < s1
                and re.search(r"headquartered|based in|from|of China|headquarters", doc.text[s0 : p.start])
                for s0, s1 in inv_spans
            ):
                continue
            if memo.org_holds(ctx, p.start, p.end):
                continue  # "Jiangxi Anchi New Energy": a place inside a company's name
            if dateline_place(doc, p):
                continue  # "VLADIVOSTOK, June 13 (Interfax) -": where the story was filed
            if _HOME_QUALIFIER.match(doc.text[p.end : p.end + 20]) or origin_place(doc, p):
                continue  # "Harbin-based", "an investor from Harbin": a company's home, not the site
            if _names_an_event(doc, p) or _EVENT_VENUE.search(doc.text[max(0, p.start - 60) : p.start]):
                continue  # "at the St. Petersburg ... Forum", "the forum in Sochi": where it was signed
            seg_places.append(p)
    host = ctx.host_country
    side = _side_country(doc, ctx, frame_cues(doc.lang), segs)
    if side is not None:
        # "on the Russian side", «с российской стороны»: the side of a cross-border project told of
        seg_places = [p for p in seg_places if p.value.country == side]
        host = side
    local = [p for p in seg_places if p.value.kind != "country" and p.value.country]
    foreign = [p for p in local if p.value.country not in rec.investor_countries]
    if foreign or local:
        host = (foreign or local)[0].value.country
    elif host in rec.investor_countries:
        other = [
            p
            for p in seg_places
            if p.value.country
            and p.value.country not in rec.investor_countries
            and re.search(
                r"\b(?:in|to|at|into|в|во|на)\s+(?:the\s+)?$", doc.text[max(0, p.start - 8) : p.start], re.I
            )
        ]  # "a plant in Serbia", not "grain bound for China"
        if other:
            host = other[0].value.country
    rec.host_country = host
    regional = [p for p in seg_places if p.value.region and p.value.country == host]
    if regional:
        region = regional[0].value.region
        # the location is the most specific place named in that region (not a city elsewhere)
        best = sorted(
            (p for p in regional if p.value.region == region),
            key=lambda p: {"site": 0, "city": 1, "region": 2}.get(p.value.kind, 3),
        )[0]
        rec.host_region = region
        prov["host_region"] = evidence(doc, regional[0].start, regional[0].end)
        rec.location = doc.text[best.start : best.end]
    elif host and host in ctx.top_region and (where := ctx.place_of(ctx.top_region[host])) is not None:
        # the region the document is about (its first mention is the evidence)
        rec.host_region = ctx.top_region[host]
        prov["host_region"] = evidence(doc, where.start, where.end)
    if host and "host_region" in prov:
        prov["host_country"] = prov["host_region"]
    else:
        cp = [p for p in seg_places if p.value.country == host]
        where = cp[0] if cp else ctx.place_of(host)
        if where is not None:
            prov["host_country"] = evidence(doc, where.start, where.end)
        else:
            rec.host_country = None  # nothing in the text to show for it


_EVENT_TAIL = re.compile(
    r"^(?:\s+[A-ZА-ЯЁ][\w-]*){0,4}\s+(?:Forum|Summit|Expo|Exhibition|Fair|Congress|Week|Форум\w*|Выставк\w*|Ярмарк\w*|Саммит\w*|Экспо)\b"
)


_HOME_QUALIFIER = re.compile(r"^-(?:based|headquartered)\b\s*", re.I)
# "the Russian Investment Forum in Sochi", "форум в Казани": the place is the event's venue
_EVENT_VENUE = re.compile(
    r"(?:Forum|Summit|Expo|Exhibition|Fair|Congress|форум\w*|выставк\w*|ярмарк\w*|саммит\w*)"
    r"\s+(?:(?:held|taking place|that took place|which took place|прошедш\w+|проходящ\w+)\s+)?"
    r"(?:in|at|в|во)\s+(?:the\s+)?$",
    re.I,
)


def _names_an_event(doc: Doc, p: Mention) -> bool:
    """The place opens an event's name ("St. Petersburg International Economic Forum")."""
    return _EVENT_TAIL.match(doc.text[p.end : p.end + 60]) is not None


def _country_near(doc: Doc, ctx: DocContext, m: Mention, s: int, e: int) -> tuple[str, Mention] | None:
    """The home country written next to an investor name: "Chinese company X", "China's X", "X from China".

    A name that opens with its country ("China Investment Corporation", "Russian Direct
    Investment Fund") carries it.
    """
    lead = [x for x in ctx.demonyms + ctx.places if x.start == m.start and x.end < m.end]
    # "Beifang Engineering of China": the name ends with its country
    lead += [
        x
        for x in ctx.places
        if x.end == m.end and x.start > m.start and re.search(r"\b(?:of|из)\s+$", doc.text[m.start : x.start])
    ]
    for x in lead:
        if x.label == "DEMONYM":
            codes = demonym_codes(x)
            if len(codes) == 1:
                return codes[0], x
        elif x.value.kind == "country" and x.value.country:
            return x.value.country, x
    # "Jiangsu Longway Logistics", "Harbin Electric": a name that opens with a region or city has
    # its home there, unless the words around the name say otherwise
    home = next(
        (x for x in lead if x.label == "PLACE" and x.value.country and x.value.kind in ("region", "city")),
        None,
    )
    window_before = [
        x for x in ctx.demonyms + ctx.places if s <= x.start and x.end <= m.start and m.start - x.end <= 45
    ]
    for x in sorted(window_before, key=lambda x: -x.end):
        between = doc.text[x.end : m.start]
        if ("," in between or ";" in between or " and " in between) and not _noun_apposition(doc, between):
            continue
        if x.label == "DEMONYM":
            codes = demonym_codes(x)
            if codes:
                return codes[-1], x
        elif x.value.kind == "country" and re.match(r"^(?:'s|’s)\b", between.strip() or "'s"):
            return x.value.country, x
        elif x.value.country and _HOME_QUALIFIER.match(between):
            return x.value.country, x  # "Harbin-based X": the home city's country
    after = doc.text[m.end : e]
    fm = re.match(r"^\s*(?:\([^)]{0,40}\)\s*)?(?:from|of|из)\s+", after)
    app = _APPOSITION.match(after)
    if fm or app:
        limit = m.end + (fm.end() + 25 if fm else min(len(after), 110))
        limit_text = doc.text[m.end : limit]
        cut = limit_text.find(",", (app.end() if app else 0) + 1) if app else -1
        if cut > 0 and not _PARENT.search(limit_text[:cut]):
            limit = m.end + cut
        parent = _PARENT.search(doc.text[m.end : limit])
        cands = [x for x in ctx.demonyms + ctx.places if m.end <= x.start and x.end <= limit]
        if parent:
            cands = [x for x in cands if x.start >= m.end + parent.end()] or cands
        for x in sorted(cands, key=lambda x: x.start):
            if x.label == "DEMONYM":
                codes = demonym_codes(x)
                if codes:
                    return codes[-1], x
            elif x.value.country and x.value.kind in ("country", "region", "city"):
                return x.value.country, x
    return (home.value.country, home) if home is not None else None


def _noun_apposition(doc: Doc, between: str) -> bool:
    """ "A Belarusian-Chinese joint venture, Horizont-Midea, ...": between a demonym and a name, a
    company noun and the comma of the apposition that names it."""
    words = between.strip().rstrip(",").split()
    return (
        between.strip().endswith(",")
        and between.count(",") == 1
        and 0 < len(words) <= 4
        and words[-1].lower() in company_nouns(doc.lang)
    )


_AND = re.compile(r"^\s*(?:,|and|&|и|а также)\s*$")


def _coordinated(doc: Doc, ctx: DocContext, x: Mention) -> list[Mention]:
    """Demonyms joined to demonym ``x`` by "and" before it: "Kazakh and [Chinese] companies"."""
    if x.label != "DEMONYM":
        return []
    out: list[Mention] = []
    start = x.start
    for y in sorted(ctx.demonyms, key=lambda y: -y.end):
        if y.end <= start and _AND.match(doc.text[y.end : start]):
            out.append(y)
            start = y.start
    return out


def _fill_investor_countries(
    doc: Doc, ctx: DocContext, rec: ProjectRecord, prov: dict[str, Evidence], d: _Draft, memo: _DocMemo
) -> None:
    countries: list[str] = []

    def add(code: str, m: Mention) -> None:
        if code and code not in countries:
            prov[f"investor_countries[{len(countries)}]"] = evidence(doc, m.start, m.end)
            countries.append(code)

    missing = 0
    for m in d.investor_mentions:
        found = memo.country_near(doc, ctx, m)
        if found is None:
            # the same name elsewhere in the document may carry the cue
            for other in memo.orgs_of(memo.key(m)):
                if other is m:
                    continue
                found = memo.country_near(doc, ctx, other)
                if found:
                    break
        if found:
            add(found[0], found[1])
            for other in _coordinated(doc, ctx, found[1]):
                for code in demonym_codes(other):
                    add(code, other)  # "Kazakh and Chinese business leaders": both countries
        elif (home := _home_before(doc, ctx, m)) is not None:
            add(home.value.country, home)  # "an investor from Harbin, the Longjiang group"
        elif (known := known_company_country(m.value.name)) is not None:
            add(known, m)  # the text says nothing of it, the company is well known ("Rosatom")
        else:
            missing += 1
    if missing or not d.investor_mentions:
        # "two Chinese companies operating ...": a demonym qualifying companies in the project's sentences
        for seg in d.segments:
            s, e = doc.sentence_of(seg.start)
            for x in memo.company_demonyms_in(doc, s, e):
                for code in demonym_codes(x):
                    add(code, x)
        if (
            not countries
            and ctx.company_country
            and ctx.company_country != ctx.host_country
            and not _country_of_other_names(doc, ctx, d, ctx.company_country, memo)
        ):
            found_m = next(
                (x for x in ctx.demonyms if ctx.company_country in demonym_codes(x)), None
            ) or ctx.place_of(ctx.company_country)
            if found_m is not None:
                add(ctx.company_country, found_m)
    rec.investor_countries = countries
    d.uncued = missing


def _side_country(doc: Doc, ctx: DocContext, cues: FrameCues, segs: list[_Segment]) -> str | None:
    """The country of the side a segment speaks of: "on the Russian side", «на китайском берегу»."""
    for seg in segs:
        if not cues.project.may_match(("side_after",), doc.text, seg.start, seg.end):
            continue  # no "side", "bank", «сторон» in the segment: the common case
        for d in ctx.index("demonyms").overlapping(seg.start, seg.end):
            if (
                d.start >= seg.start
                and cues.project.starts("side_after", doc.text[d.end : d.end + 20])
                and cues.project.ends("side_before", doc.text[max(seg.start, d.start - 12) : d.start])
            ):
                codes = demonym_codes(d)
                if len(codes) == 1:
                    return codes[0]
    return None


def _home_before(doc: Doc, ctx: DocContext, m: Mention) -> Mention | None:
    """The place the company named at ``m`` comes from, stated right before its name in its
    sentence: "инвестор из Харбина — группа «Лунцзян Туризм»", "a company from Shandong, X"."""
    s, _e = doc.sentence_of(m.start)
    for p in reversed(ctx.places_in(max(s, m.start - 80), m.start)):
        if (
            p.value.country
            and origin_place(doc, p)
            and not any(
                o.start > p.end and o.end <= m.start for o in ctx.index("orgs").overlapping(p.end, m.start)
            )
        ):
            return p
    return None


def _country_of_other_names(doc: Doc, ctx: DocContext, d: _Draft, code: str, memo: _DocMemo) -> bool:
    """Every demonym of ``code`` that qualifies companies qualifies one named company that is not
    an investor of ``d`` ("Belarusian company MAZ Service"): the country is that company's, not the
    story's, and does not pass to a company whose home the text leaves unsaid."""
    mine = {memo.key(m) for m in d.investor_mentions}
    orgs = ctx.index("orgs")
    seen = False
    for x in ctx.demonyms:
        if code not in demonym_codes(x) or not qualifies_company(doc, x, wide=True):
            continue
        seen = True
        # the company named right after the demonym and its noun ("Belarusian company MAZ")
        named = next((o for o in orgs.overlapping(x.end, x.end + 40) if o.start >= x.end), None)
        if named is None or len(doc.text[x.end : named.start].split()) > 2 or memo.key(named) in mine:
            return False  # "Chinese companies", "a Chinese investor": the story's companies
    return seen


def _local_partners(rec: ProjectRecord, prov: dict[str, Evidence], d: _Draft) -> None:
    """In a partnership, a partner named with no home country is taken as local (the host's)."""
    if (
        d.uncued
        and len(d.investor_mentions) >= 2
        and rec.host_country
        and rec.host_country not in rec.investor_countries
    ):
        ev = prov.get("host_country")
        if ev is not None:
            prov[f"investor_countries[{len(rec.investor_countries)}]"] = ev
            rec.investor_countries.insert(len(rec.investor_countries), rec.host_country)


_APPOSITION_OPEN = re.compile(r"\s*,\s+(?:an?|the)\s+", re.I)


def _domestic_investors(
    doc: Doc, cues: FrameCues, rec: ProjectRecord, prov: dict[str, Evidence], d: _Draft
) -> None:
    """An investor with no home country of its own that the text calls domestic or local
    ("domestic IT company Selectel", "Tulaprofil, a local producer of ...") is of the host country."""
    if not d.uncued or not rec.host_country or rec.host_country in rec.investor_countries:
        return
    text = doc.text
    for m in d.investor_mentions:
        s, e = doc.sentence_of(m.start)
        lo = max(s, m.start - 50)
        if cues.project.ends("domestic_before", text[lo : m.start]):
            piece = (lo, m.start)
        else:
            opened = _APPOSITION_OPEN.match(text, m.end, e)
            if opened is None or not cues.project.starts("domestic", text[opened.end() : e]):
                continue
            piece = (opened.end(), e)
        word = cues.project.search_in("domestic", text, *piece)
        if word is not None:
            prov[f"investor_countries[{len(rec.investor_countries)}]"] = evidence(
                doc, piece[0] + word.start(), piece[0] + word.end()
            )
            rec.investor_countries.append(rec.host_country)
            return


def _status(
    doc: Doc,
    cues: FrameCues,
    segs: list[_Segment],
    doc_signed: tuple[int, int] | None,
    memo: _DocMemo,
) -> tuple[str, tuple[int, int] | None]:
    """The most advanced status stated in the segments; ``doc_signed`` is the lead's signing, if any.

    The first segment stating a status wins it (its first cue is the evidence).  Statuses are sought
    from the most advanced down, and only those above the best found so far: no other can change
    the answer.
    """
    best = "announced"
    best_span: tuple[int, int] | None = None
    for seg in segs:
        if not cues.status.may_match(_STATED, doc.text, seg.start, seg.end):
            continue  # no word of the segment starts a status cue: it states none
        for name in _STATED:
            if STATUS_ORDER[name] <= STATUS_ORDER[best]:
                break
            key = (seg.start, seg.end, name)
            if key in memo.status:  # drafts share segments: each is read once per document
                span = memo.status[key]
            else:
                span = memo.status[key] = _stated_status(doc, cues, seg, name)
            if span is not None:
                best = name
                best_span = span
                break  # the rest rank lower
    signed = doc_signed if best == "announced" else None
    if signed is not None:
        best = "agreement"
        best_span = signed
    if best_span is None:
        seg = segs[0]
        plan = cues.status.search_in("announced", doc.text, seg.start, seg.end)
        # a reported plan with no stronger cue is "announced"; its sentence is the evidence
        best_span = (seg.start + plan.start(), seg.start + plan.end()) if plan else (seg.start, seg.end)
    return best, best_span


#: the statuses a segment may state, the most advanced first
_STATED = ("cancelled", "operational", "construction", "agreement")
assert all(STATUS_ORDER[a] > STATUS_ORDER[b] for a, b in zip(_STATED, _STATED[1:], strict=False))


def _stated_status(doc: Doc, cues: FrameCues, seg: _Segment, name: str) -> tuple[int, int] | None:
    """The span of the first cue of status ``name`` in the segment (not one of the future, nor an
    agreement not signed yet), or None."""
    for m in cues.status.finditer_in(name, doc.text, seg.start, seg.end):
        text = m.string  # the segment's text
        if name != "agreement":
            future = cues.status.get("future")
            if future is not None and future.search(text[max(0, m.start() - 30) : m.start()]):
                continue
        else:
            unsigned = cues.status.get("unsigned")
            if unsigned is not None and unsigned.search(text[max(0, m.start() - 50) : m.end() + 30]):
                continue  # "fixed the date for signing an agreement": not signed yet
        return (seg.start + m.start(), seg.start + m.end())
    return None


def _topic_shift(doc: Doc, cues: FrameCues, after: int) -> int:
    """Where the story turns to other news after position ``after``: the start of the first
    sentence opening with a cue like "Separately," or "Meanwhile," (the end of the text if none)."""
    for s, e in doc.sentences:
        if s >= after and cues.status.starts("topic_shift", doc.text[s:e]):
            return s
    return len(doc.text)


def _doc_signing(doc: Doc, cues: FrameCues) -> tuple[int, int] | None:
    if not doc.sentences:
        return None
    lead_end = doc.sentences[min(2, len(doc.sentences) - 1)][1]
    unsigned = cues.status.get("unsigned")
    for m in cues.status.finditer_in("doc_signing", doc.text, 0, lead_end):
        around = doc.text[max(0, m.start() - 50) : m.end() + 15]
        if unsigned is None or not unsigned.search(around):
            return (m.start(), m.end())  # signed, not "applications for concluding agreements"
    return None


def _classify(
    doc: Doc,
    section: object,
    segs: list[_Segment],
    ctx: DocContext | None,
    memo: _DocMemo,
    by_position: bool = True,
) -> tuple[str | None, tuple[int, int] | None]:
    """The first label of ``section`` whose cue occurs in the segments (segment order first).

    Within a segment the cue nearest the start wins (``by_position``: sectors — the first thing
    named), or the label listed first in the lexicon (kinds: "set up a joint venture" is a venture).
    """
    assert isinstance(section, Cues)
    for seg in segs:
        # drafts share segments, and kinds are sought in the first segment and then in all: the
        # answer of a segment is remembered for the document
        memo_key = (id(section), seg.start, seg.end, by_position, ctx is None)
        if memo_key in memo.classify:
            answer = memo.classify[memo_key]
        else:
            answer = memo.classify[memo_key] = _classify_segment(doc, section, seg, ctx, by_position, memo)
        if answer is not None:
            return answer
    return None, None


#: id of a section -> (the section, its label names): the names tuple is built once per section
#: (it is the key of the section's union filter in :meth:`Cues.may_match`); the section is kept
#: so that its id is never reused
_NAMES: dict[int, tuple[Cues, tuple[str, ...]]] = {}


def _section_names(section: Cues) -> tuple[str, ...]:
    """The label names of ``section`` in lexicon order, one tuple per section."""
    entry = _NAMES.get(id(section))
    if entry is None or entry[0] is not section:
        entry = _NAMES[id(section)] = (section, tuple(section.names()))
    return entry[1]


def _classify_segment(
    doc: Doc, section: Cues, seg: _Segment, ctx: DocContext | None, by_position: bool, memo: _DocMemo
) -> tuple[str, tuple[int, int]] | None:
    """The label :func:`_classify` gives one segment, or None."""
    # "Investment Fund" in a name is not finance
    bare = memo.bare_of_places(doc, ctx, seg.start, seg.end) if ctx is not None else None
    names = _section_names(section)
    found = _first_label(section, names, doc.text, seg.start, seg.end, bare, by_position)
    if found is None:
        return None
    name, m = found
    return name, (seg.start + m.start(), seg.start + m.end())


def _first_label(
    section: Cues,
    names: tuple[str, ...],
    source: str,
    start: int,
    end: int,
    bare: Masked | None,
    by_position: bool,
) -> tuple[str, re.Match[str]] | None:
    """The label of ``names`` a piece gives and its cue's first match in the piece (positions in it).

    ``by_position``: the label whose first match starts first (the label listed first on a tie);
    else the label listed first that matches at all.  Both are read from one alternation of the
    labels' cues (:func:`_alternation`) instead of one search per label: at the leftmost position
    where any cue matches, the regex engine takes the first alternative that matches there, which
    is that label's own first match.  For the label listed first, the alternation of the labels
    before the one found is asked again, until none of them matches.  A piece in which no word
    starts any of the cues costs one look-up in the document's word index (as ``may_match``).
    """
    found: tuple[str, re.Match[str]] | None = None
    count = len(names)
    while count:
        labels = names[:count]
        entry = _ALTERNATIONS.get((id(section), labels))
        if entry is None or entry[0] is not section:
            # the first time: ``may_match`` builds the union of the labels' filters it is read with
            if not section.may_match(labels, source, start, end, bare):
                break  # no word of the piece starts a cue of those labels
            alternation = _alternation(section, labels)
        else:
            alternation = entry[1]
        if alternation is None:  # (a cue the word index cannot filter: one search per label)
            return _first_label_plain(section, labels, source, start, end, bare, by_position, found)
        m = (
            alternation.search_masked(_ANY, bare)
            if bare is not None
            else alternation.search_in(_ANY, source, start, end)
        )
        if m is None:
            break
        index = m.lastindex - 1 if m.lastindex else 0
        found = (labels[index], m)
        if by_position:
            break
        count = index
    return found


def _first_label_plain(
    section: Cues,
    names: tuple[str, ...],
    source: str,
    start: int,
    end: int,
    bare: Masked | None,
    by_position: bool,
    found: tuple[str, re.Match[str]] | None,
) -> tuple[str, re.Match[str]] | None:
    """What :func:`_first_label` answers, with one search per label (the rule as written);
    ``found`` is the answer of the labels after ``names``, if any."""
    hits: list[tuple[int, int, str, re.Match[str]]] = []
    for i, name in enumerate(names):
        m = (
            section.search_masked(name, bare)
            if bare is not None
            else section.search_in(name, source, start, end)
        )
        if m:
            hits.append((m.start(), i, name, m))
            if not by_position:
                break  # the label listed first wins: no later label can beat it
    if not hits:
        return found
    # the first thing the sentence names ("safety shoes made of PVC" is footwear, not chemicals)
    _, _, name, m = min(hits, key=lambda f: (f[0], f[1]) if by_position else (f[1], f[0]))
    return name, m


#: the one cue name of an alternation section
_ANY = "any"

#: (id of a section, label names) -> (the section, the alternation of those labels' cues or None)
_ALTERNATIONS: dict[tuple[int, tuple[str, ...]], tuple[Cues, Cues | None]] = {}


def _alternation(section: Cues, names: tuple[str, ...]) -> Cues | None:
    """A section of one cue, ``_ANY``: the cues of ``names`` as one alternation, each its own group
    (group ``i + 1`` is ``names[i]``), filtered by the union of their prefixes.

    The union is the filter :meth:`Cues.may_match` built for ``names`` (asked first): the word
    index lists its positions once per document, and every match of any of the cues starts at
    one of them.  None when the alternation would not be the same rules: a cue with groups of
    its own, flags differing, or a cue the index cannot filter.
    """
    key = (id(section), names)
    entry = _ALTERNATIONS.get(key)
    if entry is None or entry[0] is not section:
        union = section.unions.get(names)
        if union is None:
            return None  # (not asked of ``may_match`` yet: nothing to remember)
        pats = [section.patterns[n] for n in names if n in section.patterns]
        ok = (
            len(pats) == len(names)
            and all(n in section.filters for n in names)
            and all(p.groups == 0 and p.flags == pats[0].flags for p in pats)
        )
        alternation = None
        if ok:
            pattern = re.compile("|".join(f"({p.pattern})" for p in pats), pats[0].flags)
            alternation = Cues({_ANY: pattern}, stems=section.stems, filters={_ANY: union})
        entry = _ALTERNATIONS[key] = (section, alternation)
    return entry[1]
