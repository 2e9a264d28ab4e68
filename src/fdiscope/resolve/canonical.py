"""The canonical view of a project: one value per field, each linked to the claims behind it.

Rules (each value records which rule chose it):

- **status**: the most advanced status any claim states (announced < agreement < construction
  < operational; cancelled ranks above all so it is never hidden), dated by the earliest claim
  that states it.
- **location**: the most specific one stated (a named site, zone or park over a city over a
  region); at one level the fuller one (more words) wins, then the most often stated, then
  the latest.
- **amount**: the total stated by the latest claim; amounts of other claims that differ from
  it by more than 10 % (compared in USD at their own dates) are listed as conflicts.  The USD
  value uses the rate of the chosen claim's date (see :mod:`fdiscope.resolve.fx`).
- **jobs**: the latest stated, other values listed as conflicts.
- **investors**: the most often written name (Latin script wins a tie); all spellings kept.
- **host_country, host_region, sector, kind**: the value most claims state (ties: the latest);
  other values listed as conflicts.
- **description**: the earliest claim's (what the project was announced as).
- A human correction of a field replaces the value, keeps the machine value beside it, and
  links to the correction instead of claims.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import STATUS_ORDER
from .claims import Claim
from .fx import to_usd

__all__ = ["CanonicalValue", "canonical_fields", "FIELDS", "order_key"]

#: Fields of the canonical view, in display order.
FIELDS: tuple[str, ...] = (
    "name",
    "investors",
    "investor_countries",
    "host_country",
    "host_region",
    "location",
    "sector",
    "kind",
    "description",
    "status",
    "amount",
    "jobs",
)

_SITE = re.compile(
    r"\b(site|zone|sez|park|port|terminal|площадк\w*|зон\w*|оэз|парк\w*|порт\w*|терминал\w*|тор)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class CanonicalValue:
    """One field's value, the claims that state it, the rule that chose it and the dissent."""

    value: Any
    claims: list[str] = field(default_factory=list)
    rule: str = ""
    date: str | None = None
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    corrected_by: int | None = None
    machine_value: Any = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "claims": self.claims, "rule": self.rule}
        if self.date:
            out["date"] = self.date
        if self.conflicts:
            out["conflicts"] = self.conflicts
        if self.corrected_by is not None:
            out["corrected_by"] = self.corrected_by
            out["machine_value"] = self.machine_value
        return out


def order_key(c: Claim) -> tuple[str, int]:
    """Claims in time order (undated first), then by record id."""
    return (c.date or "", c.record_id)


def _vote(claims: Sequence[Claim], attr: str, rule: str) -> CanonicalValue:
    groups: dict[Any, list[Claim]] = {}
    for c in sorted(claims, key=order_key):
        v = getattr(c.record, attr)
        if v not in (None, "", []):
            groups.setdefault(v, []).append(c)
    if not groups:
        return CanonicalValue(None, rule=rule)
    best = max(groups, key=lambda v: (len(groups[v]), order_key(groups[v][-1])))
    return CanonicalValue(
        best,
        [c.ref for c in groups[best]],
        rule,
        conflicts=[{"value": v, "claims": [c.ref for c in cs]} for v, cs in groups.items() if v != best],
    )


def _specificity(c: Claim) -> int:
    loc = c.record.location
    if loc and _SITE.search(loc):
        return 3
    if loc:
        return 2
    return 1 if c.record.host_region else 0


def _location(claims: Sequence[Claim]) -> CanonicalValue:
    rule = "most specific location (site > city > region)"
    located = [c for c in claims if c.record.location]
    if not located:
        return CanonicalValue(None, rule=rule)
    counts = Counter(c.record.location for c in located)
    # Same level: the fuller description of the place (site and zone over site alone) wins.
    best = max(
        located,
        key=lambda c: (
            _specificity(c),
            len((c.record.location or "").split()),
            counts[c.record.location],
            order_key(c),
        ),
    )
    value = best.record.location
    return CanonicalValue(value, [c.ref for c in located if c.record.location == value], rule)


def _status(claims: Sequence[Claim]) -> CanonicalValue:
    rule = "most advanced status stated, dated by its earliest source"
    stated = [c for c in claims if c.record.status in STATUS_ORDER]
    if not stated:
        return CanonicalValue(None, rule=rule)
    top = max(STATUS_ORDER[c.record.status or ""] for c in stated)
    backing = sorted((c for c in stated if STATUS_ORDER[c.record.status or ""] == top), key=order_key)
    return CanonicalValue(backing[0].record.status, [c.ref for c in backing], rule, date=backing[0].date)


