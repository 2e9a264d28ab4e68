"""The trade frame: stated figures of trade between two places.

A sentence with a trade cue and a figure (money, percentage or multiple) yields one record per
money figure; percentages become growth or share of the record they stand by; a figure-only
sentence right after a trade sentence continues it ("In the first half of 2014 it was ...").
"""

from __future__ import annotations

import re

from ..model import Evidence, Mention, TradeRecord
from ..pipeline import Doc
from .context import RESTATED, DocContext, dateline_place, demonym_codes, evidence
from .cues import FrameCues, frame_cues

__all__ = ["find_trade"]

_PARTNER_OF = re.compile(r"^(?:'s|’s)\s+(?:\w+\s+){0,4}(?:partner|partners)\b", re.I)
# "52% of Primorye's foreign trade": the place whose trade it is reports the figure
_OWN_TRADE = re.compile(r"^(?:'s|’s)\s+(?:\w+\s+){0,2}(?:trade|turnover|exports|imports)\b", re.I)
_SHARE_OF = re.compile(r"\b(?:accounts?|accounted) for\b[^.;]*\bof\s+$|\bshare\b|\bдол(?:я|и|ю|ей)\b", re.I)
# "доля Китая во внешнеторговом обороте Приморского края": the place after the trade word owns it
_OWN_TRADE_RU = re.compile(r"(?:оборот|торговл|экспорт|импорт)\w*\s+$", re.I)
# "4.3% more than a year earlier", "на 12% больше"
_UP_AFTER = re.compile(r"^\s*(?:more|higher|up|больше|выше)\b", re.I)
_BETWEEN = re.compile(r"\b(?:between|между)\b", re.I)


def _places_in(doc: Doc, ctx: DocContext, s: int, e: int) -> list[tuple[int, int, str]]:
    """(start, end, code) of places and demonyms in order; a region keeps its ISO 3166-2 code."""
    out: list[tuple[int, int, str]] = []
    for p in ctx.places:
        if s <= p.start < e and p.value.kind in ("country", "region") and (p.value.region or p.value.country):
            out.append((p.start, p.end, p.value.region or p.value.country))
    for d in ctx.demonyms:
        if s <= d.start < e:
            codes = demonym_codes(d)
            if len(codes) == 2:  # "Russia-China" pair
                out.append((d.start, d.end, codes[0]))
                out.append((d.start, d.end, codes[1]))
    out.sort()
    return out


def _country(code: str) -> str:
    return code.split("-")[0]


def _parties(
    doc: Doc, ctx: DocContext, s: int, e: int, default_reporter: str | None
) -> tuple[str | None, str | None, Mention | None]:
    places: list[tuple[int, int, str]] = []
    for item in _places_in(doc, ctx, s, e):
        prev = places[-1] if places else None
        if (
            prev
            and "-" in item[2]
            and "-" not in prev[2]
            and _country(item[2]) == prev[2]
            and item[0] - prev[1] <= 4
        ):
            places[-1] = item  # "Russia's Primorsky Krai": the region is the party
        else:
            places.append(item)
    codes: list[str] = []
    for ps, pe, c in places:
        after = doc.text[pe : min(e, pe + 50)]
        owns = _OWN_TRADE.match(after) or _OWN_TRADE_RU.search(doc.text[max(s, ps - 30) : ps])
        if _PARTNER_OF.match(after) or (owns and _SHARE_OF.search(doc.text[s:ps])):
            if c in codes:
                codes.remove(c)
            codes.insert(0, c)  # "China is Kazakhstan's largest trade partner": Kazakhstan reports
        elif c not in codes:
            codes.append(c)
    if len(codes) >= 2:
        partner = next((c for c in codes[1:] if _country(c) != _country(codes[0])), None)
        if partner is not None:
            return codes[0], _country(partner), None
    if len(codes) == 1:
        only = codes[0]
        if default_reporter and _country(default_reporter) != _country(only):
            return default_reporter, _country(only), None
        return only, None, None
    return default_reporter, None, None


#: a clause with its verb left out: "imports – by 7.4%", "импорт из России — на 7,4%"
_ELIDED = re.compile(r"[—–-]\s*(?:на|by)\s+(?:about\s+|почти\s+|около\s+)?$", re.I)
#: the words before a percentage that make it a level reached, not a change ("rose to 45%")
_LEVEL = re.compile(
    r"\b(?:to|reached|до|достигл\w*)\s+(?:about\s+|almost\s+|nearly\s+|почти\s+|около\s+)?$", re.I
)


