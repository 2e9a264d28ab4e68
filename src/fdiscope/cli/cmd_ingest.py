"""``fdiscope ingest``: read files, folders and .jsonl files into the database."""

from __future__ import annotations

import sys

import click
from tqdm import tqdm

from .. import service
from ..sources import read_paths
from ..store import DEFAULT_DB, StoreError
from . import main

__all__ = ["ingest", "db_option", "PROGRESS_MIN_ITEMS"]

#: Show a progress bar for batches larger than this (and only when stderr is a terminal).
PROGRESS_MIN_ITEMS = 20

db_option = click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False),
    envvar="FDISCOPE_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="SQLite database file (env FDISCOPE_DB).",
)


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@db_option
def ingest(paths: tuple[str, ...], db: str) -> None:
    """Extract and store the documents in PATHS (.txt files, folders, .jsonl files).

    Folders are read recursively for .txt and .jsonl files.  Each bad item (empty, binary or
    undecodable file, malformed JSON line, extraction failure) is reported on stderr as
    "skip FILE[:LINE]: reason", recorded in the ingest_errors table, and the batch goes on.
    Documents already in the database (same text) are counted as duplicates and not changed.

    Exit status: 0 when no item failed, 1 when at least one item failed (the good ones are
    still stored), 2 on a usage error.
    """
    try:
        store = service.open_store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    with store:
        # Read everything first: the count decides whether a progress bar is worth showing.
        items = list(read_paths(paths))
        show = len(items) > PROGRESS_MIN_ITEMS and sys.stderr.isatty()
        with tqdm(total=len(items), file=sys.stderr, disable=not show, unit="doc") as bar:

            def on_item(outcome: service.ItemOutcome) -> None:
                if outcome.status == "failed":
                    line = f"skip {outcome.source}: {outcome.reason}"
                    if show:
                        tqdm.write(line, file=sys.stderr)
                    else:
                        click.echo(line, err=True)
                bar.update(1)

            report = service.ingest_documents(store, items, on_item=on_item)
    click.echo(report.summary())
    if not report.ok:
        click.get_current_context().exit(1)
