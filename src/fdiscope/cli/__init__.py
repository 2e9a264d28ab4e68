"""The ``fdiscope`` command: a thin shell over the library.

Each sub-command lives in its own module and registers itself on :data:`main`.
"""

from __future__ import annotations

import logging
import sys

import click

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
@click.version_option(package_name="fdiscope")
def main(verbose: int) -> None:
    """fdiscope: investment projects, trade figures and events from news, with evidence."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


def _register() -> None:
    # Imported for their side effect: each module adds its commands to ``main``.
    import importlib

    for name in (
        "cmd_extract",
        "cmd_eval",
        "cmd_ingest",
        "cmd_query",
        "cmd_serve",
        "cmd_project",
        "cmd_export",
    ):
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a command module not written yet
            if exc.name != f"{__name__}.{name}":
                raise


_register()
