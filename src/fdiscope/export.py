"""Exports: records and resolved projects as CSV, JSON, Parquet or GeoJSON.

Library first: the command ``fdiscope export`` and the ``/api/export`` endpoint are thin shells
over these functions.

* :func:`browse_query` checks a record type and its filters (the names of ``/api/export``);
* :func:`iter_rows` yields flat rows (lists joined with ``"; "``), :func:`iter_objects` the full
  nested objects (what the JSON format writes);
* :func:`write_csv`, :func:`write_json`, :func:`write_parquet` and :func:`write_geojson` write
  rows to an open file, one row at a time (Parquet in batches), and return how many they wrote;
* :func:`export` does it all for a path or an open file.

Record types are ``project``, ``trade`` and ``event`` (per-document records, the claims) and
``resolved`` (the projects of :mod:`fdiscope.resolve`: canonical values, amount in USD, status,
numbers of claims, documents and independent sources).

GeoJSON features are points at the administrative centre of the host region, or at the capital
of the host country when the region is unknown (``geometry`` is null when neither is known); the
coordinates are approximate (``data/gazetteer/region_points.tsv``).

>>> import io
>>> from fdiscope.store import Store
>>> with Store(":memory:") as store:
...     out = io.StringIO()
...     export(store, out, "trade", "csv")
...     out.getvalue().split(",")[:3]
0
['id', 'doc_id', 'reporter']
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import IO, TYPE_CHECKING, Any

from .store import QueryError, StoredRecord
from .store.browse import BrowseQuery, browse_entities, iter_records, sync_entities

if TYPE_CHECKING:
    import pyarrow as pa

    from .store import Store

__all__ = [
    "RECORD_TYPES",
    "FORMATS",
    "GEO_TYPES",
    "MEDIA_TYPES",
    "ROW_FIELDS",
    "FILTERS",
    "browse_query",
    "record_row",
    "resolved_row",
    "iter_objects",
    "iter_rows",
    "needs_resolution",
    "prepare_resolved",
    "region_points",
    "point_for",
    "feature",
    "parquet_schema",
    "write_csv",
    "write_json",
    "write_parquet",
    "write_geojson",
    "format_for_path",
    "check_format",
    "export",
]

RECORD_TYPES = ("project", "trade", "event", "resolved", "figures", "resolved_events")
#: the types made across documents from trade and event records (resolve/figures.py,
#: resolve/gatherings.py), by the record type they are made of
ACROSS_TYPES = {"figures": "trade", "resolved_events": "event"}
FORMATS = ("csv", "json", "parquet", "geojson")
#: the record types GeoJSON can place on a map (they have a host region and country)
GEO_TYPES = ("project", "resolved")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
    "geojson": "application/geo+json",
}
_SUFFIXES = {".csv": "csv", ".json": "json", ".parquet": "parquet", ".pq": "parquet", ".geojson": "geojson"}

#: The columns of the flat rows of each record type, in order.
ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "project": ("id", "doc_id", "investors", "investor_countries", "host_country", "host_region", "location",
                "sector", "kind", "description", "amount_value", "amount_currency", "jobs", "status",
                "evidence", "published", "title", "url"),
    "trade": ("id", "doc_id", "reporter", "partner", "flow", "period", "value", "currency", "change_pct",
              "share_pct", "evidence", "published", "title", "url"),
    "event": ("id", "doc_id", "name", "kind", "date", "city", "country", "evidence", "published", "title",
              "url"),
    "resolved": ("id", "name", "investors", "investor_countries", "host_country", "host_region", "sector",
                 "kind", "status", "status_date", "amount_value", "amount_currency", "amount_usd", "jobs",
                 "claims", "documents", "sources", "first_seen", "last_seen", "stale"),
    "figures": ("reporter", "partner", "flow", "period", "value", "currency", "change_pct", "share_pct",
                "documents", "sources", "records", "disagreeing"),
    "resolved_events": ("name", "kind", "date", "city", "country", "names", "documents", "sources",
                        "records"),
}  # fmt: skip

#: The filters each record type takes (the query parameters of ``/api/export``).  Dates are
#: ``YYYY[-MM[-DD]]``; ``date_from``/``date_to`` compare the publication date of the document
#: (projects), the event date (events) or the first and last report (resolved projects).
FILTERS: dict[str, tuple[str, ...]] = {
    "project": ("country", "investor_country", "region", "sector", "kind", "status", "amount_min",
                "amount_max", "currency", "date_from", "date_to", "q"),
    "trade": ("country", "region", "partner", "flow", "period_from", "period_to", "currency", "q"),
    "event": ("country", "kind", "date_from", "date_to", "q"),
}  # fmt: skip
FILTERS["resolved"] = FILTERS["project"]
FILTERS["figures"] = FILTERS["trade"]
FILTERS["resolved_events"] = FILTERS["event"]

_FLOAT = {"amount_value", "amount_usd", "value", "change_pct", "share_pct"}
_INT = {"jobs", "claims", "documents", "sources"}
_BOOL = {"stale"}
_FORMULA = ("=", "+", "-", "@")
_NO_LIMIT = sys.maxsize


# -- queries ---------------------------------------------------------------------------------


def _check_type(record_type: str) -> None:
    if record_type not in RECORD_TYPES:
        raise QueryError(f"type={record_type!r} is not known; use one of {', '.join(RECORD_TYPES)}")


def browse_query(
    record_type: str = "project",
    filters: Mapping[str, Any] | None = None,
    *,
    sort: str = "id",
    limit: int | None = None,
) -> BrowseQuery:
    """The checked query for ``record_type`` with ``filters`` (names of :data:`FILTERS`).

    Empty values are ignored; ``amount_min``/``amount_max`` may be given as text.

    Raises:
        QueryError: an unknown type, a filter the type does not have, or a malformed value.
    """
    _check_type(record_type)
    allowed = FILTERS[record_type]
    clean: dict[str, Any] = {}
    for key, value in (filters or {}).items():
        if value is None or value == "":
            continue
        if key not in allowed:
            raise QueryError(f"{key} is not a filter of {record_type} records; use {', '.join(allowed)}")
        clean[key] = value
    for key in ("amount_min", "amount_max"):
        if key in clean and not isinstance(clean[key], int | float):
            try:
                clean[key] = float(clean[key])
            except (TypeError, ValueError):
                raise QueryError(f"{key}={clean[key]!r} is not a number") from None
    if limit is not None and limit < 0:
        raise QueryError(f"limit {limit} is negative")
    rt = "entity" if record_type == "resolved" else ACROSS_TYPES.get(record_type, record_type)
    return BrowseQuery(record_type=rt, **clean, sort=sort, limit=_NO_LIMIT if limit is None else limit)


# -- rows ------------------------------------------------------------------------------------


def record_row(item: StoredRecord) -> dict[str, Any]:
    """A flat row of a per-document record (lists joined with "; "), keys of :data:`ROW_FIELDS`."""
    d = item.record.to_dict()
    row: dict[str, Any] = {"id": item.ref, "doc_id": item.doc_id}
    for name in ROW_FIELDS[item.type]:
        if name in row:
            continue
        if name in ("published", "title", "url"):
            row[name] = {"published": item.published, "title": item.doc_title, "url": item.doc_url}[name]
        elif name == "amount_value":
            row[name] = (d.get("amount") or {}).get("value")
        elif name == "amount_currency":
            row[name] = (d.get("amount") or {}).get("currency")
        else:
            row[name] = _flat(d.get(name))
    return row


def resolved_row(item: Mapping[str, Any]) -> dict[str, Any]:
    """A flat row of a resolved project (an item of ``/api/projects``), keys of :data:`ROW_FIELDS`."""
    amount = item.get("amount") or {}
    row: dict[str, Any] = {}
    for name in ROW_FIELDS["resolved"]:
        if name == "amount_value":
            row[name] = amount.get("value")
        elif name == "amount_currency":
            row[name] = amount.get("currency")
        else:
            row[name] = _flat(item.get(name))
    return row


def _flat(value: Any) -> Any:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else value


def needs_resolution(store: Store) -> bool:
    """True when the store has project records but resolution has never run on it."""
    conn = store.conn
    if conn.execute("SELECT 1 FROM resolution_runs LIMIT 1").fetchone() is not None:
        return False
    return conn.execute("SELECT 1 FROM projects LIMIT 1").fetchone() is not None


def prepare_resolved(store: Store) -> None:
    """Make the resolved projects readable: resolve if never done (as the web server does on
    start), then bring the derived listing tables up to date with the latest resolution run."""
    if needs_resolution(store):
        from .resolve import resolve_store

        resolve_store(store)
    sync_entities(store)


def _iter_resolved(store: Store, bq: BrowseQuery, chunk: int = 1000) -> Iterator[dict[str, Any]]:
    prepare_resolved(store)
    left = bq.limit
    offset = 0
    while left > 0:
        _, items = browse_entities(store, bq.with_(offset=offset, limit=min(chunk, left)), with_total=False)
        yield from items
        if len(items) < min(chunk, left):
            return
        offset += len(items)
        left -= len(items)


def _iter_across(store: Store, bq: BrowseQuery, record_type: str) -> Iterator[dict[str, Any]]:
    """Trade figures (``/api/trade/figures`` items) or events across documents."""
    from .store.browse import gathered_events, trade_figures

    made = trade_figures(store, bq) if record_type == "figures" else gathered_events(store, bq)
    for item in made[: bq.limit]:
        yield item.to_dict()


def _across_row(record_type: str, obj: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name in ROW_FIELDS[record_type]:
        if name == "records":
            row[name] = _flat(obj["claims"])
        elif name == "disagreeing":
            row[name] = "; ".join(
                f"{c['field']} {_plain(c['value'])} ({', '.join(c['claims'])})" for c in obj["conflicts"]
            )
        else:
            row[name] = _flat(obj.get(name))
    return row


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return f"{value.get('value')} {value.get('currency') or ''}".strip()
    return str(value)


def iter_objects(store: Store, bq: BrowseQuery, record_type: str | None = None) -> Iterator[dict[str, Any]]:
    """The full objects matching ``bq`` in its order: records as ``StoredRecord.to_dict()`` (with
    evidence and document), resolved projects as the items of ``/api/projects``, trade figures
    and events across documents (``record_type`` ``figures`` / ``resolved_events``) as the items
    of their API listings."""
    if record_type in ACROSS_TYPES:
        yield from _iter_across(store, bq, record_type)
    elif bq.record_type == "entity":
        yield from _iter_resolved(store, bq)
    else:
        for item in iter_records(store, bq, bq.limit):
            yield item.to_dict()


def iter_rows(store: Store, bq: BrowseQuery, record_type: str | None = None) -> Iterator[dict[str, Any]]:
    """Flat rows (:data:`ROW_FIELDS`) of the records, resolved projects, trade figures or events
    across documents (``record_type``, default: the type ``bq`` selects) matching ``bq``."""
    if record_type in ACROSS_TYPES:
        for obj in _iter_across(store, bq, record_type):
            yield _across_row(record_type, obj)
    elif bq.record_type == "entity":
        for obj in _iter_resolved(store, bq):
            yield resolved_row(obj)
    else:
        for item in iter_records(store, bq, bq.limit):
            yield record_row(item)


# -- points ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def region_points() -> dict[str, tuple[float, float]]:
    """Code (ISO 3166-2 region or ISO 3166-1 alpha-2 country) -> approximate (lon, lat) of its
    administrative centre or capital, from ``data/gazetteer/region_points.tsv``."""
    path = resources.files("fdiscope").joinpath("data", "gazetteer", "region_points.tsv")
    out: dict[str, tuple[float, float]] = {}
    rows = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    for line in rows[1:]:  # after the header
        code, lat, lon, *_ = line.split("\t")
        out[code] = (float(lon), float(lat))
    return out


def point_for(region: str | None, country: str | None) -> tuple[str, tuple[float, float]] | None:
    """(code, (lon, lat)) of the region's centre, else of the country's capital, else None."""
    points = region_points()
    for code in (region, country):
        if code and code.upper() in points:
            return code.upper(), points[code.upper()]
    return None


def feature(row: Mapping[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature for a flat project row: a Point at its host region (or country).

    ``properties.point_of`` names the code the point stands for (None without geometry).
    """
    found = point_for(row.get("host_region"), row.get("host_country"))
    props = dict(row)
    props["point_of"] = found[0] if found else None
    geometry = {"type": "Point", "coordinates": list(found[1])} if found else None
    return {"type": "Feature", "id": row.get("id"), "geometry": geometry, "properties": props}


