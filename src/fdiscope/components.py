"""The default components and their order (checked by :class:`~fdiscope.pipeline.Pipeline`).

sentences -> dateline -> numbers & money -> dates -> places -> organisations -> frames
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Iterable

from .frames.context import build_context
from .frames.cues import reset_memo
from .frames.events import find_events
from .frames.projects import find_projects
from .frames.trade import find_trade
from .model import EventRecord, Mention, ProjectRecord, TradeRecord, drop_unbacked
from .normalise import dates as _dates
from .normalise import money as _money
from .normalise import numbers as _numbers
from .normalise import places as _places
from .normalise.orgs import find_orgs
from .pipeline import Component, Doc, parse_published
from .segment import split_sentences

__all__ = ["default_components"]

log = logging.getLogger(__name__)


def _sentences(doc: Doc) -> Doc:
    doc.sentences = split_sentences(doc.text, doc.lang)
    return doc


def _dateline(doc: Doc) -> Doc:
    """The article's own date stamp becomes the reference date when none was given."""
    # the positions where a date may start, found once for this step and the dates step
    doc.date_starts = _dates.trigger_starts(doc.text, doc.lang)
    m = _dates.find_published(doc.text, doc.lang, doc.date_starts)
    if m is None:
        return doc
    # the stamp is kept as a mention even when the date was given: it is the evidence for "today"
    doc.add([m.__class__(m.start, m.end, "DATELINE", m.value, m.text)])
    if doc.base_date is None:
        doc.base_date = parse_published(m.value.iso)
        doc.base_precision = "day"
        if not doc.document.published:
            doc.document.published = m.value.iso
    return doc


def _free(found: Iterable[Mention], taken: list[Mention]) -> list[Mention]:
    """The mentions of ``found`` that overlap none of ``taken``, in their order.

    A binary search instead of a test against every taken mention: with ``taken`` sorted by
    start, ``m`` overlaps one of them exactly when the largest end among those starting
    before ``m.end`` lies after ``m.start``.
    """
    if not taken:
        return list(found)
    taken = sorted(taken, key=lambda t: t.start)
    starts = [t.start for t in taken]
    reach: list[int] = []  # reach[i]: the largest end among taken[: i + 1]
    for t in taken:
        reach.append(max(t.end, reach[-1]) if reach else t.end)
    out = []
    for m in found:
        i = bisect_left(starts, m.end)
        if i == 0 or reach[i - 1] <= m.start:
            out.append(m)
    return out


def _figures(doc: Doc) -> Doc:
    text, lang = doc.text, doc.lang
    shared = _numbers.prepare(text, lang)  # the lower-cased text and number offsets, found once
    doc.add(_money.find_money(text, lang, shared))
    money = doc.of("MONEY")
    doc.add(_free(_numbers.find_percents(text, lang, shared), money))
    doc.add(_free(_numbers.find_multiples(text, lang, shared), money))
    doc.add(_free(_numbers.find_jobs(text, lang, shared), money))
    return doc


def _dates_step(doc: Doc) -> Doc:
    taken = doc.of("MONEY") + doc.of("PERCENT") + doc.of("DATELINE")
    found = _dates.find_dates(doc.text, doc.lang, doc.base_date, doc.date_starts)
    doc.add(_free(found, taken))
    return doc


def _places_step(doc: Doc) -> Doc:
    # a compound ("Sino-Russian") is one DEMONYM mention whose value is the pair of codes
    doc.add(
        m if m.label != "DEMONYM_PAIR" else m.__class__(m.start, m.end, "DEMONYM", tuple(m.value), m.text)
        for m in _places.find_places(doc.text, doc.lang)
    )
    return doc


def _orgs(doc: Doc) -> Doc:
    doc.add(find_orgs(doc.text, doc.lang, doc.sentences))
    return doc


def _frames(doc: Doc) -> Doc:
    reset_memo()  # cue answers are cached per document only, never across documents
    try:
        ctx = build_context(doc)
        doc.projects = find_projects(doc, ctx)
        doc.trade = find_trade(doc, ctx)
        doc.events = find_events(doc, ctx)
    finally:
        reset_memo()
    # every value must show its span: a value the frames could not back is dropped, loudly
    records: list[ProjectRecord | TradeRecord | EventRecord] = [*doc.projects, *doc.trade, *doc.events]
    for rec in records:
        dropped = drop_unbacked(rec)
        if dropped:
            log.warning("%s: dropped %s without evidence", doc.doc_id, ", ".join(dropped))
    return doc


def default_components(lang: str) -> list[Component]:
    """The component list for ``lang`` (language data is chosen inside each component)."""
    return [
        Component("sentences", _sentences, requires=("text",), sets=("sentences",)),
        Component("dateline", _dateline, requires=("text",), sets=("base_date",)),
        Component("figures", _figures, requires=("text",), sets=("MONEY", "PERCENT", "MULTIPLE", "JOBS")),
        Component("dates", _dates_step, requires=("base_date", "MONEY"), sets=("DATE", "PERIOD")),
        Component("places", _places_step, requires=("text",), sets=("PLACE", "DEMONYM")),
        Component("orgs", _orgs, requires=("sentences",), sets=("ORG",)),
        Component(
            "frames",
            _frames,
            requires=("sentences", "MONEY", "DATE", "PLACE", "ORG"),
            sets=("projects", "trade", "events"),
        ),
    ]