def _names_a_party(doc: Doc, cues: FrameCues, s: int, e: int) -> bool:
    """The sentence names a place or a people ("China's share", "the region's")."""
    return bool(
        doc.in_span("PLACE", s, e)
        or doc.in_span("DEMONYM", s, e)
        or cues.trade.search_in("party_nouns", doc.text, s, e)
    )


def _deal_value(cues: FrameCues, text: str, m: Mention, s: int, e: int) -> bool:
    """The amount is the value of one deal ("a $5mn contract", "agreements worth $2 billion")."""
    return cues.trade.starts("deal_after", text[m.end : min(e, m.end + 40)]) or cues.trade.ends(
        "deal_before", text[max(s, m.start - 50) : m.start]
    )


def find_trade(doc: Doc, ctx: DocContext) -> list[TradeRecord]:
    """Trade records of the document, with per-field provenance."""
    cues = frame_cues(doc.lang)
    records: list[TradeRecord] = []
    prev_trade_idx = -10
    reporter_default = _default_reporter(ctx)
    last_parties: tuple[str | None, str | None] = (reporter_default, None)
    search_in = cues.trade.search_in
    for idx, (s, e) in enumerate(doc.sentences):
        cue = search_in("cue", doc.text, s, e)
        if cue is None and idx - prev_trade_idx != 1:
            continue  # no trade word and no trade sentence before: no figure is looked up
        money = [m for m in doc.in_span("MONEY", s, e) if m.value.currency]
        percents = doc.in_span("PERCENT", s, e)
        multiples = doc.in_span("MULTIPLE", s, e)
        continuation = cue is None and idx - prev_trade_idx == 1 and (money or percents)
        if continuation and not money and not _names_a_party(doc, cues, s, e):
            # "Rapeseed oil and wheat accounted for 80% of the shipments": the goods, not the parties
            continue
        if cue is None and not continuation:
            continue
        if not (money or percents or multiples):
            # "China is Kazakhstan's largest trade partner": no figure, but it names the parties
            rep, par, _ = _parties(doc, ctx, s, e, None)
            if rep and par:
                last_parties = (rep, par)
            continue
        if cues.trade.search_in("not_figure", doc.text, s, e) and not percents and len(money) <= 1:
            continue
        if cue is not None:
            reporter, partner, _ = _parties(doc, ctx, s, e, last_parties[0] or reporter_default)
            if partner is None and cues.trade.search_in("both_parties", doc.text, s, e):
                pair = _story_countries(doc, ctx, e)
                if len(pair) >= 2:
                    reporter, partner = pair[0], pair[1]
            if (
                reporter_default
                and "-" in reporter_default
                and reporter != reporter_default
                and cues.trade.search_in("region_own", doc.text, s, e)
            ):
                # "$410 million, or 12% of the region's foreign trade": the story's region reports,
                # the first other country named is the partner
                others = [
                    c for _s, _e, c in _places_in(doc, ctx, s, e) if _country(c) != _country(reporter_default)
                ]
                if others:
                    reporter, partner = reporter_default, _country(others[0])
            if partner is None and cues.trade.search_in("world_total", doc.text, s, e):
                # "Всего внешнеторговый оборот области составил ...": trade with the whole world
                continue
            if reporter and partner:
                last_parties = (reporter, partner)
            else:
                reporter = reporter or last_parties[0] or reporter_default
                partner = partner or last_parties[1]
        else:
            reporter, partner = last_parties
        periods = doc.in_span("PERIOD", s, e) + [
            d
            for d in doc.in_span("DATE", s, e)
            if d.value.precision in ("year", "half", "quarter", "range", "month")
        ]
        # "compared with 2021": the base of a comparison is not the figure's period
        periods = [
            d
            for d in periods
            if not cues.trade.search_in("baseline", doc.text, max(s, d.start - 25), d.start)
        ] or periods
        made: list[TradeRecord] = []
        # "13.5 billion yuan (US$1.96 billion)": the figure in brackets restates the one before it
        money = [
            m
            for i, m in enumerate(money)
            if i == 0 or not RESTATED.match(doc.text[money[i - 1].end : m.start])
        ]
        for m in money:
            # a money figure inside a "target"/plan clause is not a stated figure
            if cues.trade.search_in("not_figure", doc.text, max(s, m.start - 40), m.start) or _deal_value(
                cues, doc.text, m, s, e
            ):
                continue
            rec = TradeRecord(
                reporter=reporter, partner=partner, value=m.value.value, currency=m.value.currency
            )
            prov: dict[str, Evidence] = {"value": evidence(doc, m.start, m.end)}
            rec.flow, fspan = _flow(doc, cues, s, m.start)
            if fspan:
                prov["flow"] = evidence(doc, *fspan)
                _direction(doc, ctx, rec, prov, fspan, e)
            per = _nearest_period(periods, m)
            if per is not None:
                rec.period = per.value.iso
                prov["period"] = evidence(doc, per.start, per.end)
            elif (
                records
                and idx - prev_trade_idx <= 2
                and records[-1].period
                and "period" in records[-1].provenance
            ):
                # "... reached $41 billion in 2023. Exports to China amounted to $15.8 billion.": same period
                rec.period = records[-1].period
                prov["period"] = records[-1].provenance["period"]
            rec.provenance = prov
            rec.evidence = evidence(doc, s, e)
            made.append(rec)
        # growth and share percentages go to the nearest record of this sentence or start their own
        for p in percents + multiples:
            before = doc.text[max(s, p.start - 60) : p.start]
            is_share = (
                cues.trade.search_in("share", doc.text, s, p.start) is not None
                or cues.trade.search_in("share", doc.text, p.end, min(e, p.end + 40)) is not None
            )
            growth_down = bool(
                cues.trade.search_in("growth_down", doc.text, max(s, p.start - 60), p.start)
                or cues.trade.search_in("growth_down", doc.text, p.end, min(e, p.end + 40))
            )
            growth_up = bool(
                cues.trade.search_in("growth_up", doc.text, max(s, p.start - 60), p.start)
                or _UP_AFTER.match(doc.text[p.end : p.end + 20])
            )
            if not (growth_up or growth_down) and _ELIDED.search(before):
                # "экспорт сократился на 10,6%, ... импорт — на 7,4%": the verb left out is the one before
                up = _last_cue(cues, "growth_up", doc.text, s, p.start)
                down = _last_cue(cues, "growth_down", doc.text, s, p.start)
                growth_up, growth_down = up > down, down > up
            if (
                is_share
                and (growth_up or growth_down)
                and _last_cue_is_growth(cues, doc.text, s, p.start)
                and not _LEVEL.search(before)
            ):
                # "accounted for 52% of trade, ..., up 11% from a year earlier" (but "China's share
                # rose to 45%" states the share itself)
                is_share = False
            target = _nearest_record(made, p) if made else None
            if target is not None and (
                (not money and target.change_pct is not None)
                or target.flow != _flow(doc, cues, s, p.start)[0]
            ):
                # "turnover doubled, and exports grew tenfold", "exports fell 5% to $410 million,
                # imports grew 1.5 times": two figures
                target = None
            if p.label == "MULTIPLE" or (not is_share and (growth_up or growth_down)):
                value = float(p.value)
                if (
                    growth_down
                    and p.label == "PERCENT"
                    and (
                        not growth_up
                        or _nearest_is_down(
                            cues,
                            doc.text,
                            max(s, p.start - 60),
                            p.start,
                            doc.text[p.end : min(e, p.end + 40)],
                        )
                    )
                ):
                    value = -value
                if target is None:
                    target = _new_record(doc, ctx, s, e, reporter, partner, periods, p, cues)
                    _inherit_period(target, records, idx - prev_trade_idx)
                    made.append(target)
                if target.change_pct is None:
                    target.change_pct = value
                    target.provenance["change_pct"] = evidence(doc, p.start, p.end)
            elif is_share:
                flow_here, _ = _flow(doc, cues, s, p.start)
                own_period = bool(periods)  # a share stated with its own period is its own figure
                if (
                    target is None
                    and not money
                    and not own_period
                    and records
                    and records[-1].share_pct is None
                    and idx - prev_trade_idx <= 1
                    and flow_here == records[-1].flow
                ):
                    target = records[-1]
                if target is None or (target.share_pct is not None):
                    owner = _share_owner(doc, ctx, s, p.start, reporter, partner)
                    target = _new_record(
                        doc, ctx, s, e, reporter, owner[0] if owner else partner, periods, p, cues
                    )
                    if owner is not None:
                        target.provenance["partner"] = evidence(doc, owner[1], owner[2])
                    _inherit_period(target, records, idx - prev_trade_idx)
                    made.append(target)
                target.share_pct = float(p.value)
                target.provenance["share_pct"] = evidence(doc, p.start, p.end)
        if made or continuation:
            prev_trade_idx = idx
        records.extend(made)
    merged = _merge(records)
    for rec in merged:
        _complete_provenance(doc, ctx, cues, rec)
    return merged


