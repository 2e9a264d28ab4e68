"""Amounts in US dollars at the rate of their own date.

Rates come from ``data/fx/usd_rates.tsv`` (units of a currency per USD, monthly where known,
else the annual average; the file header names the source series).  A conversion keeps the
original value and currency, the rate used and the period the rate is for, so a reader can
check it.  Dates outside the table give None: an amount is never converted at a guessed rate.

>>> to_usd(1_000_000_000, "RUB", "2023-06-15").rate_period
'2023-06'
>>> round(to_usd(200, "CNY", "2015").usd, 2)
32.12
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["Rate", "UsdAmount", "rate_for", "to_usd", "rates_table", "CURRENCY_ALIASES"]

#: Codes read as another code and a factor (old Belarusian roubles are 1/10,000 of a BYN).
CURRENCY_ALIASES: dict[str, tuple[str, float]] = {"BYR": ("BYN", 1e-4), "RUR": ("RUB", 1.0)}

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?")


@dataclass(frozen=True, slots=True)
class Rate:
    """Units of ``currency`` for one USD over ``period`` ("YYYY" or "YYYY-MM")."""

    currency: str
    period: str
    per_usd: float
    quality: str


@dataclass(frozen=True, slots=True)
class UsdAmount:
    """An amount converted to USD, with everything needed to check the conversion."""

    usd: float
    value: float
    currency: str
    rate: float  # units of currency per USD
    rate_period: str
    date: str  # the date the rate was chosen for

    def to_dict(self) -> dict[str, Any]:
        return {
            "usd": round(self.usd, 2),
            "value": self.value,
            "currency": self.currency,
            "rate_per_usd": self.rate,
            "rate_period": self.rate_period,
            "date": self.date,
        }


@lru_cache(maxsize=1)
def rates_table() -> dict[tuple[str, str], Rate]:
    """All rates of the shipped table, by (currency, period)."""
    path = resources.files("fdiscope") / "data" / "fx" / "usd_rates.tsv"
    out: dict[tuple[str, str], Rate] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            cur, period, per_usd, quality = line.rstrip("\n").split("\t")
            out[(cur, period)] = Rate(cur, period, float(per_usd), quality)
    return out


def rate_for(currency: str, date: str) -> Rate | None:
    """The rate for a date: the month's average if the table has it, else the year's; else None.

    >>> rate_for("RUB", "2024-03-01").per_usd
    92.0
    >>> rate_for("RUB", "1990") is None
    True
    """
    m = _DATE.match(date or "")
    if not m:
        return None
    table = rates_table()
    cur = currency.upper()
    if m.group(2):
        hit = table.get((cur, f"{m.group(1)}-{m.group(2)}"))
        if hit:
            return hit
    return table.get((cur, m.group(1)))


def to_usd(value: float | None, currency: str | None, date: str | None) -> UsdAmount | None:
    """Convert ``value`` in ``currency`` to USD at the rate of ``date`` (ISO, possibly partial).

    Returns None when value, currency or date is missing, or the table has no rate for them.

    >>> round(to_usd(15_000_000_000, "RUB", "2023-04-19").usd)
    185414091
    """
    if value is None or not currency or not date:
        return None
    cur, factor = CURRENCY_ALIASES.get(currency.upper(), (currency.upper(), 1.0))
    rate = rate_for(cur, date)
    if rate is None or rate.per_usd <= 0:
        return None
    return UsdAmount(
        usd=float(value) * factor / rate.per_usd,
        value=float(value),
        currency=currency.upper(),
        rate=rate.per_usd / factor,
        rate_period=rate.period,
        date=date,
    )
