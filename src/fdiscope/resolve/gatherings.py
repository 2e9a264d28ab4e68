"""Events across documents: the forum, visit or signing many articles report, as one event.

A forum is reported before it opens, on each of its days and after it closes, in English and
in Russian, under names that differ ("SPIEF", "St. Petersburg International Economic Forum",
«ПМЭФ»).  Two event records are taken for the same event only when everything they state fits:

* the same kind;
* the same city, compared by place (the gazetteer maps "Сочи" and "Sochi" to one place);
* dates that fit: days at most :data:`DAYS_APART` apart for the kind (a forum's days, a visit's
  days; one day for meetings and signings), or a day inside the month the other states;
* names that share words when both are written in the same script (names in two scripts
  cannot be compared, so place, kind and date decide).

Records without a city or a date (more than a year) are events of their own.  Every record is
kept as a claim; the event's date is the first day its claims state, its name the one most of
them use.  Nothing is stored: events are gathered from the event records on each query.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .figures import optional_column

__all__ = ["DAYS_APART", "EventClaim", "GatheredEvent", "gather_events"]

#: days two reports of one event may be apart, by kind (multi-day events span several)
DAYS_APART = {"forum": 4, "exhibition": 4, "visit": 3, "meeting": 0, "signing": 0, "other": 0}

_WORD = re.compile(r"\w+", re.UNICODE)
#: words of event names that say nothing about which event it is
_GENERIC = frozenset(
    "the of and in on for a an at to forum international economic business meeting visit "
    "signing ceremony exhibition expo summit conference session annual russian russia chinese china "
    "и в на по для с о форум международный международного экономический экономического встреча "
    "визит выставка саммит конференция сессия российско китайский китайского российского".split()
)


@dataclass(frozen=True, slots=True)
class EventClaim:
    """One event record as a claim about an event."""

    record: str  # "event:12"
    doc_id: str
    published: str | None
    source: str  # the original of a near-duplicate copy, else the document itself
    name: str | None
    kind: str | None
    date: str | None
    city: str | None
    country: str | None
    place: str | None = None  # the city as a gazetteer place ("Saint Petersburg"), else as written
    #: the fields a person corrected (the record's own value was misread)
    corrected: tuple[str, ...] = ()


@dataclass(slots=True)
class GatheredEvent:
    """An event with every record that reports it."""

    claims: list[EventClaim] = field(default_factory=list)

    def _most(self, name: str) -> Any:
        values = Counter(getattr(c, name) for c in self.claims if getattr(c, name))
        if not values:
            return None
        return max(values.items(), key=lambda kv: (kv[1], len(str(kv[0]))))[0]

    @property
    def date(self) -> str | None:
        days = sorted(c.date for c in self.claims if c.date and len(c.date) == 10)
        if days:
            return days[0]
        dates = sorted((c.date for c in self.claims if c.date), key=lambda d: (-len(d), d))
        return dates[0] if dates else None

    def to_dict(self) -> dict[str, Any]:
        names = list(dict.fromkeys(c.name for c in self.claims if c.name))
        return {
            "name": self._most("name"),
            "kind": self._most("kind"),
            "date": self.date,
            "city": self._most("place") or self._most("city"),
            "country": self._most("country"),
            "names": names,
            "documents": len({c.doc_id for c in self.claims}),
            "sources": len({c.source for c in self.claims}),
            "claims": [c.record for c in self.claims],
            "corrected": {c.record: list(c.corrected) for c in self.claims if c.corrected},
        }


def _day(date: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(date) if len(date) == 10 else None
    except ValueError:
        return None


def _dates_fit(a: str, b: str, days: int) -> bool:
    da, db = _day(a), _day(b)
    if da is not None and db is not None:
        return abs((da - db).days) <= days
    if len(a) >= 7 and len(b) >= 7:  # a month and a day in it, or the same month
        return a[:7] == b[:7]
    return False


def _script(text: str) -> str:
    return "cyrillic" if re.search(r"[а-яё]", text, re.IGNORECASE) else "latin"


def _words(name: str) -> set[str]:
    return {w for w in (x.lower() for x in _WORD.findall(name)) if w not in _GENERIC and not w.isdigit()}


def _names_fit(a: str | None, b: str | None) -> bool:
    if not a or not b or _script(a) != _script(b):
        return True
    wa, wb = _words(a), _words(b)
    if not wa or not wb:  # a generic name ("the forum") says nothing against the other
        return True
    return bool(wa & wb)


def _fits(a: EventClaim, b: EventClaim) -> bool:
    if a.kind != b.kind or not a.place or a.place != b.place or not a.date or not b.date:
        return False
    return _dates_fit(a.date, b.date, DAYS_APART.get(a.kind or "other", 0)) and _names_fit(a.name, b.name)


def gather_events(
    rows: Iterable[dict[str, Any] | Any], place_of: Callable[[str, str | None], str | None] | None = None
) -> list[GatheredEvent]:
    """Event records (rows with ``id, doc_id, published, duplicate_of, language, name, kind,
    date, city, country``, optionally ``corrected``: the fields a person corrected) gathered
    into events, in the order first met.

    A record joins an event when it fits every record the event has (see the module's doc).
    ``place_of(city, language)`` names the place a city is (default: the gazetteer).
    """
    if place_of is None:
        place_of = _gazetteer_place
    events: list[GatheredEvent] = []
    by_key: dict[tuple[Any, ...], list[GatheredEvent]] = {}
    for r in rows:
        city = r["city"]
        claim = EventClaim(
            record=f"event:{r['id']}",
            doc_id=r["doc_id"],
            published=r["published"],
            source=r["duplicate_of"] or r["doc_id"],
            name=r["name"],
            kind=r["kind"],
            date=r["date"],
            city=city,
            country=r["country"],
            place=(place_of(city, r["language"]) or city) if city else None,
            corrected=tuple(optional_column(r, "corrected") or ()),
        )
        key = (claim.kind, claim.place, (claim.date or "")[:4])
        home = None
        if claim.place and claim.date:
            for event in by_key.get(key, ()):
                if all(_fits(claim, other) for other in event.claims):
                    home = event
                    break
        if home is None:
            home = GatheredEvent()
            events.append(home)
            by_key.setdefault(key, []).append(home)
        home.claims.append(claim)
    return events


@functools.lru_cache(maxsize=4096)
def _gazetteer_place(city: str, language: str | None) -> str | None:
    from ..normalise.places import lookup

    place = lookup(city, language or "en")
    return place.name if place is not None else None