def _share_owner(
    doc: Doc, ctx: DocContext, s: int, pos: int, reporter: str | None, partner: str | None
) -> tuple[str, int, int] | None:
    """Another country named right before a share is the one it belongs to ("Замыкает тройку
    Италия с долей 11,3%", "ahead of Russia, whose share was 19.8%"): (code, start, end), or None
    when the nearest place there is a party already named or no country."""
    lo = max(s, pos - 40)
    near = [x for x in _places_in(doc, ctx, s, pos) if x[0] >= lo]
    if not near:
        return None
    start, end, code = near[-1]
    if "-" in code or code in (partner, _country(reporter or "")):
        return None
    return code, start, end


def _inherit_period(rec: TradeRecord, records: list[TradeRecord], distance: int) -> None:
    """A figure with no period of its own, a sentence or two after a dated one, shares its period
    ("... by the end of nine months it was 62%. Exports for that period grew by 8%")."""
    if rec.period is None and records and distance <= 2 and records[-1].period:
        ev = records[-1].provenance.get("period")
        if ev is not None:
            rec.period = records[-1].period
            rec.provenance["period"] = ev


def _last_cue(cues: FrameCues, name: str, text: str, start: int, end: int) -> int:
    """Where the last match of trade cue ``name`` in ``text[start:end]`` starts; -1 when there is none."""
    return max((m.start() for m in cues.trade.finditer_in(name, text, start, end)), default=-1)


