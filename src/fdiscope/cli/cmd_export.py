"""``fdiscope export``: records or resolved projects to CSV, JSON, Parquet or GeoJSON.

A thin shell over :mod:`fdiscope.export`: the options become a checked query, the rows are
written to a file (or stdout) as they are read.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import click

from .. import export as ex
from .. import service
from ..store import DEFAULT_DB, QueryError, Store, StoreError
from ..store.dialect import is_postgres_url
from . import main

__all__ = ["export_cmd", "OPTION_NAMES"]

#: filter name (fdiscope.export.FILTERS, the /api/export parameters) -> command-line option
OPTION_NAMES = {
    "country": "--country",
    "investor_country": "--investor-country",
    "region": "--region",
    "partner": "--partner",
    "sector": "--sector",
    "kind": "--kind",
    "status": "--status",
    "flow": "--flow",
    "currency": "--currency",
    "amount_min": "--amount-min",
    "amount_max": "--amount-max",
    "date_from": "--since",
    "date_to": "--until",
    "period_from": "--period-from",
    "period_to": "--period-to",
    "q": "--q",
}


def _open_db(db: str) -> Store:
    """The existing database ``db`` (a path, ``sqlite:///path`` or a PostgreSQL URL)."""
    if not is_postgres_url(db):
        path = re.sub(r"^sqlite:///?", "", db)
        if path and path != ":memory:" and not os.path.exists(path):
            raise click.ClickException(
                f"no database at {db}; create it with `fdiscope ingest PATH --db {db}`"
            )
    try:
        return service.open_store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _option_message(message: str) -> str:
    """A library message about ``date_from=...`` reworded with the option name (``--since=...``)."""
    m = re.match(r"(\w+)(?=[= ])", message)
    names = {**OPTION_NAMES, "sort": "--sort", "limit": "--limit"}
    if m and m.group(1) in names:
        message = names[m.group(1)] + message[m.end() :]
    return message


@main.command("export")
@click.option(
    "--db",
    "db",
    metavar="PATH|URL",
    envvar="FDISCOPE_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="Database: SQLite file, sqlite:///path or postgresql:// URL (env FDISCOPE_DB).",
)
@click.option(
    "--type",
    "record_type",
    type=click.Choice(ex.RECORD_TYPES),
    default="project",
    show_default=True,
    help="Per-document records (project, trade, event), or across documents: resolved projects, "
    "trade figures, resolved events.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(ex.FORMATS, case_sensitive=False),
    help="Default: from the suffix of -o (.csv .json .parquet .geojson), else csv.",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (default: stdout; '-' is stdout too).")
@click.option("--country", metavar="CC", help="Host country (projects), reporter or partner (trade), CC,CC.")
@click.option("--investor-country", metavar="CC", help="An investor's country (projects).")
@click.option("--region", metavar="CODE", help="Host region (projects) or reporter (trade), e.g. RU-KLU.")
@click.option("--partner", metavar="CC", help="Trade partner country.")
@click.option("--sector", help="Sector, e.g. automotive (comma-separated for several).")
@click.option("--kind", help="Project kind (greenfield, ...) or event kind (forum, ...).")
@click.option("--status", help="Project status, e.g. agreement.")
@click.option("--flow", help="Trade flow: turnover, exports or imports.")
@click.option("--currency", metavar="CUR", help="Only amounts stated in this ISO 4217 currency.")
@click.option("--amount-min", type=float, help="Smallest amount (records: stated currency; resolved: USD).")
@click.option("--amount-max", type=float, help="Largest amount.")
@click.option(
    "--since",
    "date_from",
    metavar="YYYY[-MM[-DD]]",
    help="Published on or after (events: held; resolved: last reported on or after).",
)
@click.option(
    "--until", "date_to", metavar="YYYY[-MM[-DD]]", help="Published (held, first reported) on or before."
)
@click.option("--period-from", metavar="PERIOD", help="Trade period from: YYYY, YYYY-MM, YYYY-H1, YYYY-Q3.")
@click.option("--period-to", metavar="PERIOD", help="Trade period to.")
@click.option("--q", "q", metavar="TEXT", help="Only documents containing all these words.")
@click.option("--sort", default="id", show_default=True, help="Sort key (id, amount, ...; - for descending).")
@click.option(
    "--limit", type=click.IntRange(min=0), default=0, show_default=True, help="At most N rows (0: all)."
)
def export_cmd(
    db: str,
    record_type: str,
    fmt: str | None,
    output: str | None,
    sort: str,
    limit: int,
    **options: Any,
) -> None:
    """Export records or resolved projects as CSV, JSON, Parquet or GeoJSON.

    \b
    Examples:
      fdiscope export --type resolved -o projects.parquet
      fdiscope export --region RU-KLU --format geojson > kaluga.geojson
      fdiscope export --type trade --flow turnover --period-from 2024 -o trade.csv

    GeoJSON (project and resolved) places each project at the administrative centre of its host
    region, or at the capital of its host country (approximate points).
    """
    to_stdout = output in (None, "-")
    if fmt is None:
        guessed = None if to_stdout else ex.format_for_path(output or "")
        if guessed is None and not to_stdout:
            raise click.UsageError(
                f"cannot tell the format from the file name {output!r}; "
                f"give --format {'|'.join(ex.FORMATS)} (or a .csv/.json/.parquet/.geojson name)"
            )
        fmt = guessed or "csv"
    fmt = fmt.lower()
    if fmt == "parquet" and to_stdout:
        raise click.UsageError("Parquet is binary and is not written to stdout; give -o FILE.parquet")
    filters = {key: val for key, val in options.items() if val is not None}
    for key in filters:
        if key not in ex.FILTERS[record_type]:
            usable = ", ".join(OPTION_NAMES[k] for k in ex.FILTERS[record_type])
            raise click.UsageError(
                f"{OPTION_NAMES[key]} does not apply to --type {record_type}; use {usable}"
            )
    try:
        ex.check_format(fmt, record_type)
        ex.browse_query(record_type, filters, sort=sort, limit=limit or None)  # checks every value
    except QueryError as exc:
        raise click.UsageError(_option_message(str(exc))) from exc
    with _open_db(db) as store:
        if record_type == "resolved" and ex.needs_resolution(store):
            click.echo("resolving projects first (never done on this database)", err=True)
        try:
            if to_stdout:
                stream = sys.stdout
                ex.export(store, stream, record_type, fmt, filters, sort=sort, limit=limit or None)
                stream.flush()
                return
            try:
                n = ex.export(store, output or "", record_type, fmt, filters, sort=sort, limit=limit or None)
            except OSError as exc:
                raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
        except QueryError as exc:
            raise click.UsageError(_option_message(str(exc))) from exc
    what = "resolved projects" if record_type == "resolved" else f"{record_type} records"
    click.echo(f"wrote {n} {what} to {output} ({fmt})", err=True)
