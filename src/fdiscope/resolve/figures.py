"""Trade figures across documents: one figure per reporter, partner, flow and period.

The same trade figure is reported by many articles (the customs office, the regional
government, the news agencies that copy them), rounded differently, sometimes revised, sometimes
wrong.  A *figure* gathers every trade record with the same reporter, partner, flow and period;
each of its values (value with currency, change %, share %) is chosen from the claims:

* two values **agree** when they are equal at the precision of the coarser one (1.2 billion and
  1.23 billion agree; 1.2 and 1.3 billion do not), so rounding is no conflict;
* the value backed by the most independent sources wins (copies of one article, linked as
  near-duplicates at ingest, count once); on a tie, the one reported last (later reports
  revise earlier ones); within agreeing values the most precise one is shown;
* every other value is a **conflict**, listed with the records that state it.

Nothing is stored: figures are computed from the trade records on each query, so they follow
every ingest and re-extraction.  Records without a reporter or a period are no figure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FigureClaim", "TradeFigure", "agree", "optional_column", "resolve_figures"]

#: the figure's values chosen across claims (each with its own agreement)
FIGURE_FIELDS = ("value", "change_pct", "share_pct")


@dataclass(frozen=True, slots=True)
class FigureClaim:
    """One trade record as a claim about a figure."""

    record: str  # "trade:12"
    doc_id: str
    published: str | None
    source: str  # the original document of a near-duplicate copy, else the document itself
    value: float | None = None
    currency: str | None = None
    change_pct: float | None = None
    share_pct: float | None = None
    #: the fields a person corrected (the record's own value was misread)
    corrected: tuple[str, ...] = ()

    def get(self, name: str) -> Any:
        if name == "value":
            return None if self.value is None else (self.value, self.currency)
        return getattr(self, name)


@dataclass(slots=True)
class TradeFigure:
    """A trade figure with its chosen values, every claim and the values that disagree."""

    reporter: str
    partner: str | None
    flow: str | None
    period: str
    values: dict[str, Any] = field(default_factory=dict)
    claims: list[FigureClaim] = field(default_factory=list)
    #: per field, the values that lost: [{"value": ..., "claims": ["trade:3", ...]}]
    conflicts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: per field, the records backing the chosen value
    backed_by: dict[str, list[str]] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str | None, str | None, str]:
        return (self.reporter, self.partner, self.flow, self.period)

    def to_dict(self) -> dict[str, Any]:
        value = self.values.get("value")
        return {
            "reporter": self.reporter,
            "partner": self.partner,
            "flow": self.flow,
            "period": self.period,
            "value": value[0] if value else None,
            "currency": value[1] if value else None,
            "change_pct": self.values.get("change_pct"),
            "share_pct": self.values.get("share_pct"),
            "documents": len({c.doc_id for c in self.claims}),
            "sources": len({c.source for c in self.claims}),
            "claims": [c.record for c in self.claims],
            "corrected": {c.record: list(c.corrected) for c in self.claims if c.corrected},
            "backed_by": self.backed_by,
            "conflicts": [
                {"field": name, "value": _shown(name, alt["value"]), "claims": alt["claims"]}
                for name, alts in self.conflicts.items()
                for alt in alts
            ],
        }


def _shown(name: str, value: Any) -> Any:
    return {"value": value[0], "currency": value[1]} if name == "value" else value


def _digits(x: float) -> int:
    """Significant digits ``x`` was stated with (1.2e9 -> 2, 105.8 -> 4, 0.5 -> 1)."""
    if x == 0 or not math.isfinite(x):
        return 1
    text = f"{abs(x):.10g}".replace(".", "").lstrip("0")
    if "e" in text:
        text = text.split("e", 1)[0]
    return max(1, len(text.rstrip("0")))


#: stated figures further apart than this share are different, however coarse one of them is
#: ("1 billion" and "1.4 billion" are not one figure rounded twice)
MAX_ROUNDING = 0.05


def agree(a: float, b: float) -> bool:
    """Whether two stated numbers are one figure rounded differently: at most half a unit of the
    coarser one's last stated digit apart, and within :data:`MAX_ROUNDING` of each other.

    >>> agree(1.2e9, 1.23e9), agree(1.2e9, 1.3e9), agree(105.8, 106), agree(12.5, 12), agree(1e9, 1.4e9)
    (True, False, True, True, False)
    """
    if a == b:
        return True
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    diff = abs(a - b)
    if diff > MAX_ROUNDING * max(abs(a), abs(b)):
        return False
    coarse = a if _digits(a) <= _digits(b) else b
    if coarse == 0:
        return False
    unit = 10.0 ** (math.floor(math.log10(abs(coarse))) - _digits(coarse) + 1)
    return diff <= unit / 2 * (1 + 1e-9)


def _same(name: str, a: Any, b: Any) -> bool:
    if name == "value":
        return bool(a[1] == b[1] and agree(a[0], b[0]))
    return agree(float(a), float(b))


def _precision(name: str, v: Any) -> int:
    return _digits(v[0] if name == "value" else float(v))


def _choose(fig: TradeFigure, name: str) -> None:
    """Pick ``name``'s value for ``fig`` from its claims (see the module's doc)."""
    groups: list[tuple[Any, list[FigureClaim]]] = []  # (representative value, claims)
    for claim in fig.claims:
        v = claim.get(name)
        if v is None:
            continue
        for i, (rep, members) in enumerate(groups):
            if _same(name, rep, v):
                members.append(claim)
                if _precision(name, v) > _precision(name, rep):
                    groups[i] = (v, members)
                break
        else:
            groups.append((v, [claim]))
    if not groups:
        return

    def weight(group: tuple[Any, list[FigureClaim]]) -> tuple[int, str]:
        members = group[1]
        return (len({c.source for c in members}), max(c.published or "" for c in members))

    groups.sort(key=weight, reverse=True)
    best, backing = groups[0]
    fig.values[name] = best
    fig.backed_by[name] = [c.record for c in backing]
    if len(groups) > 1:
        fig.conflicts[name] = [{"value": v, "claims": [c.record for c in m]} for v, m in groups[1:]]


def resolve_figures(rows: Iterable[dict[str, Any] | Any]) -> list[TradeFigure]:
    """Trade records (rows with ``id, doc_id, published, duplicate_of, reporter, partner, flow,
    period, value, currency, change_pct, share_pct``, optionally ``corrected``: the fields a
    person corrected) as figures, in the order first met."""
    figures: dict[tuple[Any, ...], TradeFigure] = {}
    for r in rows:
        if not r["reporter"] or not r["period"]:
            continue
        key = (r["reporter"], r["partner"], r["flow"], r["period"])
        fig = figures.get(key)
        if fig is None:
            fig = figures[key] = TradeFigure(*key)
        fig.claims.append(
            FigureClaim(
                record=f"trade:{r['id']}",
                doc_id=r["doc_id"],
                published=r["published"],
                source=r["duplicate_of"] or r["doc_id"],
                value=r["value"],
                currency=r["currency"],
                change_pct=r["change_pct"],
                share_pct=r["share_pct"],
                corrected=tuple(optional_column(r, "corrected") or ()),
            )
        )
    for fig in figures.values():
        for name in FIGURE_FIELDS:
            _choose(fig, name)
    return list(figures.values())


def optional_column(row: Any, name: str) -> Any:
    """``row[name]``, or None when the row has no such column (a plain database row)."""
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


def conflicting(figures: Sequence[TradeFigure]) -> list[TradeFigure]:
    """The figures whose sources disagree on some value."""
    return [f for f in figures if f.conflicts]
