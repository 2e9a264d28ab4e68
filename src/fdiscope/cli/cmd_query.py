"""``fdiscope projects|trade|events|show``: query the database."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import click

from .. import service
from ..model import TRADE_FLOWS, Evidence, ProjectRecord
from ..store import QueryError, RecordFilter, RecordNotFound, Store, StoredRecord, StoreError
from . import main
from .cmd_ingest import db_option

__all__ = ["projects", "trade", "events", "show", "format_table"]

F = TypeVar("F", bound=Callable[..., Any])

TITLE_WIDTH = 40

_region_option = click.option("--region", metavar="CODE", help="ISO 3166-2 region code, e.g. RU-KLU.")


def _open_existing(db: str) -> Store:
    if db != ":memory:" and not os.path.exists(db):
        raise click.ClickException(f"no database at {db}; create it with `fdiscope ingest PATH --db {db}`")
    try:
        return service.open_store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _filter_options(extra: Sequence[Callable[[Any], Any]]) -> Callable[[F], F]:
    """The options every listing command has, with ``extra`` (type-specific ones) in the middle."""
    common: list[Callable[[Any], Any]] = [
        db_option,
        click.option("--country", metavar="CC", help="ISO 3166-1 alpha-2 country code, e.g. CN."),
        *extra,
        click.option("--since", metavar="YYYY[-MM[-DD]]", help="Only documents published on or after."),
        click.option("--q", "q", metavar="TEXT", help="Only documents containing all these words."),
        click.option("--limit", type=int, default=100, show_default=True, help="At most N rows (0: all)."),
        click.option("--json", "as_json", is_flag=True, help="One JSON object per line instead of a table."),
    ]

    def deco(func: F) -> F:
        decorated: Any = func
        for option in reversed(common):
            decorated = option(decorated)
        return cast(F, decorated)

    return deco


def _truncate(value: str | None, width: int) -> str:
    if not value:
        return ""
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1] + "…"


def _num(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}".replace(",", " ") if isinstance(value, int) else f"{value:g}"


def _amount(rec: ProjectRecord) -> str:
    if not rec.amount or rec.amount.get("value") is None:
        return ""
    return f"{_num(rec.amount['value'])} {rec.amount.get('currency') or ''}".strip()


def _row(item: StoredRecord) -> list[str]:
    rec = item.record
    title = _truncate(item.doc_title, TITLE_WIDTH)
    if item.type == "project":
        assert isinstance(rec, ProjectRecord)
        return [
            str(item.id),
            _truncate(", ".join(rec.investors), 30),
            ",".join(rec.investor_countries),
            rec.host_region or rec.host_country or "",
            rec.sector or "",
            rec.kind or "",
            rec.status or "",
            _amount(rec),
            _num(rec.jobs),
            title,
        ]
    if item.type == "trade":
        d = rec.to_dict()
        return [
            str(item.id),
            d["reporter"] or "",
            d["partner"] or "",
            d["flow"] or "",
            d["period"] or "",
            _num(d["value"]),
            d["currency"] or "",
            _num(d["change_pct"]),
            _num(d["share_pct"]),
            title,
        ]
    d = rec.to_dict()
    return [
        str(item.id),
        _truncate(d["name"], 40),
        d["kind"] or "",
        d["date"] or "",
        d["city"] or "",
        d["country"] or "",
        title,
    ]


_HEADERS: dict[str, list[str]] = {
    "project": [
        "id",
        "investors",
        "countries",
        "region",
        "sector",
        "kind",
        "status",
        "amount",
        "jobs",
        "document",
    ],
    "trade": ["id", "reporter", "partner", "flow", "period", "value", "cur", "change%", "share%", "document"],
    "event": ["id", "name", "kind", "date", "city", "country", "document"],
}
_RIGHT = {"id", "amount", "jobs", "value", "change%", "share%"}


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Plain-text table with columns padded to their widest cell (numbers right-aligned)."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if h in _RIGHT else c.ljust(w) for c, w, h in zip(cells, widths, headers, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)


def _run_query(record_type: str, db: str, as_json: bool, filters: dict[str, Any]) -> None:
    try:
        flt = RecordFilter(**filters)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from exc
    with _open_existing(db) as store:
        try:
            items = service.list_records(store, record_type, flt)
        except QueryError as exc:
            raise click.UsageError(str(exc)) from exc
    if as_json:
        for item in items:
            click.echo(json.dumps(item.to_dict(), ensure_ascii=False))
        return
    if not items:
        click.echo(f"no {record_type} records match", err=True)
        return
    click.echo(format_table(_HEADERS[record_type], [_row(i) for i in items]))


@main.command("projects")
@_filter_options(
    [
        _region_option,
        click.option("--sector", help="Sector, e.g. automotive."),
        click.option("--status", help="Status, e.g. agreement."),
        click.option("--kind", help="Kind, e.g. greenfield."),
    ]
)
def projects(db: str, as_json: bool, **filters: Any) -> None:
    """List investment projects (--country matches host or investor country)."""
    _run_query("project", db, as_json, filters)


@main.command("trade")
@_filter_options(
    [
        _region_option,
        click.option("--flow", type=click.Choice(list(TRADE_FLOWS))),
        click.option(
            "--figures",
            is_flag=True,
            help="One row per figure (reporter, partner, flow, period) across documents, "
            "with the values sources disagree on.",
        ),
        click.option("--disputed", is_flag=True, help="With --figures: only figures whose sources disagree."),
    ]
)
def trade(db: str, as_json: bool, figures: bool, disputed: bool, **filters: Any) -> None:
    """List trade figures (--country matches reporter or partner, regions included)."""
    if figures or disputed:
        _run_figures(db, as_json, disputed, filters)
    else:
        _run_query("trade", db, as_json, filters)


def _emitted_json_or_nothing(rows: list[dict[str, Any]], as_json: bool, empty: str) -> bool:
    """Print ``rows`` as JSON lines (``--json``), or say ``empty`` when there are none; True
    when that is all there is to print (else the caller prints its table)."""
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return True
    if not rows:
        click.echo(empty, err=True)
        return True
    return False


def _disagreeing(conflict: dict[str, Any]) -> str:
    value = conflict["value"]
    if isinstance(value, dict):
        value = f"{_field_value(value['value'])} {value['currency'] or ''}".strip()
    return f"{conflict['field']} {_field_value(value)} ({', '.join(conflict['claims'])})"


def _run_figures(db: str, as_json: bool, disputed: bool, filters: dict[str, Any]) -> None:
    from ..store.browse import BrowseQuery, trade_figures

    limit = filters.pop("limit", 100)
    since = filters.pop("since", None)
    wanted = {k: v for k, v in filters.items() if v not in (None, "")}
    try:
        bq = BrowseQuery(record_type="trade", **wanted)
        with _open_existing(db) as store:
            figures = trade_figures(store, bq, published_from=since)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from exc
    if disputed:
        figures = [f for f in figures if f.conflicts]
    if limit:
        figures = figures[:limit]
    rows = [f.to_dict() for f in figures]
    if _emitted_json_or_nothing(rows, as_json, "no trade figures match"):
        return
    table = [
        [
            r["reporter"], r["partner"] or "", r["flow"] or "", r["period"],
            "" if r["value"] is None else f"{_field_value(r['value'])} {r['currency'] or ''}".strip(),
            _field_value(r["change_pct"]) if r["change_pct"] is not None else "",
            str(r["sources"]),
            "; ".join(_disagreeing(c) for c in r["conflicts"]),
        ]
        for r in rows
    ]  # fmt: skip
    headers = ["reporter", "partner", "flow", "period", "value", "change %", "sources", "disagreeing"]
    click.echo(format_table(headers, table))


@main.command("events")
@_filter_options(
    [
        click.option("--kind", help="Kind, e.g. forum."),
        click.option(
            "--resolved",
            is_flag=True,
            help="One row per event across documents (the forum many articles report), with its records.",
        ),
    ]
)
def events(db: str, as_json: bool, resolved: bool, **filters: Any) -> None:
    """List forums, meetings, visits, signings and exhibitions."""
    if resolved:
        _run_gathered(db, as_json, filters)
    else:
        _run_query("event", db, as_json, filters)


def _run_gathered(db: str, as_json: bool, filters: dict[str, Any]) -> None:
    from ..store.browse import BrowseQuery, gathered_events

    limit = filters.pop("limit", 100)
    since = filters.pop("since", None)
    wanted = {k: v for k, v in filters.items() if v not in (None, "")}
    try:
        bq = BrowseQuery(record_type="event", **wanted)
        with _open_existing(db) as store:
            rows = [e.to_dict() for e in gathered_events(store, bq, published_from=since)]
    except QueryError as exc:
        raise click.UsageError(str(exc)) from exc
    rows.sort(key=lambda e: e["date"] or "", reverse=True)
    if limit:
        rows = rows[:limit]
    if _emitted_json_or_nothing(rows, as_json, "no events match"):
        return
    table = [
        [e["date"] or "", e["kind"] or "", _truncate(e["name"], 50), e["city"] or "", str(e["documents"]),
         " ".join(e["claims"])]
        for e in rows
    ]  # fmt: skip
    click.echo(format_table(["date", "kind", "name", "city", "documents", "records"], table))


def _quote_lines(label: str, text: str, ev: Evidence) -> list[str]:
    return [f"  {label}:", f"    {service.mark_span(text, ev.start, ev.end)}", f"    [{ev.start}:{ev.end}]"]


def _field_value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "-"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@main.command("show")
@click.argument("ref")
@db_option
def show(ref: str, db: str) -> None:
    """Show one record with its evidence: REF is project:12, trade:3, event:5 (or p12, t3, e5).

    Each value read from the text is shown in its sentence, with the span marked »like this«.
    """
    with _open_existing(db) as store:
        try:
            item = service.get_record(store, ref)
        except QueryError as exc:
            raise click.UsageError(str(exc)) from exc
        except RecordNotFound as exc:
            raise click.ClickException(str(exc)) from exc
        doc = service.get_document(store, item.doc_id)
    rec = item.record
    lines = [f"{item.ref}"]
    for name in type(rec).FIELDS:
        lines.append(f"  {name + ':':<20}{_field_value(getattr(rec, name))}")
    lines.append("")
    lines.append(f"document {doc.id}: {doc.title or '(untitled)'}")
    for label, value in (("url", doc.url), ("published", doc.published), ("source", doc.source)):
        if value:
            lines.append(f"  {label}: {value}")
    if rec.evidence is not None or rec.provenance:
        lines.append("")
        lines.append("evidence")
        if rec.evidence is not None:
            lines += _quote_lines("record", doc.text, rec.evidence)
        for name, ev in sorted(rec.provenance.items()):
            lines += _quote_lines(name, doc.text, ev)
    click.echo("\n".join(lines))
