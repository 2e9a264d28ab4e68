"""Pair scores: how likely two claims are about one project, and what forbids it.

:func:`conflict` names a hard reason two claims can never be one project (different host
region or country, different stated phase, different objects — a refrigerator plant is not a
washing-machine plant — or clearly different investors).  :func:`score` adds evidence for
identity: investor-name similarity after transliteration, same region, same object, location
overlap, amount ratio, sector, jobs; a pair links when the score reaches the threshold.  A claim
that names no investor can still link when region, object and town or site all agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .claims import Claim, covers
from .names import name_similarity, romanise, tokens

__all__ = ["Settings", "PairScore", "conflict", "score", "names_similarity"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolution knobs, with the defaults used by ``fdiscope resolve``."""

    #: a pair links at or above this score
    threshold: float = 0.6
    #: investor names at or above this similarity are the same investor
    name_threshold: float = 0.85
    #: investor names below this similarity are different investors (a hard conflict)
    name_conflict: float = 0.7
    #: claims further apart in time are never compared
    window_years: float = 15.0
    #: a project with no news this many years after its last status is "stale"
    stale_years: float = 2.0
    #: amounts within this ratio agree
    amount_ratio: float = 1.3


@dataclass(slots=True)
class PairScore:
    score: float
    reasons: dict[str, float] = field(default_factory=dict)


def names_similarity(a: Claim, b: Claim) -> float | None:
    """Best similarity of any investor of ``a`` with any of ``b``; None when one names none."""
    best: float | None = None
    for na in a.record.investors:
        for nb in b.record.investors:
            s = name_similarity(na, nb)
            if s is not None and (best is None or s > best):
                best = s
    return best


def _objects_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool | None:
    """None when either names no object; else whether their main objects can be one project."""
    if not a or not b:
        return None
    pa, pb = a[0], b[0]
    if pa == pb:
        return True
    cov = covers()
    if pb in cov.get(pa, set()) or pa in cov.get(pb, set()):
        return True
    return False


def _location_tokens(c: Claim) -> set[str]:
    loc = c.record.location or ""
    return c.cached("location", lambda: {romanise(t)[:5] for t in tokens(loc) if len(t) > 3})  # type: ignore[no-any-return]


def conflict(a: Claim, b: Claim, settings: Settings) -> str | None:
    """Why ``a`` and ``b`` cannot be one project, or None."""
    ra, rb = a.record, b.record
    if ra.host_country and rb.host_country and ra.host_country != rb.host_country:
        return "host country"
    if ra.host_region and rb.host_region and ra.host_region != rb.host_region:
        return "host region"
    if a.phase != b.phase:
        return "phase"
    if _objects_compatible(a.objects, b.objects) is False:
        return "object"
    ns = names_similarity(a, b)
    if ns is not None and ns < settings.name_conflict:
        return "investor"
    return None


def score(a: Claim, b: Claim, settings: Settings) -> PairScore:
    """Evidence that ``a`` and ``b`` are one project (0 when they conflict)."""
    out = PairScore(0.0)
    why = conflict(a, b, settings)
    if why:
        out.reasons["conflict:" + why] = 0.0
        return out
    r = out.reasons
    ra, rb = a.record, b.record
    ns = names_similarity(a, b)
    if ns is not None and ns >= settings.name_threshold:
        r["investor"] = 0.5 * ns
    if ra.host_region and ra.host_region == rb.host_region:
        r["region"] = 0.15
    obj = _objects_compatible(a.objects, b.objects)
    if obj:
        r["object"] = 0.2 if a.objects[0] == b.objects[0] else 0.1
    la, lb = _location_tokens(a), _location_tokens(b)
    if (
        la
        and lb
        and (
            len(la & lb) / len(la | lb) >= 0.3
            or fuzz.token_set_ratio(" ".join(sorted(la)), " ".join(sorted(lb))) >= 90
        )
    ):
        r["location"] = 0.1
    ua, ub = a.usd, b.usd
    if ua and ub and ua.usd > 0 and ub.usd > 0:
        ratio = max(ua.usd, ub.usd) / min(ua.usd, ub.usd)
        if ratio <= settings.amount_ratio:
            r["amount"] = 0.1
        elif ratio > 3:
            r["amount"] = -0.1
    if ra.sector and rb.sector:
        r["sector"] = 0.05 if ra.sector == rb.sector else -0.05
    if ns is None and "region" in r and r.get("object") == 0.2 and "location" in r:
        # A claim naming no investor ("a Chinese company") is placed by what and where:
        # same region, same object and same town or site.
        r["place_and_object"] = 0.15
    if ra.jobs and rb.jobs and ra.jobs == rb.jobs:
        r["jobs"] = 0.05
    ya, yb = a.year, b.year
    if ya is not None and yb is not None and abs(ya - yb) > 8:
        r["time"] = -0.1
    out.score = round(sum(r.values()), 4)
    return out