def _nearest_is_down(cues: FrameCues, text: str, start: int, end: int, after: str) -> bool:
    """Both a rise and a fall are written near a percentage (before it: ``text[start:end]``): the
    nearer word before it decides ("exports grew by 8%, and imports fell by 3%"); with neither
    before it, the words after it."""

    up, down = (
        _last_cue(cues, "growth_up", text, start, end),
        _last_cue(cues, "growth_down", text, start, end),
    )
    if up < 0 and down < 0:
        return _UP_AFTER.match(after) is None
    return down > up


def _last_cue_is_growth(cues: FrameCues, text: str, start: int, end: int) -> bool:
    """The cue nearest before a percentage (``text[start:end]``) speaks of growth, not of a share."""

    growth = max(
        _last_cue(cues, "growth_up", text, start, end), _last_cue(cues, "growth_down", text, start, end)
    )
    return growth > _last_cue(cues, "share", text, start, end)


def _direction(
    doc: Doc, ctx: DocContext, rec: TradeRecord, prov: dict[str, Evidence], fspan: tuple[int, int], e: int
) -> None:
    """Who ships to whom: "Chinese exports to Russia" reports China, partner Russia.

    After an export or import word, the place after "to"/"into"/"with" ("в"/"на") is where goods
    go and the place after "from" ("из") where they come from: for exports the destination is
    the partner and the origin the reporter ("exports from the Tomsk region to China"), for
    imports the other way round.  A demonym or a country's possessive right before the word is
    the reporter ("Chinese exports to Russia").
    """
    if rec.flow not in ("exports", "imports"):
        return
    fs, fe = fspan
    partner: Mention | None = None
    origin_reporter: Mention | None = None
    for p in ctx.places:
        if not (fe <= p.start < fe + 60 and p.value.country and p.value.kind in ("country", "region")):
            continue
        gap = doc.text[fe : p.start]
        m = _DIRECTED.search(gap)
        # "экспорт угля из Сахалинской области в КНР": the words are counted from the origin
        counted = doc.text[origin_reporter.end : p.start] if origin_reporter is not None else gap
        if not m or len(counted.split()) > 4:
            continue
        from_side = m.group(1).lower() in ("from", "из")
        # exports: from = reporter, to = partner; imports: from = partner, to = reporter
        if from_side == (rec.flow == "imports"):
            if partner is None:
                partner = p
        elif origin_reporter is None and partner is None:
            origin_reporter = p
        if partner is not None:
            break
    if partner is None:
        # "Russian imports of Chinese cars", "exports of Russian grain": goods of that country
        for x in ctx.demonyms:
            if fe <= x.start < fe + 40 and re.fullmatch(r"\s+of\s+(?:the\s+)?", doc.text[fe : x.start]):
                codes = demonym_codes(x)
                if len(codes) == 1:
                    partner = x if rec.flow == "imports" else None
                break
    if partner is None:
        return
    partner_country = (
        demonym_codes(partner)[0] if partner.label == "DEMONYM" else (partner.value.country or "")
    )
    reporter: Mention | None = None
    for x in ctx.demonyms + ctx.places:
        if fs - 30 <= x.start and x.end <= fs and len(doc.text[x.end : fs].split()) <= 1:
            codes = demonym_codes(x) if x.label == "DEMONYM" else [x.value.region or x.value.country]
            if len(codes) == 1 and codes[0] and _country(codes[0]) != partner_country:
                reporter = x
                rec.reporter = codes[0]
    if reporter is None and origin_reporter is not None:
        code = origin_reporter.value.region or origin_reporter.value.country
        if _country(code) != partner_country:
            reporter = origin_reporter
            rec.reporter = code
    if reporter is None and rec.flow == "exports" and partner.label != "DEMONYM":
        # "shipments of Russian goods to China": the goods' people between the word and the
        # destination is the exporter
        for x in ctx.demonyms:
            codes = demonym_codes(x)
            if fe <= x.start < partner.start and len(codes) == 1 and codes[0] != partner_country:
                reporter = x
                rec.reporter = codes[0]
                break
    swapped = rec.partner  # the carried-over pair, seen from the other side
    rec.partner = partner_country
    prov["partner"] = evidence(doc, partner.start, partner.end)
    if reporter is not None:
        prov["reporter"] = evidence(doc, reporter.start, reporter.end)
    elif rec.reporter and _country(rec.reporter) == partner_country:
        # "... while imports from Russia reached ...": the carried-over pair seen from China's side
        rec.reporter = swapped if swapped and _country(swapped) != partner_country else None
        prov.pop("reporter", None)


