"""``fdiscope serve``: the HTTP API (OpenAPI at /docs) and the dashboard, served by uvicorn."""

from __future__ import annotations

import os

import click

from ..store import StoreError
from . import main
from .cmd_ingest import db_option

__all__ = ["serve"]


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@click.option(
    "--token",
    envvar="FDISCOPE_TOKEN",
    default=None,
    help="Bearer token that enables write endpoints (env FDISCOPE_TOKEN); without it the server is read-only.",
)
@click.option("--max-page-size", default=500, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--max-body-bytes", default=1_000_000, show_default=True, type=click.IntRange(1))
def serve(db: str, host: str, port: int, token: str | None, max_page_size: int, max_body_bytes: int) -> None:
    """Serve the API and dashboard over the database --db."""
    import uvicorn

    from ..web import WebSettings, create_app

    if db != ":memory:" and not db.startswith("sqlite:") and not os.path.exists(db):
        raise click.ClickException(f"no database at {db}; create it with `fdiscope ingest PATH --db {db}`")
    try:
        app = create_app(
            db,
            token=token or None,
            settings=WebSettings(max_page_size=max_page_size, max_body_bytes=max_body_bytes),
        )
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    mode = "writes enabled (bearer token)" if token else "read-only"
    click.echo(f"fdiscope: serving {db} on http://{host}:{port}/ ({mode}); API docs at /docs", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