# -- writers ---------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    # Cells starting with = + - @ would run as formulas in a spreadsheet; quote them.
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA) else value


def write_csv(rows: Iterable[Mapping[str, Any]], fp: IO[str], fields: Sequence[str]) -> int:
    """Write a header and ``rows`` as CSV to ``fp`` (open it with ``newline=""``); returns the
    number of rows.  Text cells starting with ``= + - @`` are prefixed with ``'``; booleans are
    written ``true``/``false``."""
    writer = csv.DictWriter(fp, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
        n += 1
    return n


def write_json(objects: Iterable[Any], fp: IO[str]) -> int:
    """Write ``objects`` as one JSON array, an element per line; returns how many."""
    n = 0
    fp.write("[")
    for obj in objects:
        fp.write(",\n" if n else "\n")
        fp.write(json.dumps(obj, ensure_ascii=False))
        n += 1
    fp.write("\n]\n" if n else "]\n")
    return n


_COORDINATES_NOTE = (
    "approximate points: the administrative centre of the host region, or the capital of the host "
    "country when the region is unknown (properties.point_of names which); null when neither is known"
)


def write_geojson(rows: Iterable[Mapping[str, Any]], fp: IO[str]) -> int:
    """Write project rows as a GeoJSON FeatureCollection of points (see :func:`feature`)."""
    fp.write('{"type": "FeatureCollection", "fdiscope:coordinates": ')
    fp.write(json.dumps(_COORDINATES_NOTE))
    fp.write(', "features": [')
    n = 0
    for row in rows:
        fp.write(",\n" if n else "\n")
        fp.write(json.dumps(feature(row), ensure_ascii=False))
        n += 1
    fp.write("\n]}\n" if n else "]}\n")
    return n


def parquet_schema(record_type: str) -> pa.Schema:
    """The typed Parquet schema of a record type's flat rows (numbers, integers, booleans, text)."""
    import pyarrow as pa

    _check_type(record_type)

    def typ(name: str) -> pa.DataType:
        if name == "id" and record_type == "resolved":
            return pa.int64()
        if name in _FLOAT:
            return pa.float64()
        if name in _INT:
            return pa.int64()
        if name in _BOOL:
            return pa.bool_()
        return pa.string()

    return pa.schema([(n, typ(n)) for n in ROW_FIELDS[record_type]])


def write_parquet(
    rows: Iterable[Mapping[str, Any]],
    dest: str | os.PathLike[str] | IO[bytes],
    record_type: str,
    *,
    batch_rows: int = 10_000,
) -> int:
    """Write flat rows of ``record_type`` to a Parquet file (path or binary file), in batches."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema(record_type)
    n = 0
    with pq.ParquetWriter(dest, schema) as writer:
        batch: list[Mapping[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or not n:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


# -- all together ----------------------------------------------------------------------------


def format_for_path(path: str | os.PathLike[str]) -> str | None:
    """The format a file name's suffix asks for (``.csv``, ``.json``, ``.parquet``/``.pq``,
    ``.geojson``), or None."""
    return _SUFFIXES.get(os.path.splitext(os.fspath(path))[1].lower())


def check_format(fmt: str, record_type: str) -> str:
    """``fmt`` lower-cased, if it is a known format that applies to ``record_type``.

    Raises:
        QueryError: otherwise.
    """
    low = fmt.lower()
    if low not in FORMATS:
        raise QueryError(f"format={fmt!r} is not known; use one of {', '.join(FORMATS)}")
    _check_type(record_type)
    if low == "geojson" and record_type not in GEO_TYPES:
        raise QueryError(
            "GeoJSON export is for projects and resolved projects (they have a region); "
            "use csv or json for others"
        )
    return low


def _write(store: Store, bq: BrowseQuery, fmt: str, fp: IO[Any], record_type: str) -> int:
    rt = record_type
    if fmt == "json":
        return write_json(iter_objects(store, bq, rt), fp)
    if fmt == "csv":
        return write_csv(iter_rows(store, bq, rt), fp, ROW_FIELDS[rt])
    if fmt == "geojson":
        return write_geojson(iter_rows(store, bq, rt), fp)
    return write_parquet(iter_rows(store, bq, rt), fp, rt)


def export(
    store: Store,
    out: str | os.PathLike[str] | IO[Any],
    record_type: str = "project",
    fmt: str | None = None,
    filters: Mapping[str, Any] | None = None,
    *,
    sort: str = "id",
    limit: int | None = None,
) -> int:
    """Write the records (or resolved projects) matching ``filters`` to ``out``; returns how many.

    Args:
        out: a path (written to ``PATH.part`` and renamed when complete), or an open file: text
            for csv, json and geojson (csv: opened with ``newline=""``), binary for parquet.
        fmt: csv, json, parquet or geojson; default: from the suffix of a path, else csv.
        sort: a sort key of the type (``id``, ``amount``, ...; ``-`` in front for descending).
        limit: at most this many rows (None: all).

    Raises:
        QueryError: an unknown type or format, GeoJSON for trade or events, a bad filter.
    """
    if fmt is None:
        guessed = format_for_path(out) if isinstance(out, str | os.PathLike) else None
        fmt = guessed or "csv"
    fmt = check_format(fmt, record_type)
    bq = browse_query(record_type, filters, sort=sort, limit=limit)
    if not isinstance(out, str | os.PathLike):
        return _write(store, bq, fmt, out, record_type)
    path = os.fspath(out)
    part = path + ".part"
    try:
        if fmt == "parquet":
            with open(part, "wb") as bfp:
                n = _write(store, bq, fmt, bfp, record_type)
        else:
            with open(part, "w", encoding="utf-8", newline="") as tfp:
                n = _write(store, bq, fmt, tfp, record_type)
        os.replace(part, path)
    except BaseException:
        if os.path.exists(part):
            os.remove(part)
        raise
    return n
