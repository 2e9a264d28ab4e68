"""The event frame: forums, meetings, visits, signings, exhibitions and ceremonies reported.

A sentence with an event cue yields its main event (named when a capitalised name with an
event word stands in it) and, when it also reports a signing, a signing event.  Date, city and
country are read from the same sentence; identical events are reported once.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import load_lexicon
from ..model import EventRecord, Evidence, Mention
from ..normalise.places import city_lemma, find_places
from ..pipeline import Doc
from .context import DocContext, dateline_date, dateline_place, evidence
from .cues import FrameCues, _split_top, frame_cues

__all__ = ["find_events"]

_NAMED = re.compile(
    r"(?:[«\"“]([^»\"”]{3,120})[»\"”])|((?:[IVXLC]+\s+|\d+(?:st|nd|rd|th|-[ей])\s+)?(?:[A-ZА-ЯЁ][\w.'’-]*\s+(?:of\s+|and\s+|on\s+|и\s+|по\s+)?){0,8}"
    r"(?:Forum|Fair|Expo|Exhibition|Summit|Congress|Conference|Council|Week|Show|Форум|форум|Выставк\w*|выставк\w*|Ярмарк\w*|ярмарк\w*|Саммит|саммит))"
    # Russian names run on in lower-case adjectives: "Российско-Китайском инвестиционном форуме"
    r"|([А-ЯЁ][\w-]+(?:ом|ой|ый|ий|ая|ое|ого|ых|ем|ском)\s+(?:[а-яё-]+(?:ом|ой|ый|ий|ая|ое|ого|ых|ем)\s+){0,3}(?:форум|выставк|ярмарк|саммит)\w*)"
)
#: every match of _NAMED holds a quote or one of these words (its pattern is case-sensitive): a
#: sentence with none of them ("X met Y") is not scanned character by character
_NAMED_NEEDS = (
    "«",
    '"',
    "“",
    "Forum",
    "Fair",
    "Expo",
    "Exhibition",
    "Summit",
    "Congress",
    "Conference",
    "Council",
    "Week",
    "Show",
    "Форум",
    "форум",
    "Выставк",
    "выставк",
    "Ярмарк",
    "ярмарк",
    "Саммит",
    "саммит",
)
# "in China", "to Kaluga Region", "visited Jiangsu", "посетила провинцию Цзянсу": where it happens
_DESTINATION = re.compile(
    r"\b(?:in|to|at|в|во|visit(?:ed|s)?|посет\w*|посещени\w*)\s+(?:the\s+)?"
    # "a visit to the Chinese province of Shandong", "в китайскую провинцию Шаньдун"
    r"(?:(?-i:[A-Z][\w-]*|[а-яё-]+(?:ую|ой|ий|ый|ая|ое|ого|ом|ые|ых))\s+)?"  # "Chinese", "китайскую"
    r"(?:(?:province|region|city|republic|oblast|провинци\w*|област\w*|город\w*|республик\w*)\s+(?:of\s+)?)?$",
    re.I,
)
_ORDER = ("other", "exhibition", "forum", "meeting", "visit")
#: the cues a sentence must hold one of to report an event (a kind, or a signing)
_KINDS = (*_ORDER, "signing")


#: per sentence ``(s, e)``: each kind of _ORDER whose cue it holds, that cue, and whether the
#: event is only the setting ("on the sidelines of the forum"); see :func:`_kinds_found`
_Found = list[tuple[str, re.Match[str], bool]]


def _kinds_found(cues: FrameCues, source: str, s: int, e: int) -> _Found:
    """The kinds of _ORDER whose cue sentence ``source[s:e]`` holds, in order, with the cue and
    whether the words before it make the event the setting of another one.

    Both :func:`_kind` and :func:`_setting_kind` read this: one look-up per kind and sentence.
    """
    out: _Found = []
    search_in = cues.event.search_in
    ends = cues.event.ends
    for kind in _ORDER:
        m = search_in(kind, source, s, e)
        if m is not None:
            m = _cue_from(cues, kind, m)
            if m is not None:
                out.append((kind, m, ends("setting", m.string[max(0, m.start() - 40) : m.start()])))
    return out


def _kind(
    cues: FrameCues, source: str, s: int, e: int, found: _Found | None = None
) -> tuple[str | None, re.Match[str] | None]:
    """The kind of event sentence ``source[s:e]`` reports, and its cue (positions in the sentence)."""
    if found is None:
        found = _kinds_found(cues, source, s, e)
    # "X met the Vice Premier on the sidelines of the forum": the forum is the setting
    for kind, m, setting in found:  # in _ORDER
        if not setting:
            return kind, m
    for kind, m, _ in found:
        return kind, m
    return None, None


def _cue(cues: FrameCues, kind: str, source: str, s: int, e: int) -> re.Match[str] | None:
    """The first cue of ``kind`` in sentence ``source[s:e]`` that names an event: not a place or a
    kind of thing ("exhibition centre", "business and exhibition events") nor a mere chance or
    invitation ("the opportunity to visit the plant")."""
    m = cues.event.search_in(kind, source, s, e)
    if m is None:
        return m
    return _cue_from(cues, kind, m)


def _cue_from(cues: FrameCues, kind: str, m: re.Match[str]) -> re.Match[str] | None:
    """:func:`_cue` from the first match ``m`` of the cue in the sentence: it, or the first
    later match that names an event."""
    text = m.string  # the sentence
    if not _not_event(cues, text, m):
        return m
    pat = cues.event.get(kind)
    assert pat is not None
    return next((n for n in pat.finditer(text, m.end()) if not _not_event(cues, text, n)), None)


def _not_event(cues: FrameCues, text: str, m: re.Match[str]) -> bool:
    return cues.event.starts("not_event_after", text[m.end() : m.end() + 40]) or cues.event.ends(
        "not_event_before", text[max(0, m.start() - 50) : m.start()]
    )


def _signing(cues: FrameCues, source: str, s: int, e: int) -> re.Match[str] | None:
    """The signing cue of sentence ``source[s:e]``, unless nothing was signed ("no agreement has
    been signed yet") or what was signed is a legal act ("the president signed a decree")."""
    m = _cue(cues, "signing", source, s, e)
    if m is None or cues.status.search_in("not_signed", source, s, e) is not None:
        return None
    if any(a.start() <= m.start() < a.end() for a in cues.event.finditer_in("legal_act", source, s, e)):
        return None
    return m


def find_events(doc: Doc, ctx: DocContext) -> list[EventRecord]:
    """Event records of the document, with per-field provenance."""
    cues = frame_cues(doc.lang)
    out: list[EventRecord] = []
    kinds: dict[tuple[int, int], _Found] = {}  # the sentences looked at, for _from_setting
    for s, e in doc.sentences:
        if (
            e - s < 25
            or not cues.event.may_match(_KINDS, doc.text, s, e)  # no event word: nothing to find
            or cues.event.search_in("not_event", doc.text, s, e)
        ):
            continue
        found = kinds[s, e] = _kinds_found(cues, doc.text, s, e)
        kind, km = _kind(cues, doc.text, s, e, found)
        signing = _signing(cues, doc.text, s, e)
        if kind is not None and km is not None:
            out.append(_make(doc, ctx, s, e, kind, km.start() + s, km.end() + s, cues))
        if signing is not None and kind != "signing":
            out.append(_make(doc, ctx, s, e, "signing", signing.start() + s, signing.end() + s, cues))
    events = _dedupe(out, {id(ev) for ev in out if _said_date(doc, cues, ev)})
    for ev in events:
        if ev.kind == "other" and ev.date is None and ev.city is None and ev.evidence is not None:
            _ceremony_from_previous(doc, ctx, cues, ev, ev.evidence.start)
        if (ev.date is None or ev.city is None) and ev.evidence is not None:
            _from_setting(doc, cues, ev, events, kinds)
        if ev.date is None and ev.evidence is not None:
            _date_from_dateline(doc, cues, ev, ev.provenance, ev.evidence.start, ev.evidence.end)
    return events


def _setting_kind(cues: FrameCues, source: str, s: int, e: int, found: _Found | None = None) -> str | None:
    """The kind of the event sentence ``source[s:e]`` names as its setting ("on the sidelines of
    the forum", «в рамках выставки»), if any (``found``: its :func:`_kinds_found`, if known)."""
    if found is None:
        found = _kinds_found(cues, source, s, e)
    return next((kind for kind, _, setting in found if setting), None)


def _from_setting(
    doc: Doc,
    cues: FrameCues,
    ev: EventRecord,
    events: list[EventRecord],
    kinds: dict[tuple[int, int], _Found] | None = None,
) -> None:
    """ "The Russian-Chinese Expo opened in Harbin on May 17. On the sidelines of the expo, the
    region signed an agreement ...": an event held at an event reported before takes the date,
    city and country it lacks from that one (the latest of the setting's kind before it)."""
    assert ev.evidence is not None
    index = doc.sentence_index(ev.evidence.start)
    if index is None:
        return
    s, e = doc.sentences[index]
    kind = _setting_kind(cues, doc.text, s, e, kinds.get((s, e)) if kinds is not None else None)
    if kind is None:
        return
    before = [o for o in events if o.kind == kind and o.evidence is not None and o.evidence.end <= s]
    if not before:
        return
    # the latest one, and of those one that says where (a passing "the exhibition's partner
    # country" is no better source than the exhibition reported in full)
    placed = [o for o in before if o.city is not None] or before
    setting = max(placed, key=lambda o: o.evidence.start if o.evidence is not None else -1)
    if ev.date is None and setting.date is not None and "date" in setting.provenance:
        ev.date = setting.date
        ev.provenance["date"] = setting.provenance["date"]
    if ev.city is None and setting.city is not None and "city" in setting.provenance:
        ev.city = setting.city
        ev.provenance["city"] = setting.provenance["city"]
        if setting.country is not None and "country" in setting.provenance:
            ev.country = setting.country
            ev.provenance["country"] = setting.provenance["country"]


def _ceremony_from_previous(doc: Doc, ctx: DocContext, cues: FrameCues, ev: EventRecord, s: int) -> None:
    """ "The plant was opened in Zhodino on 17 November. The president took part in the opening
    ceremony.": a ceremony with no date or place of its own took place when and where the sentence
    before says the plant opened (or its construction began); the nearest such sentence of the
    three before counts."""
    index = doc.sentence_index(s)
    if index is None or index <= 0:
        return
    for back in range(index - 1, max(-1, index - 4), -1):
        ps, pe = doc.sentences[back]
        if (
            cues.status.search_in("operational", doc.text, ps, pe) is not None
            or cues.status.search_in("construction", doc.text, ps, pe) is not None
        ):
            break
    else:
        return
    days = [
        d
        for d in doc.in_span("DATE", ps, pe)
        if d.value.precision in ("day", "month")
        and not _deadline(cues, doc.text[max(ps, d.start - 12) : d.start])
    ]
    if days:
        ev.date = days[0].value.iso
        ev.provenance["date"] = evidence(doc, days[0].start, days[0].end)
    cities = [p for p in ctx.places_in(ps, pe) if p.value.kind == "city" and not dateline_place(doc, p)]
    if cities:
        c = cities[0]
        ev.city = (doc.lang != "en" and city_lemma(c.value, doc.lang)) or doc.text[c.start : c.end]
        ev.country = c.value.country
        ev.provenance["city"] = evidence(doc, c.start, c.end)
        ev.provenance["country"] = ev.provenance["city"]


def _make(
    doc: Doc, ctx: DocContext, s: int, e: int, kind: str, cs: int, ce: int, cues: FrameCues
) -> EventRecord:
    rec = EventRecord(kind=kind)
    prov: dict[str, Evidence] = {"kind": evidence(doc, cs, ce)}
    named = None
    if kind in ("forum", "exhibition", "meeting"):
        # a name with a capital or in quotes (another event's bare "выставки" is no name), the one
        # holding the cue first ("В рамках выставки пройдет Российско-китайский форум ..."), else
        # the first, else the cue word itself
        sentence = doc.text[s:e]
        found = list(_NAMED.finditer(doc.text, s, e)) if any(w in sentence for w in _NAMED_NEEDS) else []
        # a quoted name is the event's when it follows the event word ("выставка «Иннопром»") or
        # holds it, not any quoted name in the sentence (a company's, a zone's «Алабуга»)
        names = [
            m
            for m in found
            if (m.group(1) and (m.start() <= cs < m.end() or 0 <= m.start() - ce <= 25))
            or (not m.group(1) and any(c.isupper() for c in m.group()))
        ]
        holding = [m for m in found if m.start() <= cs < m.end()]  # the cue word itself, at least
        named = next((m for m in names if m in holding), names[0] if names else next(iter(holding), None))
        # "Выставка «Иннопром» открылась": the bare event word yields to the quoted name after it
        after = [m for m in names if m.group(1) and 0 <= m.start() - ce <= 25 and m.start() >= cs]
        if after and (named is None or (named in holding and len(named.group().split()) == 1)):
            named = after[0]
    if named is not None:
        g = next(i for i in (1, 2, 3) if named.group(i))
        ns, ne = named.start(g), named.end(g)
        rec.name = doc.text[ns:ne].strip()
        prov["name"] = evidence(doc, ns, ne)
    else:
        ns = cs
        ne = min(e, ce + 70)
        # a full stop inside a place, a company's name or a figure ("St. Petersburg", "$4.5
        # billion") does not end the name
        cut = None
        spans: list[Mention] | None = None  # the names and figures, looked up at the first cut
        for found_cut in _NAME_CUT.finditer(doc.text, ce, ne):
            if spans is None:
                spans = [
                    m for label in ("PLACE", "ORG", "MONEY", "PERCENT") for m in doc.in_span(label, s, e)
                ]
            if not any(n.start < found_cut.start() < n.end for n in spans):
                cut = found_cut
                break
        if cut:
            ne = cut.start()
        elif ne < e and doc.text[ne - 1 : ne + 1].isalnum():
            ne = doc.text.rfind(" ", ce, ne) if doc.text.rfind(" ", ce, ne) > ce else ne  # whole words only
        start = max(s, cs - 40)
        lead = doc.text[start:cs]
        det = _DETERMINER.search(lead)
        if det:
            ns = start + det.start()
        rec.name = doc.text[ns:ne].strip() or doc.text[cs:ce]
    dates = [d for d in doc.in_span("DATE", s, e)] + doc.in_span("PERIOD", s, e)
    # "cooperation until 2030": a deadline named in the sentence is not when the event happened
    dates = [d for d in dates if not _deadline(cues, doc.text[max(s, d.start - 12) : d.start])]
    # "HARBIN, May 20 (Xinhua) -- The expo opened on Saturday": the day the story was filed
    # yields to a date the sentence gives the event
    dates = [d for d in dates if not dateline_date(doc, d)] or dates
    # "29 сентября – 1 октября", "from September 29 to October 1": a range starts on its first day
    dates = [
        d
        for d in dates
        if not any(_RANGE_END.match(doc.text[o.end : d.start]) for o in dates if o.end <= d.start)
    ]
    # "production will start in 2017, Mou Gang said at the ceremony": the statement's subject
    speech = cues.event.get("speech_at")
    if speech is not None:
        dates = [d for d in dates if d.end > cs or speech.search(doc.text[d.end : cs]) is None]
    if dates:
        d = min(dates, key=lambda d: abs(d.start - cs))
        # "next week, on September 22-23": the precise date right after restates the vague one
        d = next(
            (
                o
                for o in dates
                if 0 <= o.start - d.end <= 8
                and len(o.value.iso) > len(d.value.iso)
                and _RESTATED_DATE.fullmatch(doc.text, d.end, o.start)
            ),
            d,
        )
        rec.date = (
            d.value.iso
            if "/" not in d.value.iso and "-H" not in d.value.iso and "-Q" not in d.value.iso
            else None
        )
        if rec.date:
            prov["date"] = evidence(doc, d.start, d.end)
    # the city of the event stands by its cue ("the forum in Sochi"), not anywhere in a long sentence
    in_sentence = ctx.places_in(s, e)
    cities = [
        p
        for p in in_sentence
        if p.value.kind == "city"
        and not dateline_place(doc, p)
        and not _origin(doc, p)
        and not _former_venue(cues, doc.text[max(s, p.start - 60) : p.start])
        and not cues.event.ends("title_place", doc.text[max(s, p.start - 60) : p.start])
        and not cues.event.starts("title_place_after", doc.text[p.end : min(e, p.end + 40)])
        # (after the event word, the site's words stand after it too: «Соглашение о создании СП
        # подписали в Астане» names the venue)
        and not (
            kind == "signing"
            and cues.event.ends(
                "site_before", doc.text[max(s, p.start - 80, ce if p.start >= ce else s) : p.start]
            )
        )
        # "на форуме подписали ...: компания построит в Благовещенске": where a plant is built
        and not cues.event.ends("build_site_before", doc.text[max(s, p.start - 80) : p.start])
        and min(abs(p.start - ce), abs(cs - p.end)) <= 100
        and not _in_company(doc, ctx, cues, p)
    ]
    if cities:
        c = min(cities, key=lambda p: abs(p.start - cs))
        # Russian cities are declined in running text ("в Шанхае"): the record names the city itself
        rec.city = (doc.lang != "en" and city_lemma(c.value, doc.lang)) or doc.text[c.start : c.end]
        rec.country = c.value.country
        prov["city"] = evidence(doc, c.start, c.end)
        prov["country"] = prov["city"]
    else:
        here = [
            p
            for p in in_sentence
            if p.value.country
            and p.value.kind in ("country", "region", "site")
            and not _origin(doc, p)
            and min(abs(p.start - ce), abs(cs - p.end)) <= 100
        ]
        # "China hosted a meeting", "Kaluga Region welcomed a delegation": the host is the subject
        hosts = [p for p in here if _hosted(cues, doc.text, p.end, min(e, p.end + 30))]
        countries = hosts or [
            p for p in here if _DESTINATION.search(doc.text[max(s, p.start - 50) : p.start])
        ]
        if countries:
            c = countries[0]
            rec.country = c.value.country
            prov["country"] = evidence(doc, c.start, c.end)
    if rec.city is None and rec.country is None and _names_venue(doc.lang, doc.text, s, e):
        # "signed at SPIEF", "на ВЭФ": a recurring event held in one city names its place
        for pattern, city, country in _venues(doc.lang):
            vm = pattern.search(doc.text, s, e)
            if vm is not None:
                rec.city, rec.country = city, country
                prov["city"] = prov["country"] = evidence(doc, vm.start(), vm.end())
                break
    rec.evidence = evidence(doc, s, e)
    rec.provenance = prov
    return rec


_DETERMINER = re.compile(r"(?:\b(?:a|an|the|his|her|their|its|our)\s+)(?:[\w-]+\s+){0,3}$", re.I)
#: the words between a vague date and the precise one restating it ("next week, on September 22")
_RESTATED_DATE = re.compile(r"[\s,(]*(?:on|в|на)?\s*")
_NAME_CUT = re.compile(r"[,.;:]|\s(?:was|were|is|are|will|which|that|and|to|on)\s")


@lru_cache(maxsize=8)
def _venues(lang: str) -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """Recurring events and their cities (data/<lang>/venues.yaml)."""
    table = load_lexicon(lang, "venues").get("venues") or {}
    return tuple((re.compile(p), str(v["city"]), str(v["country"])) for p, v in table.items())


@lru_cache(maxsize=8)
def _any_venue(lang: str) -> re.Pattern[str]:
    """All venue patterns in one: a sentence it finds nothing in is not scanned once per venue."""
    return re.compile("|".join(f"(?:{p.pattern})" for p, _, _ in _venues(lang)) or "(?!)")


_META = frozenset(".^$*+?{}[]\\|()")


def _literal_heads(alternative: str) -> list[str] | None:
    """The literal texts one of which every match of a venue pattern's ``alternative`` begins
    with ("\\bSt\\.? ?Petersburg ..." -> ["St"], "\\b(?:Иннопром|ИННОПРОМ)\\w*" -> both names);
    None when it begins otherwise (a class, a flag, an optional first letter)."""
    if alternative.startswith("\\b"):
        alternative = alternative[2:]
    if alternative.startswith("(?:"):
        close = alternative.find(")")
        options = alternative[3:close].split("|") if close > 0 else []
        if not options or alternative[close + 1 : close + 2] in ("?", "*", "{"):
            return None
        if any(not o or any(c in _META for c in o) for o in options):
            return None
        return options
    out: list[str] = []
    for ch in alternative:
        if ch in _META:
            if ch in "?*{" and out:
                out.pop()  # the character before is optional
            break
        out.append(ch)
    return ["".join(out)] if out else None


@lru_cache(maxsize=8)
def _venue_heads(lang: str) -> tuple[str, ...] | None:
    """Literal texts one of which every venue match begins with (derived from the venue data);
    None when some pattern does not begin with literal text."""
    out: list[str] = []
    for pattern, _, _ in _venues(lang):
        for alternative in _split_top(pattern.pattern):
            heads = _literal_heads(alternative)
            if heads is None:
                return None
            out.extend(heads)
    return tuple(out)


def _names_venue(lang: str, source: str, s: int, e: int) -> bool:
    """Sentence ``source[s:e]`` names a recurring event held in one city.  The venue patterns
    are only scanned (position by position) when the sentence holds one of the literal texts
    their matches begin with, looked up in C: most sentences name no venue."""
    heads = _venue_heads(lang)
    if heads is not None and not any(map(source[s:e].__contains__, heads)):
        return False
    return _any_venue(lang).search(source, s, e) is not None


_RANGE_END = re.compile(r"\s*(?:[–—-]|to|till|until|по|до)\s*$", re.I)
_DELEGATION_AFTER = re.compile(r"^\s*(?:(?:region|oblast|province|city)\s+)?(?:delegation|делегаци)", re.I)
_DELEGATION_BEFORE = re.compile(r"(?:delegation|делегаци\w*)\s+(?:(?:of|from)\s+)?(?:the\s+)?$", re.I)


_NAME_GOES_ON = re.compile(r"(?:\s+(?:[A-ZА-ЯЁ][\w-]*|and|of|и))+")


def _in_company(doc: Doc, ctx: DocContext, cues: FrameCues, p: Mention) -> bool:
    """A city inside a company's name («Тайюань Хэви Машинери», Ningbo Tuoda Auto Parts) is no
    venue; a name that is itself an event's ("Harbin International Fair") keeps its city."""
    for o in ctx.orgs_in(max(0, p.start - 80), p.start + 1):
        if (
            o.start <= p.start
            and p.end <= o.end
            and (o.start, o.end) != (p.start, p.end)
            # a sure name, or a long one: "В Цзинане Хабиров провел" is a city and a person
            and (o.value.score >= 0.6 or len(o.text.split()) >= 3)
        ):
            # the name and the capitalised words going on with it ("Harbin International ... Fair")
            tail = _NAME_GOES_ON.match(doc.text, o.end)
            name = doc.text[o.start : tail.end() if tail else o.end]
            if not any(_cue(cues, k, name, 0, len(name)) for k in ("forum", "exhibition", "meeting")):
                return True
    return False


def _origin(doc: Doc, p: Mention) -> bool:
    """The place a delegation comes from ("the Novosibirsk delegation", "делегация Новосибирской
    области"): not where the event happens."""
    return bool(
        _DELEGATION_AFTER.match(doc.text[p.end : p.end + 30])
        or _DELEGATION_BEFORE.search(doc.text[max(0, p.start - 30) : p.start])
    )


def _date_from_dateline(
    doc: Doc, cues: FrameCues, rec: EventRecord, prov: dict[str, Evidence], s: int, e: int
) -> None:
    """An event the lead reports as done ("held a meeting", "today") took place on the stamp's date."""
    stamps = doc.of("DATELINE")
    if not stamps or not cues.event.search_in("reported_done", doc.text, s, e):
        return
    lead = {i for i in range(min(3, len(doc.sentences)))}
    index = doc.sentence_index(s)
    today = cues.event.search_in("today", doc.text, s, e) is not None
    if index not in lead and not today:
        return
    stamp = stamps[0]
    rec.date = stamp.value.iso
    prov["date"] = evidence(doc, stamp.start, stamp.end)


def _said_date(doc: Doc, cues: FrameCues, ev: EventRecord) -> bool:
    """The record's date is the day a statement about it was made ("has signed a contract ...,
    the company said on Tuesday"): a date after the event word, right after a speech verb."""
    d, k = ev.provenance.get("date"), ev.provenance.get("kind")
    if d is None or k is None or d.start < k.end:
        return False
    return cues.event.ends("statement_before", doc.text[max(k.end, d.start - 50) : d.start])


def _dedupe(events: list[EventRecord], said: set[int] | None = None) -> list[EventRecord]:
    """One record per event: later mentions of the same kind join the first that does not conflict.

    News repeats its event ("the visit", "this visit", "during the visit ..."); a mention is a new
    event only when something tells it apart: another date, city, country or name, or a word such
    as "next" / "следующ".  The day of a statement about the event (``said``: the ids of such
    records) tells nothing apart: the date the event is given later replaces it ("..., the
    company said on Tuesday. The signing took place in Beijing last Thursday").
    """
    said = said or set()
    out: list[EventRecord] = []
    for ev in events:
        twin = next(
            (
                o
                for o in out
                if o.kind == ev.kind
                and (
                    not _distinct(o, ev)
                    or (id(o) in said or id(ev) in said) and not _distinct(o, ev, dates=False)
                )
            ),
            None,
        )
        if twin is None:
            out.append(ev)
            continue
        if id(twin) in said and ev.date is not None and id(ev) not in said:
            # the mention that dates the event also says where, over a statement's vaguer country
            fields = ("date", "city", "country") if twin.city is None and ev.city is not None else ("date",)
            for f in fields:
                setattr(twin, f, getattr(ev, f))
                twin.provenance[f] = ev.provenance[f]
            said.discard(id(twin))
        for f in ("date", "city", "country"):
            mine, theirs = getattr(twin, f), getattr(ev, f)
            # a value the other mention lacks, or a more precise date ("2024-05" -> "2024-05-16")
            if theirs is not None and (mine is None or (f == "date" and len(theirs) > len(mine))):
                setattr(twin, f, theirs)
                if f in ev.provenance:
                    twin.provenance[f] = ev.provenance[f]
        # a name of its own over "the forum"; of two names of one event, the fuller one
        # ("9th China-Russia Expo" over a headline's "Russian-Chinese Expo")
        if _proper(ev) and (not _proper(twin) or len(ev.name or "") > len(twin.name or "")):
            twin.name = ev.name
            twin.provenance["name"] = ev.provenance["name"]
    return out


_NEW_EVENT = re.compile(
    r"\b(?:next|another|second|third|following|upcoming|следующ\w*|очередн\w*|друг\w*)\b", re.I
)


def _distinct(first: EventRecord, other: EventRecord, dates: bool = True) -> bool:
    if _NEW_EVENT.search(_before_cue(other)):
        return True
    if (
        dates
        and first.date
        and other.date
        and not (first.date.startswith(other.date) or other.date.startswith(first.date))
    ):
        return True
    if first.city and other.city and _stem(first.city) != _stem(other.city):
        return True
    if (
        first.country
        and other.country
        and first.country != other.country
        and (dates or (first.city and other.city))
    ):
        return True
    named = ("forum", "exhibition")
    if first.kind in named and _proper(first) and _proper(other):
        return _name_key(first.name) != _name_key(other.name)
    return False


def _former_venue(cues: FrameCues, before: str) -> bool:
    """The words right before a city make it where the event was held before ("earlier held in")."""
    return cues.event.ends("former_venue", before)


def _before_cue(ev: EventRecord) -> str:
    """The event's name up to its event word: "The next meeting" (a new one), not "this visit gave
    another push" (the same visit again)."""
    name = ev.name or ""
    cue = ev.provenance.get("kind")
    at = name.find(cue.quote) if cue is not None else -1
    return name[: at + len(cue.quote)] if cue is not None and at >= 0 else name


def _hosted(cues: FrameCues, source: str, start: int, end: int) -> bool:
    """The words right after a place (``source[start:end]``) make it the host: "China hosted",
    "Kaluga Region welcomed"."""
    m = cues.event.search_in("hosted", source, start, end)
    return m is not None and not m.string[: m.start()].strip(" \u00a0")


def _deadline(cues: FrameCues, before: str) -> bool:
    """The words right before a date make it a deadline ("until 2030", "до 2030 года")."""
    return cues.event.ends("deadline", before)


def _proper(ev: EventRecord) -> bool:
    """The event carries a name of its own ("IX Russia-China Economic Forum"), not a bare "the forum"."""
    return "name" in ev.provenance and len(_name_key(ev.name).split()) >= 3


def _stem(name: str) -> str:
    """A city name without its case ending or punctuation ("Шанхае" ~ "Шанхай", "BEIJING" ~
    "Beijing", "St. Petersburg" ~ "St Petersburg")."""
    return re.sub(r"\W+", "", name.casefold())[:5]


_ORDINAL = re.compile(
    r"^(?:\d+(?:st|nd|rd|th|й|я|е|го)?"  # 9th, 8-й (the hyphen is gone by then)
    r"|m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))$"  # roman numerals
)


@lru_cache(maxsize=2048)
def _name_key(name: str | None) -> str:
    """A name to compare: lower case, words only, without the edition ("9th", "IX", "8-й") or a
    leading article ("The Caucasus Investment Forum" ~ "Caucasus Investment Forum"); countries
    and their adjectives become their codes, in order ("Russian-Chinese Expo" ~ "China-Russia
    Expo" ~ «Российско-китайское ЭКСПО» -> "cn ru expo")."""
    text = name or ""
    codes: list[str] = []
    lang = "ru" if re.search(r"[а-яё]", text, re.I) else "en"
    for m in reversed(find_places(text, lang)):
        value = m.value
        if m.label == "DEMONYM_PAIR":
            found = [str(c) for c in value]
        elif m.label == "DEMONYM" or (m.label == "PLACE" and getattr(value, "kind", None) == "country"):
            found = [str(getattr(value, "country", value))]
        else:
            continue
        codes.extend(c.lower() for c in found)
        text = text[: m.start] + " " + text[m.end :]
    words = re.sub(r"\W+", " ", text.lower()).split()
    if words and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join([*sorted(set(codes)), *(w for w in words if not _ORDINAL.match(w))])


_ARTICLES = frozenset({"the", "a", "an"})


_ = Mention
