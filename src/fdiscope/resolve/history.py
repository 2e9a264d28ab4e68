"""A project's status history: dated transitions, each with the sentence that states it.

Claims are read in date order; a claim whose status is further along than any before it is a
transition (a later article that still says "announced" is not a step back: it is counted as
a mention).  ``cancelled`` is always a transition.  A project is *stale* when its last status
is neither operational nor cancelled and no claim about it is newer than ``stale_years``
before the "as of" date (by default the newest document in the store, never the clock).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import STATUS_ORDER
from .canonical import order_key
from .claims import Claim

__all__ = ["Transition", "History", "status_history", "years_between"]

_FINAL = {"operational", "cancelled"}


@dataclass(frozen=True, slots=True)
class Transition:
    """The first report of a status further along than the ones before."""

    status: str
    previous: str | None
    date: str | None
    claim: str
    doc_id: str
    quote: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "from": self.previous,
            "date": self.date,
            "claim": self.claim,
            "doc_id": self.doc_id,
            "evidence": self.quote,
        }


@dataclass(frozen=True, slots=True)
class History:
    transitions: list[Transition]
    last_news: str | None
    stale: bool
    stale_years: float
    as_of: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "transitions": [t.to_dict() for t in self.transitions],
            "last_news": self.last_news,
            "stale": self.stale,
            "stale_years": self.stale_years,
            "as_of": self.as_of,
        }


def _as_date(iso: str) -> _dt.date:
    parts = [int(p) for p in re.findall(r"\d+", iso)[:3]]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 7 if len(parts) == 1 else 1
    day = parts[2] if len(parts) > 2 else 1
    return _dt.date(year, month, day)


def years_between(a: str, b: str) -> float:
    """Years from ISO date ``a`` to ``b`` (partial dates: mid-year, first of month).

    >>> round(years_between("2019-07-04", "2021-07-04"), 2)
    2.0
    """
    return (_as_date(b) - _as_date(a)).days / 365.25


def _quote(c: Claim) -> str | None:
    ev = c.record.provenance.get("status") or c.record.evidence
    return ev.quote if ev else None


def status_history(claims: Sequence[Claim], as_of: str, stale_years: float = 2.0) -> History:
    """Transitions in date order, the date of the last news, and the stale flag."""
    transitions: list[Transition] = []
    current: str | None = None
    for c in sorted(claims, key=order_key):
        st = c.record.status
        if st not in STATUS_ORDER:
            continue
        ahead = current is None or STATUS_ORDER[st or ""] > STATUS_ORDER[current]
        if st == "cancelled" and current != "cancelled":
            ahead = True
        if ahead:
            transitions.append(Transition(st or "", current, c.date, c.ref, c.doc_id, _quote(c)))
            current = st
    dates = [c.date for c in claims if c.date]
    last = max(dates) if dates else None
    stale = bool(current not in _FINAL and last is not None and years_between(last, as_of) > stale_years)
    return History(transitions, last, stale, stale_years, as_of)
