"""Paged, sorted and aggregated reads over stored records (what the HTTP API and dashboard need).

:class:`BrowseQuery` validates every filter up front (a bad value raises :class:`QueryError`
naming the parameter and what is accepted) and :func:`browse_where` turns it into a ``WHERE``
clause with bound parameters only.  Codes and vocabulary values are normalised on the Python
side (upper-case codes, lower-case sectors), so the SQL compares plain columns and the
indexes of migration ``0004_browse_indexes`` apply; the SQL is portable (no SQLite-only
functions except ``json_each`` for list columns, and FTS5 for ``q``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from ..model import EVENT_KINDS, KINDS, SECTORS, STATUSES, TRADE_FLOWS
from .queries import RECORD_TYPES, QueryError, fts_query

if TYPE_CHECKING:
    from ..resolve.figures import TradeFigure
    from ..resolve.gatherings import GatheredEvent
    from .sqlite import Store, StoredRecord

__all__ = [
    "BrowseQuery",
    "Page",
    "figure_series",
    "gathered_events",
    "trade_figures",
    "SORTS",
    "browse_where",
    "browse",
    "count_records",
    "iter_records",
    "project_stats",
    "trade_series",
    "facet_values",
    "sync_entities",
    "entities_current",
    "entity_where",
    "entity_item",
    "browse_entities",
    "count_entities",
    "entity_stats",
    "entity_facets",
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
    # resolved projects (``entity_browse``): amounts in USD, dates of the first and last report
    "entity": {
        "id": "r.entity_id",
        "amount": "r.amount_usd",
        "jobs": "r.jobs",
        "published": "r.last_seen",
        "first_seen": "r.first_seen",
        "last_seen": "r.last_seen",
        "sources": "r.n_sources",
        "region": "r.host_region",
        "name": "r.name",
    },
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
    "entity": {
        "country", "investor_country", "region", "sector", "kind", "status",
        "amount_min", "amount_max", "currency", "date_from", "date_to", "q",
    },
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
        if rt not in _APPLIES:
            raise QueryError(f"unknown record type {rt!r}; use one of {sorted(_APPLIES)}")
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
        region_pat = (
            _REGION if rt in ("project", "entity") else re.compile(f"{_COUNTRY.pattern}|{_REGION.pattern}")
        )
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
            raise QueryError(
                f"sort={self.sort!r} is not known; use one of {', '.join(SORTS[rt])} (- for descending)"
            )
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
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in skip and getattr(self, f.name) is not None
        }


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
    """``WHERE`` clause over ``r`` (record) and ``d`` (document) with its bound parameters.

    Records superseded by a re-extraction of their document are always left out.
    """
    rt = bq.record_type
    if rt == "entity":
        return entity_where(bq)
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
    # Records replaced by a re-extraction stay stored as claims but are never listed or counted.
    add(_CURRENT, [rt])
    return " WHERE " + " AND ".join(clauses), params


_CURRENT = "NOT EXISTS (SELECT 1 FROM claim_supersessions s WHERE s.record_type = ? AND s.record_id = r.id)"


def _needs_document(bq: BrowseQuery) -> bool:
    return (
        bq.record_type != "event" and bool(bq.date_from or bq.date_to) or bq.sort.lstrip("-") == "published"
    )


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


def _group(
    store: Store, bq: BrowseQuery, key_sql: str, join: str, limit: int | None = None
) -> list[dict[str, Any]]:
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
        "by_investor_country": _group(store, bq, "j.value", ", json_each(r.investor_countries) j", limit=top),
        "by_year": sorted(
            _group(store, bq, "substr(d.published, 1, 4)", " JOIN documents d ON d.id = r.doc_id"),
            key=lambda g: g["key"] or "",
        ),
        "top_investors": _group(store, bq, "j.value", ", json_each(r.investors) j", limit=top),
    }


def _with_published(where: str, params: list[Any], published_from: str | None) -> tuple[str, list[Any]]:
    if not published_from:
        return where, params
    return f"{where} AND d.published >= ?", [*params, published_from]


def trade_figures(store: Store, bq: BrowseQuery, published_from: str | None = None) -> list[TradeFigure]:
    """The trade records ``bq`` selects (from documents published on or after
    ``published_from``, when given) as figures across documents: one per reporter, partner, flow
    and period, every claim kept, disagreements listed (:mod:`fdiscope.resolve.figures`)."""
    from ..resolve.figures import resolve_figures

    if bq.record_type != "trade":
        raise QueryError("trade figures are computed over trade records")
    where, params = _with_published(*browse_where(bq), published_from)
    sql = (
        "SELECT r.id, r.doc_id, d.published, d.duplicate_of, r.reporter, r.partner, r.flow, r.period, "
        "r.value, r.currency, r.change_pct, r.share_pct "
        f"FROM trade r JOIN documents d ON d.id = r.doc_id{where} "
        "ORDER BY r.reporter, r.partner, r.flow, r.period, r.id"
    )
    rows = _corrected(store, "trade", store.conn.execute(sql, params))
    rows.sort(key=lambda r: (*(str(r[k] or "") for k in ("reporter", "partner", "flow", "period")), r["id"]))
    return resolve_figures(rows)


def gathered_events(store: Store, bq: BrowseQuery, published_from: str | None = None) -> list[GatheredEvent]:
    """The event records ``bq`` selects (from documents published on or after
    ``published_from``, when given) gathered into events across documents: one per forum,
    visit, signing ... however many articles report it (:mod:`fdiscope.resolve.gatherings`)."""
    from ..resolve.gatherings import gather_events

    if bq.record_type != "event":
        raise QueryError("events are gathered from event records")
    where, params = _with_published(*browse_where(bq), published_from)
    sql = (
        "SELECT r.id, r.doc_id, d.published, d.duplicate_of, d.language, r.name, r.kind, r.date, "
        f"r.city, r.country FROM events r JOIN documents d ON d.id = r.doc_id{where} "
        "ORDER BY r.date, r.id"
    )
    rows = _corrected(store, "event", store.conn.execute(sql, params))
    rows.sort(key=lambda r: (r["date"] or "", r["id"]))
    return gather_events(rows)


def _corrected(store: Store, record_type: str, rows: Any) -> list[dict[str, Any]]:
    """``rows`` (records of ``record_type``) as dicts with the human corrections of their fields
    applied (the latest correction of a field wins); ``corrected`` names the fields changed.

    A correction says what a source really states (the extractor misread it), so the corrected
    record stays that source's claim: figures and events across documents count it as such.
    """
    out = [dict(r) for r in rows]
    if not out:
        return out
    fixes: dict[int, dict[str, Any]] = {}
    for c in store.conn.execute(
        "SELECT record_id, field, value FROM corrections WHERE record_type = ? ORDER BY id", (record_type,)
    ):
        fixes.setdefault(int(c["record_id"]), {})[c["field"]] = (
            json.loads(c["value"]) if c["value"] is not None else None
        )
    for row in out:
        fix = {k: v for k, v in fixes.get(int(row["id"]), {}).items() if k in row}
        row.update(fix)
        row["corrected"] = tuple(sorted(fix))
    return out


def trade_series(store: Store, bq: BrowseQuery) -> list[dict[str, Any]]:
    """Trade values as series: one per (reporter, partner, flow, currency), points by period.

    A point is a figure's chosen value (:func:`trade_figures`): the same figure reported by
    several documents is one point, ``conflict`` says whether its sources disagree.
    """
    return figure_series(trade_figures(store, bq))


def figure_series(figures: list[TradeFigure]) -> list[dict[str, Any]]:
    """:func:`trade_series` of figures already computed."""
    series: dict[tuple[Any, ...], dict[str, Any]] = {}
    for fig in figures:
        value = fig.values.get("value")
        if value is None:
            continue
        key = (fig.reporter, fig.partner, fig.flow, value[1])
        s = series.setdefault(
            key,
            {"reporter": key[0], "partner": key[1], "flow": key[2], "currency": key[3], "points": []},
        )
        s["points"].append(
            {
                "period": fig.period,
                "value": _num(value[0]),
                "record": fig.backed_by["value"][0],
                "claims": len(fig.claims),
                "conflict": "value" in fig.conflicts,
            }
        )
    return list(series.values())


def facet_values(store: Store, record_type: str, column: str, limit: int = 200) -> list[tuple[str, int]]:
    """Distinct values of one column with their counts (for filter drop-downs)."""
    allowed = {
        "project": {"host_country", "host_region", "sector", "kind", "status"},
        "event": {"kind", "country"},
    }
    if column not in allowed.get(record_type, set()):
        raise QueryError(f"no facet {column!r} for {record_type} records")
    table = RECORD_TYPES[record_type]
    sql = (
        f"SELECT {column} AS v, count(*) AS n FROM {table} r WHERE {column} IS NOT NULL AND {_CURRENT}"
        f" GROUP BY {column} ORDER BY n DESC, v LIMIT ?"
    )
    return [(row["v"], int(row["n"])) for row in store.conn.execute(sql, (record_type, limit))]


# -- resolved projects (entities) ------------------------------------------------------------
#
# ``entities`` (written by fdiscope.resolve) keeps each project's canonical view as JSON.  The
# API filters, sorts and totals over many projects, so after each resolution run the current
# project entities are copied flat into ``entity_browse`` (one indexed column per filter),
# their investors and investor countries into side tables, and totals per region and dimension
# into ``entity_totals`` (what the overview and the map ask for, read without scanning).

_ENTITY_COLS = (
    "entity_id", "name", "host_country", "host_region", "sector", "project_kind", "status", "status_date",
    "amount_usd", "amount_value", "amount_currency", "jobs", "n_claims", "n_documents", "n_sources",
    "first_seen", "last_seen", "stale", "investors", "investor_countries",
)  # fmt: skip
_TOTAL_DIMS = ("sector", "status", "year", "investor_country", "investor")
_TOP_INVESTORS = 50


def _last_run(store: Store) -> str:
    row = store.conn.execute("SELECT max(id) FROM resolution_runs").fetchone()
    return str(row[0] or 0)


def entities_current(store: Store) -> bool:
    """True when ``entity_browse`` reflects the latest resolution run."""
    row = store.conn.execute("SELECT value FROM browse_state WHERE name = 'entities_run'").fetchone()
    return row is not None and row[0] == _last_run(store)


def _browse_row(row: Any) -> tuple[tuple[Any, ...], list[str], list[str]]:
    snap = json.loads(row["canonical"] or "{}")
    f = snap.get("fields", {})

    def val(name: str) -> Any:
        return (f.get(name) or {}).get("value")

    amount = val("amount") if isinstance(val("amount"), dict) else {}
    investors = [str(x) for x in (val("investors") or []) if x]
    countries = sorted({str(x).upper() for x in (val("investor_countries") or []) if x})
    jobs = val("jobs")
    return (
        (
            int(row["id"]), row["name"], row["host_country"], row["host_region"], row["sector"],
            val("kind"), row["status"], row["status_date"], row["amount_usd"], amount.get("value"),
            amount.get("currency"), jobs if isinstance(jobs, int) else None, row["n_claims"],
            row["n_documents"], row["n_sources"], row["first_seen"], row["last_seen"], row["stale"],
            json.dumps(investors, ensure_ascii=False), json.dumps(countries),
        ),
        investors,
        countries,
    )  # fmt: skip


def sync_entities(store: Store, *, force: bool = False) -> bool:
    """Rebuild ``entity_browse``, its side tables and totals if a resolution ran since the last sync.

    Returns:
        True when the tables were rebuilt.
    """
    run = _last_run(store)
    if not force and entities_current(store):
        return False
    rows: list[tuple[Any, ...]] = []
    countries: list[tuple[str, int]] = []
    names: list[tuple[str, int]] = []
    totals: dict[tuple[str, str, Any], list[Any]] = {}
    investor_totals: dict[str, dict[str, list[Any]]] = {}

    def bump(region: str, dim: str, key: Any, usd: Any) -> None:
        t = totals.setdefault((region, dim, key), [0, None])
        t[0] += 1
        if usd is not None:
            t[1] = (t[1] or 0.0) + usd

    cur = store.conn.execute(
        "SELECT id, name, host_country, host_region, sector, status, status_date, amount_usd, n_claims,"
        " n_documents, n_sources, first_seen, last_seen, stale, canonical FROM entities"
        " WHERE retired_at IS NULL AND kind = 'project'"
    )
    for row in cur:
        flat, investors, ccs = _browse_row(row)
        rows.append(flat)
        eid, usd, region = flat[0], flat[8], flat[3]
        countries.extend((c, eid) for c in ccs)
        names.extend((n, eid) for n in dict.fromkeys(investors))
        keys: dict[str, list[Any]] = {
            "sector": [flat[4]],
            "status": [flat[6]],
            "year": [(flat[15] or "")[:4] or None],
            "investor_country": list(ccs),
        }
        for reg in ("*", region or ""):
            bump(reg, "all", None, usd)
            if reg == "*":
                bump(reg, "region", region, usd)
            for dim, ks in keys.items():
                for k in ks:
                    bump(reg, dim, k, usd)
            per = investor_totals.setdefault(reg, {})
            for n in dict.fromkeys(investors):
                t = per.setdefault(n, [0, None])
                t[0] += 1
                if usd is not None:
                    t[1] = (t[1] or 0.0) + usd
    total_rows = [(r, d, k, v[0], v[1]) for (r, d, k), v in totals.items()]
    for reg, per in investor_totals.items():
        top = sorted(per.items(), key=lambda kv: (-kv[1][0], kv[0]))[:_TOP_INVESTORS]
        total_rows.extend((reg, "investor", k, v[0], v[1]) for k, v in top)
    marks = ", ".join("?" * len(_ENTITY_COLS))
    with store._transaction() as conn:
        for table in ("entity_browse", "entity_investor_countries", "entity_investor_names", "entity_totals"):
            conn.execute(f"DELETE FROM {table}")
        conn.executemany(f"INSERT INTO entity_browse({', '.join(_ENTITY_COLS)}) VALUES ({marks})", rows)
        conn.executemany("INSERT INTO entity_investor_countries(country, entity_id) VALUES (?, ?)", countries)
        conn.executemany("INSERT INTO entity_investor_names(investor, entity_id) VALUES (?, ?)", names)
        conn.executemany(
            "INSERT INTO entity_totals(region, dimension, k, n, usd) VALUES (?, ?, ?, ?, ?)", total_rows
        )
        conn.execute("DELETE FROM browse_state WHERE name = 'entities_run'")
        conn.execute("INSERT INTO browse_state(name, value) VALUES ('entities_run', ?)", (run,))
    return True


def entity_where(bq: BrowseQuery) -> tuple[str, list[Any]]:
    """``WHERE`` clause over ``r`` (a row of ``entity_browse``); amounts are compared in USD."""
    clauses: list[str] = []
    params: list[Any] = []

    def add(sql: str, ps: list[Any]) -> None:
        clauses.append(sql)
        params.extend(ps)

    for name, col in (("country", "host_country"), ("region", "host_region"), ("sector", "sector"),
                      ("kind", "project_kind"), ("status", "status")):  # fmt: skip
        if getattr(bq, name):
            add(*_in(f"r.{col}", bq.values(name)))
    if bq.investor_country:
        sql, ps = _in("c.country", bq.values("investor_country"))
        add(f"r.entity_id IN (SELECT c.entity_id FROM entity_investor_countries c WHERE {sql})", ps)
    if bq.currency:
        add("r.amount_currency = ?", [bq.currency])
    if bq.amount_min is not None:
        add("r.amount_usd >= ?", [bq.amount_min])
    if bq.amount_max is not None:
        add("r.amount_usd <= ?", [bq.amount_max])
    # A project belongs to a period when it was reported in it: first report before its end,
    # last report after its start.
    if bq.date_from:
        add("r.last_seen >= ?", [bq.date_from])
    if bq.date_to:
        add("r.first_seen <= ?", [bq.date_to + "~"])
    if bq.q:
        add(
            "r.entity_id IN (SELECT ec.entity_id FROM entity_claims ec WHERE ec.doc_id IN"
            " (SELECT doc_id FROM documents_fts WHERE documents_fts MATCH ?))",
            [fts_query(bq.q)],
        )
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _entity_order(bq: BrowseQuery) -> str:
    desc = "DESC" if bq.sort.startswith("-") else "ASC"
    expr = SORTS["entity"][bq.sort.lstrip("-")]
    if expr == "r.entity_id":
        return f"r.entity_id {desc}"
    return f"{expr} IS NULL, {expr} {desc}, r.entity_id {desc}"


def entity_item(row: Any) -> dict[str, Any]:
    """One listed project: canonical values, amount (stated and USD), sources, dates."""
    amount = None
    if row["amount_value"] is not None or row["amount_usd"] is not None:
        amount = {
            "value": _num(row["amount_value"]),
            "currency": row["amount_currency"],
            "usd": row["amount_usd"],
        }
    return {
        "id": int(row["entity_id"]),
        "name": row["name"],
        "investors": json.loads(row["investors"] or "[]"),
        "investor_countries": json.loads(row["investor_countries"] or "[]"),
        "host_country": row["host_country"],
        "host_region": row["host_region"],
        "sector": row["sector"],
        "kind": row["project_kind"],
        "status": row["status"],
        "status_date": row["status_date"],
        "amount": amount,
        "amount_usd": row["amount_usd"],
        "jobs": row["jobs"],
        "claims": int(row["n_claims"]),
        "documents": int(row["n_documents"]),
        "sources": int(row["n_sources"]),
        "first_seen": row["first_seen"],
        "last_seen": row["last_seen"],
        "stale": bool(row["stale"]),
    }


def browse_entities(
    store: Store, bq: BrowseQuery, *, with_total: bool = True
) -> tuple[int, list[dict[str, Any]]]:
    """One page of resolved projects matching ``bq`` (record_type "entity"): (total, items).

    ``total`` is -1 unless ``with_total``.
    """
    where, params = entity_where(bq)
    sql = (
        f"SELECT {', '.join(_ENTITY_COLS)} FROM entity_browse r{where} ORDER BY {_entity_order(bq)}"
        " LIMIT ? OFFSET ?"
    )
    items = [entity_item(r) for r in store.conn.execute(sql, [*params, bq.limit, bq.offset])]
    return (count_entities(store, bq) if with_total else -1), items


def count_entities(store: Store, bq: BrowseQuery) -> int:
    """How many resolved projects match ``bq`` (the page is ignored)."""
    where, params = entity_where(bq)
    return int(store.conn.execute(f"SELECT count(*) FROM entity_browse r{where}", params).fetchone()[0])


def _entity_group(store: Store, bq: BrowseQuery, dim: str, limit: int | None = None) -> list[dict[str, Any]]:
    where, params = entity_where(bq)
    key, join = {
        "all": ("'all'", ""),
        "region": ("r.host_region", ""),
        "sector": ("r.sector", ""),
        "status": ("r.status", ""),
        "year": ("substr(r.first_seen, 1, 4)", ""),
        "investor_country": ("g.country", " JOIN entity_investor_countries g ON g.entity_id = r.entity_id"),
        "investor": ("g.investor", " JOIN entity_investor_names g ON g.entity_id = r.entity_id"),
    }[dim]
    sql = (
        f"SELECT {key} AS k, count(*) AS n, sum(r.amount_usd) AS usd FROM entity_browse r{join}{where}"
        " GROUP BY k ORDER BY n DESC, k"
    )
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [
        {"key": row["k"], "count": int(row["n"]), "amount_usd": _usd(row["usd"])}
        for row in store.conn.execute(sql, params)
    ]


def _usd(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def _totals(store: Store, region: str, dim: str, limit: int | None = None) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT k, n, usd FROM entity_totals WHERE region = ? AND dimension = ? ORDER BY n DESC, k",
        (region, dim),
    ).fetchall()
    out = [{"key": r["k"], "count": int(r["n"]), "amount_usd": _usd(r["usd"])} for r in rows]
    return out[:limit] if limit else out


def entity_stats(store: Store, bq: BrowseQuery, top: int = 20) -> dict[str, Any]:
    """Totals of the resolved projects matching ``bq``: overall and by region, sector, status,
    investor country, year (first reported) and investor; amounts in USD.

    With no filter, or only one region, the totals kept by :func:`sync_entities` are read;
    other filters are computed over ``entity_browse``.
    """
    filters = bq.filters()
    regions = bq.values("region")
    if not filters or (set(filters) == {"region"} and len(regions) == 1):
        reg = regions[0] if regions else "*"

        def group(dim: str, limit: int | None = None) -> list[dict[str, Any]]:
            if dim == "region" and reg != "*":
                allrow = _totals(store, reg, "all")
                return [{**allrow[0], "key": reg}] if allrow else []
            return _totals(store, reg, dim, limit)
    else:

        def group(dim: str, limit: int | None = None) -> list[dict[str, Any]]:
            return _entity_group(store, bq, dim, limit)

    overall = group("all")
    return {
        "projects": overall[0]["count"] if overall else 0,
        "amount_usd": overall[0]["amount_usd"] if overall else None,
        "by_region": group("region"),
        "by_sector": group("sector"),
        "by_status": group("status"),
        "by_investor_country": group("investor_country", top),
        "by_year": sorted(group("year"), key=lambda g: g["key"] or ""),
        "top_investors": group("investor", top),
    }


def entity_facets(store: Store, column: str, limit: int = 200) -> list[tuple[str, int]]:
    """Distinct values of one resolved-project column with their counts (for filter menus)."""
    allowed = {"host_country", "host_region", "sector", "project_kind", "status"}
    if column not in allowed:
        raise QueryError(f"no facet {column!r} for projects; use one of {', '.join(sorted(allowed))}")
    sql = (
        f"SELECT {column} AS v, count(*) AS n FROM entity_browse WHERE {column} IS NOT NULL"
        f" GROUP BY {column} ORDER BY n DESC, v LIMIT ?"
    )
    return [(row["v"], int(row["n"])) for row in store.conn.execute(sql, (limit,))]
