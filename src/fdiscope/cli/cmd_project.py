"""``fdiscope resolve|entities|project|merge|split|correct|undo|corrections``: resolved projects.

A thin shell over :mod:`fdiscope.resolve`: every command opens the database, calls one library
function and prints its result.
"""

from __future__ import annotations

import json
import os
from typing import Any

import click

from .. import resolve, service
from ..store import Store, StoreError
from . import main
from .cmd_ingest import db_option

__all__ = [
    "resolve_cmd",
    "entities_cmd",
    "project_cmd",
    "merge_cmd",
    "split_cmd",
    "correct_cmd",
    "undo_cmd",
    "reextract_cmd",
    "corrections_cmd",
]


def _open(db: str) -> Store:
    if db != ":memory:" and not os.path.exists(db):
        raise click.ClickException(f"no database at {db}; create it with `fdiscope ingest PATH --db {db}`")
    try:
        return service.open_store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _usd(value: float | None) -> str:
    return "" if value is None else f"${value / 1e6:,.1f}M"


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "-"
    if isinstance(value, dict) and "currency" in value:
        usd = value.get("usd")
        val = value.get("value")
        text = f"{val:,.0f} {value.get('currency')}" if isinstance(val, int | float) else str(val)
        if usd:
            text += f" = {_usd(usd['usd'])} (rate {usd['rate_per_usd']:g}/USD, {usd['rate_period']})"
        return text
    return str(value)


_stale_option = click.option(
    "--stale-years",
    type=float,
    default=2.0,
    show_default=True,
    help="No news for this many years after the last status marks a project stale.",
)
_as_of_option = click.option(
    "--as-of", metavar="YYYY-MM-DD", help="Date staleness is measured at (default: newest document)."
)


@main.command("resolve")
@db_option
@_stale_option
@_as_of_option
@click.option(
    "--threshold", type=float, default=0.6, show_default=True, help="Pair score that links two claims."
)
def resolve_cmd(db: str, stale_years: float, as_of: str | None, threshold: float) -> None:
    """Group project claims from all documents into projects (re-runnable; keeps ids and corrections)."""
    settings = resolve.Settings(threshold=threshold, stale_years=stale_years)
    with _open(db) as store:
        report = resolve.resolve_store(store, settings, as_of=as_of)
    click.echo(report.summary())


