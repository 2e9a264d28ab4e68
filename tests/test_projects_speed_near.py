"""The position index of :func:`_country_near` answers the lists the full walks built, in their order.

Random mentions with many ties of starts and ends (the orders' tie-breaker is the list order:
demonyms, then places) and random investor spans; each look-up of ``_NearIndex`` is compared with
the walk it replaced.
"""

from __future__ import annotations

import random

from fdiscope.frames.context import DocContext
from fdiscope.frames.projects import _NearIndex
from fdiscope.model import Mention


def _mentions(rng: random.Random, label: str, n: int) -> list[Mention]:
    out = []
    for _ in range(n):
        start = rng.randrange(0, 60)
        out.append(Mention(start, start + rng.randrange(0, 8), label, f"{label}{len(out)}"))
    if rng.random() < 0.5:
        out.sort(key=lambda m: m.start)  # usually in text order, sometimes not
    return out


def _ctx(demonyms: list[Mention], places: list[Mention]) -> DocContext:
    return DocContext([], places, demonyms, {}, {}, None, {}, None)


def test_near_index_matches_the_walks() -> None:
    rng = random.Random(7)
    for _ in range(400):
        demonyms = _mentions(rng, "DEMONYM", rng.randrange(0, 8))
        places = _mentions(rng, "PLACE", rng.randrange(0, 12))
        ctx = _ctx(demonyms, places)
        near = _NearIndex(ctx)
        both = demonyms + places
        for _ in range(20):
            ms = rng.randrange(0, 60)
            me = ms + rng.randrange(1, 10)
            s = rng.randrange(0, ms + 1)
            limit = me + rng.randrange(0, 30)
            # the walks of _country_near before the index (identity of the mentions, not equality)
            lead = [x for x in both if x.start == ms and x.end < me]
            assert [id(x) for x in near.starting_at(ms, me)] == [id(x) for x in lead]
            ending = [x for x in places if x.end == me and x.start > ms]
            assert [id(x) for x in near.places_ending_at(me, ms)] == [id(x) for x in ending]
            window = [x for x in both if s <= x.start and x.end <= ms and ms - x.end <= 45]
            assert [id(x) for x in near.ending_between(s, ms - 45, ms)] == [
                id(x) for x in sorted(window, key=lambda x: -x.end)
            ]
            cands = [x for x in both if me <= x.start and x.end <= limit]
            assert [id(x) for x in near.within(me, limit)] == [
                id(x) for x in sorted(cands, key=lambda x: x.start)
            ]
