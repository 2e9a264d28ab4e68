"""Paged, sorted and aggregated reads over stored records (what the HTTP API and dashboard need).

:class:`BrowseQuery` validates every filter up front (a bad value raises :class:`QueryError`
naming the parameter and what is accepted) and :func:`browse_where` turns it into a ``WHERE``
clause with bound parameters only.  Codes and vocabulary values are normalised on the Python
side (upper-case codes, lower-case sectors), so the SQL compares plain columns and the
indexes of migration ``0004_browse_indexes`` apply; the SQL is portable (no SQLite-only
functions except ``json_each`` for list columns, and FTS5 for ``q``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from ..model import EVENT_KINDS, KINDS, SECTORS, STATUSES, TRADE_FLOWS
from .queries import RECORD_TYPES, QueryError, fts_query

if TYPE_CHECKING:
    from .sqlite import Store, StoredRecord

__all__ = [
    "BrowseQuery",
    "Page",
    "SORTS",
    "browse_where",
    "browse",
    "count_records",
    "iter_records",
    "project_stats",
    "trade_series",
    "facet_values",
]

_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]|H[12]|Q[1-4]))?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_REGION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")

#: record type -> sort key -> SQL expression (fixed strings; the key is validated first)
SORTS: dict[str, dict[str, str]] = {
    "project": {
        "id": "r.id",
        "amount": "r.amount_value",
        "jobs": "r.jobs",
        "published": "d.published",
        "region": "r.host_region",
    },
    "trade": {"id": "r.id", "period": "r.period", "value": "r.value", "reporter": "r.reporter"},
    "event": {"id": "r.id", "date": "r.date", "published": "d.published"},
}

_VOCAB: dict[str, tuple[str, ...]] = {
    "sector": SECTORS,
    "status": STATUSES,
    "flow": TRADE_FLOWS,
}

# Which filters each record type has (everything else must stay None).
_APPLIES: dict[str, set[str]] = {
    "project": {
        "country", "investor_country", "region", "sector", "kind", "status",
        "amount_min", "amount_max", "currency", "date_from", "date_to", "q",
    },
    "trade": {"country", "region", "partner", "flow", "period_from", "period_to", "currency", "q"},
    "event": {"country", "kind", "date_from", "date_to", "q"},
}  # fmt: skip


def _norm_list(name: str, value: str | None) -> tuple[str, ...] | None:
    if value is None or not value.strip():
        return None
    parts = tuple(p.strip() for p in value.split(",") if p.strip())
    if not parts:
        raise QueryError(f"{name}={value!r} has no value; give one or several, comma-separated")
    return parts


@dataclass(frozen=True, slots=True)
class BrowseQuery:
    """Filters, sort and page for one record type; every value is checked on construction.

    Multi-valued filters (country, investor_country, region, sector, kind, status, flow) take a
    comma-separated list and match any of its values.  ``date_from``/``date_to`` compare the
    document's publication date for projects, the event date for events (inclusive; partial
    dates such as ``2024`` or ``2024-05`` are accepted).  ``sort`` is a key of :data:`SORTS`,
    ``-`` in front for descending.
    """

    record_type: str = "project"
    country: str | None = None
    investor_country: str | None = None
    region: str | None = None
    partner: str | None = None
    sector: str | None = None
    kind: str | None = None
    status: str | None = None
    flow: str | None = None
    amount_min: float | None = None
    amount_max: float | None = None
    currency: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    period_from: str | None = None
    period_to: str | None = None
    q: str | None = None
    sort: str = "-id"
    offset: int = 0
    limit: int = 50

    def __post_init__(self) -> None:
        rt = self.record_type
        if rt not in RECORD_TYPES:
            raise QueryError(f"unknown record type {rt!r}; use one of {sorted(RECORD_TYPES)}")
        allowed = _APPLIES[rt]
        for f in fields(self):
            name = f.name
            if name in {"record_type", "sort", "offset", "limit"} or getattr(self, name) is None:
                continue
            if name not in allowed:
                raise QueryError(
                    f"{name} does not apply to {rt} records; they can be filtered by "
                    f"{', '.join(sorted(allowed))}"
                )
        self._check_codes("country", _COUNTRY, "an ISO 3166-1 alpha-2 code such as CN")
        self._check_codes("investor_country", _COUNTRY, "an ISO 3166-1 alpha-2 code such as CN")
        self._check_codes("partner", _COUNTRY, "an ISO 3166-1 alpha-2 code such as CN")
        region_pat = _REGION if rt == "project" else re.compile(f"{_COUNTRY.pattern}|{_REGION.pattern}")
        self._check_codes("region", region_pat, "an ISO 3166-2 code such as RU-KLU")
        kinds = EVENT_KINDS if rt == "event" else KINDS
        for name, vocab in (*_VOCAB.items(), ("kind", kinds)):
            vals = _norm_list(name, getattr(self, name))
            if vals is None:
                continue
            low = tuple(v.lower() for v in vals)
            bad = [v for v in low if v not in vocab]
            if bad:
                raise QueryError(f"{name}={bad[0]!r} is not known; use one of {', '.join(vocab)}")
            object.__setattr__(self, name, ",".join(low))
        if self.currency is not None:
            cur = self.currency.strip().upper()
            if not re.fullmatch(r"[A-Z]{3}", cur):
                raise QueryError(f"currency={self.currency!r} is not an ISO 4217 code such as USD or RUB")
            object.__setattr__(self, "currency", cur)
        for name in ("date_from", "date_to"):
            val = getattr(self, name)
            if val is not None and not _DATE.match(val):
                raise QueryError(f"{name}={val!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
        for name in ("period_from", "period_to"):
            val = getattr(self, name)
            if val is not None and not _PERIOD.match(val):
                raise QueryError(f"{name}={val!r} is not a period; use YYYY, YYYY-MM, YYYY-H1 or YYYY-Q3")
        if self.date_from and self.date_to and self.date_from > self.date_to + "~":
            raise QueryError(f"date_from={self.date_from} is after date_to={self.date_to}")
        if self.amount_min is not None and self.amount_max is not None and self.amount_min > self.amount_max:
            raise QueryError(f"amount_min={self.amount_min:g} is greater than amount_max={self.amount_max:g}")
        if self.q is not None:
            fts_query(self.q)  # raises on a query with no word
        key = self.sort[1:] if self.sort.startswith("-") else self.sort
        if key not in SORTS[rt]:
            raise QueryError(f"sort={self.sort!r} is not known; use one of {', '.join(SORTS[rt])} (- for descending)")
        if self.offset < 0:
            raise QueryError(f"offset {self.offset} is negative")
        if self.limit < 0:
            raise QueryError(f"limit {self.limit} is negative")

    def _check_codes(self, name: str, pattern: re.Pattern[str], what: str) -> None:
        vals = _norm_list(name, getattr(self, name))
        if vals is None:
            return
        up = tuple(v.upper() for v in vals)
        for v in up:
            if not pattern.fullmatch(v):
                raise QueryError(f"{name}={v!r} is not {what}")
        object.__setattr__(self, name, ",".join(up))

    def values(self, name: str) -> list[str]:
        """The (normalised) values of a multi-valued filter, or []."""
        val = getattr(self, name)
        return val.split(",") if val else []

    def with_(self, **changes: Any) -> BrowseQuery:
        return replace(self, **changes)

    def filters(self) -> dict[str, Any]:
        """The filters that are set (for links and echoing back), without sort and page."""
        skip = {"record_type", "sort", "offset", "limit"}
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip and getattr(self, f.name) is not None}


@dataclass(frozen=True, slots=True)
class Page:
    """One page of records and the number of all matching records."""

    total: int
    offset: int
    limit: int
    items: list[StoredRecord]


def _in(column: str, values: list[str]) -> tuple[str, list[Any]]:
    if len(values) == 1:
        return f"{column} = ?", list(values)
    return f"{column} IN ({', '.join('?' * len(values))})", list(values)


def browse_where(bq: BrowseQuery) -> tuple[str, list[Any]]:
    """``WHERE`` clause over ``r`` (record) and ``d`` (document) with its bound parameters."""
    rt = bq.record_type
    clauses: list[str] = []
    params: list[Any] = []

    def add(sql: str, ps: list[Any]) -> None:
        clauses.append(sql)
        params.extend(ps)

    countries = bq.values("country")
    if countries:
        if rt == "project":
            sql, ps = _in("r.host_country", countries)
            add(sql, ps)
        elif rt == "trade":
            parts: list[str] = []
            for cc in countries:
                parts.append("r.reporter = ? OR r.reporter LIKE ? OR r.partner = ?")
                params.extend([cc, cc + "-%", cc])
            clauses.append("(" + " OR ".join(parts) + ")")
        else:
            sql, ps = _in("r.country", countries)
            add(sql, ps)
    if bq.investor_country:
        # Stored as a JSON list; the quoted code is matched as text (fast, and portable).
        ors = " OR ".join("r.investor_countries LIKE ?" for _ in bq.values("investor_country"))
        add(f"({ors})", [f'%"{c}"%' for c in bq.values("investor_country")])
    if bq.region:
        if rt == "project":
            add(*_in("r.host_region", bq.values("region")))
        else:
            sql, ps = _in("r.reporter", bq.values("region"))
            add(sql, ps)
    if bq.partner:
        add(*_in("r.partner", bq.values("partner")))
    for name in ("sector", "kind", "status", "flow"):
        if getattr(bq, name):
            add(*_in(f"r.{name}", bq.values(name)))  # name comes from the fixed tuple above
    if bq.currency:
        add("r.amount_currency = ?" if rt == "project" else "r.currency = ?", [bq.currency])
    if bq.amount_min is not None:
        add("r.amount_value >= ?", [bq.amount_min])
    if bq.amount_max is not None:
        add("r.amount_value <= ?", [bq.amount_max])
    date_col = "r.date" if rt == "event" else "d.published"
    if bq.date_from:
        add(f"{date_col} >= ?", [bq.date_from])
    if bq.date_to:
        # "2024" must include "2024-12-31": compare against the prefix followed by a high character.
        add(f"{date_col} <= ?", [bq.date_to + "~"])
    if bq.period_from:
        add("r.period >= ?", [bq.period_from])
    if bq.period_to:
        add("r.period <= ?", [bq.period_to + "~"])
    if bq.q:
        add("r.doc_id IN (SELECT doc_id FROM documents_fts WHERE documents_fts MATCH ?)", [fts_query(bq.q)])
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _needs_document(bq: BrowseQuery) -> bool:
    return bq.record_type != "event" and bool(bq.date_from or bq.date_to) or bq.sort.lstrip("-") == "published"


def count_records(store: Store, bq: BrowseQuery) -> int:
    """How many records match (the page is ignored)."""
    table = RECORD_TYPES[bq.record_type]
    where, params = browse_where(bq)
    join = " JOIN documents d ON d.id = r.doc_id" if _needs_document(bq) else ""
    return int(store.conn.execute(f"SELECT count(*) FROM {table} r{join}{where}", params).fetchone()[0])


def _order(bq: BrowseQuery) -> str:
    desc = bq.sort.startswith("-")
    expr = SORTS[bq.record_type][bq.sort.lstrip("-")]
    if expr == "r.id":
        return f"r.id {'DESC' if desc else 'ASC'}"
    # NULLs last either way; ties broken by id so pages are stable.
    return f"{expr} IS NULL, {expr} {'DESC' if desc else 'ASC'}, r.id {'DESC' if desc else 'ASC'}"


def _select_ids(store: Store, bq: BrowseQuery, offset: int, limit: int | None) -> list[int]:
    table = RECORD_TYPES[bq.record_type]
    where, params = browse_where(bq)
    join = " JOIN documents d ON d.id = r.doc_id" if _needs_document(bq) else ""
    sql = f"SELECT r.id FROM {table} r{join}{where} ORDER BY {_order(bq)}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [int(row[0]) for row in store.conn.execute(sql, params)]


def _load(store: Store, record_type: str, ids: list[int]) -> list[StoredRecord]:
    """Full records for ``ids``, in that order (with their provenance)."""
    if not ids:
        return []
    table = RECORD_TYPES[record_type]
    rows: dict[int, Any] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        for row in store.conn.execute(
            f"SELECT r.*, d.title AS doc_title, d.url AS doc_url, d.published AS doc_published"
            f" FROM {table} r JOIN documents d ON d.id = r.doc_id WHERE r.id IN ({marks})",
            chunk,
        ):
            rows[int(row["id"])] = row
    prov = store._provenance(record_type, ids)
    return [store._stored(record_type, rows[i], prov.get(i, {})) for i in ids if i in rows]


def browse(store: Store, bq: BrowseQuery, *, with_total: bool = True) -> Page:
    """One page of records matching ``bq``, sorted, with the total count."""
    ids = _select_ids(store, bq, bq.offset, bq.limit)
    total = count_records(store, bq) if with_total else -1
    return Page(total=total, offset=bq.offset, limit=bq.limit, items=_load(store, bq.record_type, ids))


def iter_records(store: Store, bq: BrowseQuery, max_rows: int, chunk: int = 1000) -> Any:
    """All matching records in sort order (at most ``max_rows``), loaded ``chunk`` at a time."""
    ids = _select_ids(store, bq, 0, max_rows)
    for i in range(0, len(ids), chunk):
        yield from _load(store, bq.record_type, ids[i : i + chunk])


def _group(store: Store, bq: BrowseQuery, key_sql: str, join: str, limit: int | None = None) -> list[dict[str, Any]]:
    where, params = browse_where(bq)
    if _needs_document(bq) and " documents d " not in join:
        join += " JOIN documents d ON d.id = r.doc_id"
    sql = (
        f"SELECT {key_sql} AS k, count(*) AS n, "
        "sum(CASE WHEN r.amount_currency = 'USD' THEN r.amount_value END) AS usd, "
        "sum(CASE WHEN r.amount_currency = 'RUB' THEN r.amount_value END) AS rub, "
        "sum(CASE WHEN r.amount_currency = 'CNY' THEN r.amount_value END) AS cny "
        f"FROM projects r{join}{where} GROUP BY k ORDER BY n DESC, k"
    )
    if limit:
        sql += f" LIMIT {int(limit)}"
    out = []
    for row in store.conn.execute(sql, params):
        amounts = {c: _num(row[c.lower()]) for c in ("USD", "RUB", "CNY") if row[c.lower()] is not None}
        out.append({"key": row["k"], "count": int(row["n"]), "amounts": amounts})
    return out


def _num(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def project_stats(store: Store, bq: BrowseQuery, top: int = 20) -> dict[str, Any]:
    """Totals of the projects matching ``bq``: overall and by region, sector, investor country, year.

    Amounts are summed per stated currency (USD, RUB, CNY); nothing is converted.
    """
    if bq.record_type != "project":
        raise QueryError("statistics are computed over project records")
    overall = _group(store, bq, "'all'", "")
    return {
        "projects": overall[0]["count"] if overall else 0,
        "amounts": overall[0]["amounts"] if overall else {},
        "by_region": _group(store, bq, "r.host_region", ""),
        "by_sector": _group(store, bq, "r.sector", ""),
        "by_status": _group(store, bq, "r.status", ""),
        "by_investor_country": _group(
            store, bq, "j.value", ", json_each(r.investor_countries) j", limit=top
        ),
        "by_year": sorted(
            _group(store, bq, "substr(d.published, 1, 4)", " JOIN documents d ON d.id = r.doc_id"),
            key=lambda g: g["key"] or "",
        ),
        "top_investors": _group(store, bq, "j.value", ", json_each(r.investors) j", limit=top),
    }


def trade_series(store: Store, bq: BrowseQuery) -> list[dict[str, Any]]:
    """Trade values as series: one per (reporter, partner, flow, currency), points by period."""
    if bq.record_type != "trade":
        raise QueryError("trade series are computed over trade records")
    where, params = browse_where(bq)
    extra = " AND " if where else " WHERE "
    sql = (
        "SELECT r.reporter, r.partner, r.flow, r.currency, r.period, r.value, r.id "
        f"FROM trade r{where}{extra}r.value IS NOT NULL AND r.period IS NOT NULL "
        "ORDER BY r.reporter, r.partner, r.flow, r.currency, r.period, r.id"
    )
    series: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in store.conn.execute(sql, params):
        key = (row["reporter"], row["partner"], row["flow"], row["currency"])
        s = series.setdefault(
            key,
            {"reporter": key[0], "partner": key[1], "flow": key[2], "currency": key[3], "points": []},
        )
        pts = s["points"]
        if pts and pts[-1]["period"] == row["period"]:
            continue  # the same figure reported twice: keep the first record
        pts.append({"period": row["period"], "value": _num(row["value"]), "record": f"trade:{row['id']}"})
    return list(series.values())


def facet_values(store: Store, record_type: str, column: str, limit: int = 200) -> list[tuple[str, int]]:
    """Distinct values of one column with their counts (for filter drop-downs)."""
    allowed = {"project": {"host_country", "host_region", "sector", "kind", "status"}, "event": {"kind", "country"}}
    if column not in allowed.get(record_type, set()):
        raise QueryError(f"no facet {column!r} for {record_type} records")
    table = RECORD_TYPES[record_type]
    sql = (
        f"SELECT {column} AS v, count(*) AS n FROM {table} WHERE {column} IS NOT NULL"
        f" GROUP BY {column} ORDER BY n DESC, v LIMIT ?"
    )
    return [(row["v"], int(row["n"])) for row in store.conn.execute(sql, (limit,))]