_DIRECTED = re.compile(r"\b(to|from|into|with|в|во|из|на)\s+(?:the\s+)?$", re.I)


def _complete_provenance(doc: Doc, ctx: DocContext, cues: FrameCues, rec: TradeRecord) -> None:
    """Give inferred values their evidence, or drop a value nothing in the text shows.

    Parties carried over from an earlier sentence point at their mention there; the default
    flow "turnover" points at the trade cue of the sentence (or the sentence itself).
    """
    at = rec.evidence.start if rec.evidence is not None else 0
    for name in ("reporter", "partner"):
        code = getattr(rec, name)
        if code and name not in rec.provenance:
            where = _mention_of(doc, ctx, code, at)
            if where is None:
                setattr(rec, name, None)
            else:
                rec.provenance[name] = evidence(doc, where.start, where.end)
    if rec.flow and "flow" not in rec.provenance and rec.evidence is not None:
        m = cues.trade.search_in("cue", doc.text, rec.evidence.start, rec.evidence.end)
        span = (
            (rec.evidence.start + m.start(), rec.evidence.start + m.end())
            if m
            else (rec.evidence.start, rec.evidence.end)
        )
        rec.provenance["flow"] = evidence(doc, *span)
    if rec.period and "period" not in rec.provenance:
        rec.period = None


def _mention_of(doc: Doc, ctx: DocContext, code: str, at: int) -> Mention | None:
    """The mention nearest before ``at`` (else after it) that names ``code`` (a country or region)."""
    found: list[Mention] = []
    for p in ctx.places:
        pv = p.value
        if (pv.region == code) if "-" in code else (pv.country == code and pv.kind == "country"):
            found.append(p)
    if "-" not in code:
        found += [d for d in ctx.demonyms if code in demonym_codes(d)]
    if not found:
        return None
    before = [m for m in found if m.start <= at]
    return max(before, key=lambda m: m.start) if before else min(found, key=lambda m: m.start)


def _story_countries(doc: Doc, ctx: DocContext, end: int) -> list[str]:
    """The countries the story names up to ``end`` ("Kazakh and Chinese companies", "Kazakhstan
    and China"), in the order first named; a wire dateline's city does not count."""
    found: list[tuple[int, str]] = []
    for p in ctx.places:
        if p.start < end and p.value.country and not dateline_place(doc, p):
            found.append((p.start, p.value.country))
    for d in ctx.demonyms:
        if d.start < end:
            found.extend((d.start, code) for code in demonym_codes(d))
    out: list[str] = []
    for _pos, code in sorted(found):
        if code not in out:
            out.append(code)
    return out