def _amount(claims: Sequence[Claim]) -> CanonicalValue:
    rule = "latest stated total; others differing by more than 10% are conflicts"
    with_amount = [c for c in claims if c.record.amount and c.record.amount.get("value") is not None]
    if not with_amount:
        return CanonicalValue(None, rule=rule)
    ordered = sorted(with_amount, key=order_key)
    latest = ordered[-1]
    amt = latest.record.amount or {}
    usd = latest.usd
    value: dict[str, Any] = {"value": amt.get("value"), "currency": amt.get("currency")}
    value["usd"] = usd.to_dict() if usd else None
    same: list[str] = []
    conflicts: dict[tuple[Any, Any], list[str]] = {}
    for c in ordered:
        a = c.record.amount or {}
        if _agrees(c, latest):
            same.append(c.ref)
        else:
            conflicts.setdefault((a.get("value"), a.get("currency")), []).append(c.ref)
    return CanonicalValue(
        value,
        same,
        rule,
        date=latest.date,
        conflicts=[
            {"value": {"value": v, "currency": cur}, "claims": refs} for (v, cur), refs in conflicts.items()
        ],
    )


def _agrees(a: Claim, b: Claim) -> bool:
    aa, bb = a.record.amount or {}, b.record.amount or {}
    if aa.get("currency") == bb.get("currency"):
        va, vb = float(aa.get("value") or 0), float(bb.get("value") or 0)
        return max(va, vb) == 0 or abs(va - vb) / max(va, vb) <= 0.10
    ua, ub = a.usd, b.usd
    if ua is None or ub is None or max(ua.usd, ub.usd) == 0:
        return False
    return abs(ua.usd - ub.usd) / max(ua.usd, ub.usd) <= 0.10


def _jobs(claims: Sequence[Claim]) -> CanonicalValue:
    rule = "latest stated"
    stated = sorted((c for c in claims if c.record.jobs), key=order_key)
    if not stated:
        return CanonicalValue(None, rule=rule)
    latest = stated[-1].record.jobs
    others: dict[int, list[str]] = {}
    for c in stated:
        if c.record.jobs != latest:
            others.setdefault(int(c.record.jobs or 0), []).append(c.ref)
    return CanonicalValue(
        latest,
        [c.ref for c in stated if c.record.jobs == latest],
        rule,
        date=stated[-1].date,
        conflicts=[{"value": v, "claims": refs} for v, refs in others.items()],
    )


def _investors(claims: Sequence[Claim]) -> tuple[CanonicalValue, CanonicalValue]:
    counts: Counter[str] = Counter()
    backing: dict[str, list[str]] = {}
    for c in sorted(claims, key=order_key):
        for name in c.record.investors:
            counts[name] += 1
            backing.setdefault(name, []).append(c.ref)
    if not counts:
        return CanonicalValue(None, rule="most often written name"), CanonicalValue([], rule="all spellings")
    best = max(counts, key=lambda n: (counts[n], n.isascii(), -len(n)))
    spellings = sorted(counts, key=lambda n: (-counts[n], n))
    refs = sorted({r for refs in backing.values() for r in refs})
    return (
        CanonicalValue(best, backing[best], "most often written name (Latin wins a tie)"),
        CanonicalValue(spellings, refs, "all spellings, most frequent first"),
    )


def _countries(claims: Sequence[Claim]) -> CanonicalValue:
    seen: list[str] = []
    refs: list[str] = []
    for c in sorted(claims, key=order_key):
        if c.record.investor_countries:
            refs.append(c.ref)
        for cc in c.record.investor_countries:
            if cc not in seen:
                seen.append(cc)
    return CanonicalValue(seen, refs, "every investor country stated")


def _description(claims: Sequence[Claim]) -> CanonicalValue:
    described = sorted((c for c in claims if c.record.description), key=order_key)
    if not described:
        return CanonicalValue(None, rule="earliest claim's description")
    return CanonicalValue(described[0].record.description, [described[0].ref], "earliest claim's description")


def canonical_fields(
    claims: Sequence[Claim], corrections: Sequence[dict[str, Any]] = ()
) -> dict[str, CanonicalValue]:
    """The canonical view of one project from its claims, then its human corrections in order.

    Args:
        claims: the project's current claims.
        corrections: active ``correct`` corrections as dicts with ``id``, ``field``, ``value``.
    """
    name, investors = _investors(claims)
    out: dict[str, CanonicalValue] = {
        "name": name,
        "investors": investors,
        "investor_countries": _countries(claims),
        "host_country": _vote(claims, "host_country", "most often stated"),
        "host_region": _vote(claims, "host_region", "most often stated"),
        "location": _location(claims),
        "sector": _vote(claims, "sector", "most often stated"),
        "kind": _vote(claims, "kind", "most often stated"),
        "description": _description(claims),
        "status": _status(claims),
        "amount": _amount(claims),
        "jobs": _jobs(claims),
    }
    for corr in corrections:
        fld = corr["field"]
        machine = out.get(fld, CanonicalValue(None))
        value: Any = corr["value"]
        date = machine.date if fld == "status" else None
        if fld == "amount" and isinstance(value, dict):
            usd = to_usd(value.get("value"), value.get("currency"), value.get("date") or machine.date)
            value = {**value, "usd": usd.to_dict() if usd else None}
        if fld == "status" and isinstance(value, dict):
            value, date = value.get("value"), value.get("date") or date
        out[fld] = CanonicalValue(
            value,
            [f"correction:{corr['id']}"],
            f"human correction #{corr['id']}",
            date=date,
            corrected_by=int(corr["id"]),
            machine_value=machine.value,
        )
    return out