@main.command("entities")
@db_option
@click.option("--country", metavar="CC")
@click.option("--region", metavar="CODE")
@click.option("--sector")
@click.option("--status")
@click.option("--investor", help="Investor name in any script (Haier, Хайер).")
@click.option("--stale/--not-stale", default=None, help="Only stale (or only not stale) projects.")
@click.option("--limit", type=int, default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def entities_cmd(db: str, as_json: bool, limit: int, **filters: Any) -> None:
    """List resolved projects, most recently reported first."""
    with _open(db) as store:
        rows = resolve.list_entities(store, limit=limit, **filters)
    if as_json:
        for r in rows:
            click.echo(json.dumps(r.to_dict(), ensure_ascii=False))
        return
    if not rows:
        click.echo("no projects; run `fdiscope resolve` after ingesting", err=True)
        return
    click.echo(
        f"{'id':>5}  {'name':<28} {'region':<8} {'status':<13} {'since':<10} {'USD':>10} docs src stale"
    )
    for r in rows:
        click.echo(
            f"{r.id:>5}  {(r.name or '')[:28]:<28} {r.host_region or '':<8} {r.status or '':<13} "
            f"{(r.status_date or '')[:10]:<10} {_usd(r.amount_usd):>10} {r.n_documents:>4} {r.n_sources:>3} "
            f"{'yes' if r.stale else ''}"
        )


@main.command("project")
@click.argument("entity_id", type=int)
@db_option
@click.option("--history", is_flag=True, help="Show dated status transitions with evidence.")
@click.option("--claims", is_flag=True, help="Show every claim (record) behind the project.")
@click.option("--json", "as_json", is_flag=True)
def project_cmd(entity_id: int, db: str, history: bool, claims: bool, as_json: bool) -> None:
    """Show one resolved project: canonical values with the claims behind each."""
    with _open(db) as store:
        try:
            view = resolve.get_entity(store, entity_id)
        except resolve.EntityNotFound as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(view.to_dict(), ensure_ascii=False, indent=2))
        return
    head = f"project {view.id}" + (f" (merged from {view.redirected_from})" if view.redirected_from else "")
    lines = [head + (f": {_what(view.object, view.phase)}" if view.object or view.phase > 1 else "")]
    for name, fv in view.fields.items():
        extra = f" [{fv['date']}]" if fv.get("date") else ""
        refs = ", ".join(fv.get("claims", [])[:6]) + (" …" if len(fv.get("claims", [])) > 6 else "")
        lines.append(f"  {name + ':':<20}{_fmt(fv['value'])}{extra}  <- {refs or '-'}")
        for c in fv.get("conflicts", []):
            lines.append(f"  {'':<20}! conflicting: {_fmt(c['value'])} <- {', '.join(c['claims'])}")
        if fv.get("corrected_by") is not None:
            lines.append(f"  {'':<20}(machine value: {_fmt(fv.get('machine_value'))})")
    src = view.sources
    lines.append(
        f"  {'sources:':<20}{src.get('documents', 0)} documents, {src.get('independent', 0)} independent"
    )
    hist = view.history
    lines.append(
        f"  {'reported:':<20}{view.first_seen or '?'} .. {view.last_seen or '?'}"
        + ("  STALE" if hist.get("stale") else "")
    )
    for r in view.related:
        lines.append(
            f"  {'related:':<20}project {r['id']} {r['name']} [{_what(r.get('object'), r.get('phase', 1))}]"
            f" ({r['status']}, {r['host_region']})"
        )
    if history:
        lines.append("")
        lines.append("history")
        for t in hist.get("transitions", []):
            lines.append(f"  {t['date'] or '?':<12}{t['from'] or '-':>12} -> {t['status']:<13} {t['claim']}")
            if t.get("evidence"):
                lines.append(f"  {'':<12}«{t['evidence']}»")
    if claims:
        lines.append("")
        lines.append("claims")
        for c in view.claims:
            doc = c.get("document", {})
            lines.append(
                f"  {c['id']:<14}{(doc.get('published') or '')[:10]:<11}"
                f"{', '.join(c.get('investors') or []):<24}"
                f"{c.get('status') or '-':<13}{(doc.get('title') or '')[:40]}"
            )
    if view.corrections:
        lines.append("")
        lines.append("corrections")
        for corr in view.corrections:
            state = f"undone {corr['undone_at']}" if corr["undone_at"] else "active"
            what = corr["action"] + (f" {corr['field']}={_fmt(corr['value'])}" if corr["field"] else "")
            lines.append(f"  #{corr['id']} {what} ({state}, {corr['created_at']})")
    click.echo("\n".join(lines))


def _what(obj: str | None, phase: int) -> str:
    """ "washing machine", "auto glass, phase 2": what tells a company's projects apart."""
    parts = [(obj or "?").replace("_", " ")]
    if phase > 1:
        parts.append(f"phase {phase}")
    return ", ".join(parts)


def _report(cid: int, report: resolve.ResolveReport) -> None:
    click.echo(f"correction #{cid} recorded; {report.summary()}")


@main.command("merge")
@click.argument("a", type=int)
@click.argument("b", type=int)
@db_option
@click.option("--note")
@click.option("--author")
def merge_cmd(a: int, b: int, db: str, note: str | None, author: str | None) -> None:
    """Merge project B into project A (undo with `fdiscope undo ID`)."""
    with _open(db) as store:
        try:
            cid, report = resolve.merge_entities(store, a, b, note=note, author=author)
        except (resolve.EntityNotFound, resolve.CorrectionError) as exc:
            raise click.ClickException(str(exc)) from exc
    _report(cid, report)