def _default_reporter(ctx: DocContext) -> str | None:
    if ctx.host_country and ctx.host_country in ctx.top_region:
        return ctx.top_region[ctx.host_country]
    return ctx.host_country


def _new_record(
    doc: Doc,
    ctx: DocContext,
    s: int,
    e: int,
    reporter: str | None,
    partner: str | None,
    periods: list[Mention],
    near: Mention,
    cues: FrameCues,
) -> TradeRecord:
    rec = TradeRecord(reporter=reporter, partner=partner)
    rec.flow, fspan = _flow(doc, cues, s, near.start)
    per = _nearest_period(periods, near)
    if per is not None:
        rec.period = per.value.iso
        rec.provenance["period"] = evidence(doc, per.start, per.end)
    if fspan:
        rec.provenance["flow"] = evidence(doc, *fspan)
        _direction(doc, ctx, rec, rec.provenance, fspan, e)
    rec.evidence = evidence(doc, s, e)
    return rec


def _flow(doc: Doc, cues: FrameCues, s: int, pos: int) -> tuple[str, tuple[int, int] | None]:
    """The flow cue nearest before the figure (exports/imports), else turnover."""
    best: tuple[int, str, tuple[int, int]] | None = None
    for flow in ("exports", "imports"):
        for m in cues.trade.finditer_in(flow, doc.text, s, pos):
            if best is None or m.start() > best[0]:
                best = (m.start(), flow, (s + m.start(), s + m.end()))
    if best is not None:
        return best[1], best[2]
    cue = cues.trade.search_in("cue", doc.text, s, pos + 1)
    if cue:
        return "turnover", (s + cue.start(), s + cue.end())
    return "turnover", None


def _nearest_period(periods: list[Mention], m: Mention) -> Mention | None:
    best: Mention | None = None
    best_d = 10**9
    for p in periods:
        d = m.start - p.end if p.end <= m.start else (p.start - m.end) * 2  # prefer the period stated before
        if d < best_d:
            best, best_d = p, d
    return best


def _nearest_record(records: list[TradeRecord], p: Mention) -> TradeRecord:
    def dist(r: TradeRecord) -> int:
        ev = r.provenance.get("value")
        if ev is None:
            return 10**9
        return min(abs(ev.start - p.end), abs(p.start - ev.end))

    return min(records, key=dist)


def _merge(records: list[TradeRecord]) -> list[TradeRecord]:
    """Records about the same (reporter, partner, flow, period) with no conflicting value are one."""
    out: list[TradeRecord] = []
    for r in records:
        twin = next(
            (
                o
                for o in out
                if (o.reporter, o.partner, o.flow, o.period) == (r.reporter, r.partner, r.flow, r.period)
                and (o.value is None or r.value is None)
                and not _share_only(o)
                and not _share_only(r)
            ),
            None,
        ) or next((o for o in out if _same_figure(o, r) or _same_growth(o, r)), None)
        if twin is None:
            out.append(r)
            continue
        if twin.value is None and twin.period is None and (r.value is not None or r.period is not None):
            out[out.index(twin)] = r  # the body's full statement stands for the headline's bare one
            twin, r = r, twin
        for f in ("period", "value", "currency", "change_pct", "share_pct"):
            if getattr(twin, f) is None and getattr(r, f) is not None:
                setattr(twin, f, getattr(r, f))
                if f in r.provenance:
                    twin.provenance[f] = r.provenance[f]
    return out


def _same_figure(a: TradeRecord, b: TradeRecord) -> bool:
    """The headline and the body state one figure ("5.1 billion" twice), one of them without its period."""
    return (
        a.value is not None
        and (a.value, a.currency, a.reporter, a.partner, a.flow)
        == (b.value, b.currency, b.reporter, b.partner, b.flow)
        and (a.period is None or b.period is None or a.period == b.period)
    )


def _same_growth(a: TradeRecord, b: TradeRecord) -> bool:
    """A headline's growth with no figure or period ("... с Китаем вырос на 27%") is the body's one."""
    bare = (a.value is None and a.period is None) or (b.value is None and b.period is None)
    return (
        bare
        and a.change_pct is not None
        and a.change_pct == b.change_pct
        and (a.reporter, a.partner, a.flow) == (b.reporter, b.partner, b.flow)
    )


def _share_only(r: TradeRecord) -> bool:
    """A share stated on its own ("accounted for 57% of the region's trade") is a figure of its own."""
    return r.share_pct is not None and r.value is None and r.change_pct is None
