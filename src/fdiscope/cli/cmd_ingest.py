"""``fdiscope ingest``: read files, folders, feeds, JSONL dumps, URLs and stdin into the database."""

from __future__ import annotations

import sys
from typing import Any

import click
from tqdm import tqdm

from .. import service
from ..ingest import DEFAULT_MAX_BYTES
from ..store import DEFAULT_DB, StoreError
from . import main

__all__ = ["ingest", "db_option", "PROGRESS_DELAY_S"]

#: The progress bar appears only when a run takes longer than this (and stderr is a terminal).
PROGRESS_DELAY_S = 1.0

db_option = click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False),
    envvar="FDISCOPE_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="SQLite database file (env FDISCOPE_DB).",
)


def _size(n: int | None) -> str:
    return "-" if n is None else f"{n:,} B"


def _dry_run(sources: tuple[str, ...], options: dict[str, Any]) -> int:
    plans = service.plan_sources(sources, **options)
    docs: dict[str, int] = {}
    failed = 0
    for plan in plans:
        for err in plan.errors:
            click.echo(f"skip {err}", err=True)
        failed += len(plan.errors)
        if plan.kind == "missing":
            continue
        langs = ", ".join(f"{lang} {n}" for lang, n in sorted(plan.languages.items())) or "no documents"
        click.echo(f"{plan.source}\t{plan.format or '-'}\t{_size(plan.size)}\t{langs}")
        for lang, n in plan.languages.items():
            docs[lang] = docs.get(lang, 0) + n
    by_lang = ", ".join(f"{lang} {n}" for lang, n in sorted(docs.items()))
    inputs = sum(p.kind != "missing" for p in plans)
    click.echo(
        f"dry run: {inputs} inputs, {sum(docs.values())} documents"
        + (f" ({by_lang})" if by_lang else "")
        + f", failed {failed}; nothing written"
    )
    return 1 if failed else 0


@main.command("ingest")
@click.argument("sources", nargs=-1, type=str)
@click.option(
    "--urls",
    "url_lists",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="A file of URLs to fetch, one a line (# comments allowed). Repeatable.",
)
@click.option(
    "--follow", is_flag=True, help="For RSS/Atom feeds, fetch and extract the page each item links to."
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="List what would be read (source, format, size, languages); write nothing.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Largest file, HTTP response or JSON line accepted.",
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal)."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Extract on N local worker processes (streamed in partitions; each worker writes its "
    "partitions, in input order).",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    default=None,
    help="Extract on a Dask scheduler (tcp://HOST:8786; this process writes) or 'local': a "
    "LocalCluster of --workers whose workers write.",
)
@db_option
def ingest(
    sources: tuple[str, ...],
    url_lists: tuple[str, ...],
    follow: bool,
    dry_run: bool,
    max_bytes: int,
    progress: bool | None,
    workers: int | None,
    dask_address: str | None,
    db: str,
) -> None:
    """Extract and store the documents in SOURCES: files, folders, URLs, or - for stdin.

    Formats are recognised by content: plain text, HTML pages, RSS/Atom feeds (one document per
    item), JSON lines (schema v1.1 documents or {"text"|"html", "url", "title", "published"}).
    Folders are read recursively; any encoding (UTF-8/16, cp1251, koi8-r, ...) is decoded.

    Each bad item (empty, binary, undecodable, over --max-bytes, malformed JSON line, broken
    feed, failed fetch, extraction failure) is reported on stderr as "skip SOURCE: reason",
    recorded in the ingest_errors table, and the batch goes on.  Documents already stored are
    counted as duplicates and skipped before extraction, so re-running an interrupted batch
    resumes it.  Near-duplicates (the same story elsewhere) are stored and linked to the first
    copy; documents in languages other than English and Russian are stored, not extracted.

    Exit status: 0 when no item failed, 1 when at least one item failed (the good ones are
    still stored), 2 on a usage error.
    """
    if not sources and not url_lists:
        raise click.UsageError("give at least one file, folder, URL or - (stdin), or --urls FILE")
    options: dict[str, Any] = {
        "url_lists": url_lists,
        "follow": follow,
        "max_bytes": max_bytes,
    }
    if dry_run:
        click.get_current_context().exit(_dry_run(sources, options))
    try:
        store = service.open_store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    show = sys.stderr.isatty() if progress is None else progress
    with (
        store,
        tqdm(
            file=sys.stderr, disable=not show, unit="doc", delay=PROGRESS_DELAY_S if progress is None else 0
        ) as bar,
    ):
        counts = {"stored": 0, "dup": 0, "failed": 0}

        def on_item(outcome: service.ItemOutcome) -> None:
            if outcome.status == "failed":
                line = f"skip {outcome.source}: {outcome.reason}"
                if show:
                    tqdm.write(line, file=sys.stderr)
                else:
                    click.echo(line, err=True)
            key = {"ingested": "stored", "duplicate": "dup"}.get(outcome.status, "failed")
            counts[key] += 1
            bar.set_postfix(counts, refresh=False)
            bar.update(1)

        if workers or dask_address:  # scale-out path: fdiscope.scale
            from ..scale import ScaleError, ingest_scaled_sources

            try:
                report = ingest_scaled_sources(
                    store, sources, workers=workers, dask=dask_address, on_item=on_item, **options
                )
            except ScaleError as exc:
                raise click.ClickException(str(exc)) from exc
        else:
            report = service.ingest_sources(store, sources, on_item=on_item, **options)
    click.echo(report.summary())
    if not report.ok:
        click.get_current_context().exit(1)