@main.command("split")
@click.argument("entity_id", type=int)
@click.argument("claims", nargs=-1, required=True)
@db_option
@click.option("--note")
@click.option("--author")
def split_cmd(entity_id: int, claims: tuple[str, ...], db: str, note: str | None, author: str | None) -> None:
    """Move CLAIMS (project:12 or 12) out of project ENTITY_ID into a new project."""
    with _open(db) as store:
        try:
            cid, report = resolve.split_entity(store, entity_id, list(claims), note=note, author=author)
        except (resolve.EntityNotFound, resolve.CorrectionError) as exc:
            raise click.ClickException(str(exc)) from exc
    _report(cid, report)


@main.command("correct")
@click.argument("target")
@click.argument("field")
@click.argument("value")
@db_option
@click.option("--note")
@click.option("--author")
def correct_cmd(target: str, field: str, value: str, db: str, note: str | None, author: str | None) -> None:
    """Set FIELD of a project (TARGET: its id) or of one record (TARGET: trade:12, event:3,
    project:7) to VALUE by hand (amount: '1.5e9 RUB [DATE]'; status: 'operational [DATE]').

    A record's correction says what its source really states: trade figures and events
    across documents count the corrected value as that source's claim."""
    with _open(db) as store:
        if ":" in target:
            try:
                out = service.add_correction(
                    store, target, field, service.parse_field_value(field, value), note=note, author=author
                )
            except (service.QueryError, service.RecordNotFound) as exc:
                raise click.ClickException(str(exc)) from exc
            click.echo(f"correction #{out['id']}: {out['record']} {field} = {json.dumps(out['value'])}")
            return
        if not target.isdigit():
            raise click.ClickException(f"{target!r} is no project id and no record (trade:12)")
        try:
            cid, report = resolve.correct_entity(store, int(target), field, value, note=note, author=author)
        except (resolve.EntityNotFound, resolve.CorrectionError) as exc:
            raise click.ClickException(str(exc)) from exc
    _report(cid, report)


@main.command("undo")
@click.argument("correction_id", type=int)
@db_option
@click.option("--author")
def undo_cmd(correction_id: int, db: str, author: str | None) -> None:
    """Undo a correction (it stays in the audit log, marked undone)."""
    with _open(db) as store:
        try:
            corr, report = resolve.undo_correction(store, correction_id, author=author)
        except resolve.CorrectionError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"correction #{corr.id} ({corr.action}) undone; {report.summary()}")


@main.command("reextract")
@click.argument("doc_ids", nargs=-1)
@db_option
def reextract_cmd(doc_ids: tuple[str, ...], db: str) -> None:
    """Extract stored documents again (all, or DOC_IDS) and re-resolve; old claims are kept.

    The previous records stay in the database, marked superseded; corrections are re-applied.
    """
    with _open(db) as store:
        n = resolve.reextract_documents(store, list(doc_ids) or None)
        report = resolve.resolve_store(store)
    click.echo(f"re-extracted {n} documents; {report.summary()}")


@main.command("corrections")
@click.argument("entity_id", type=int, required=False)
@db_option
@click.option("--log", "show_log", is_flag=True, help="Show the audit log instead.")
def corrections_cmd(entity_id: int | None, db: str, show_log: bool) -> None:
    """List human corrections (of one project, if given), or the audit log."""
    with _open(db) as store:
        if show_log:
            for row in resolve.correction_log(store):
                click.echo(
                    f"{row['at']}  #{row['correction_id']} {row['action']}: {row['detail']}"
                    f" ({row['author'] or '-'})"
                )
            return
        for c in resolve.list_corrections(store, entity_id):
            state = f"undone {c.undone_at}" if c.undone_at else "active"
            what = c.action + (f" {c.field}={_fmt(c.value)}" if c.field else "")
            click.echo(
                f"#{c.id} project {c.entity_id}{f' + {c.other_id}' if c.other_id else ''}: {what} ({state})"
            )
