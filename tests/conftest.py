"""Shared pytest fixtures (generic: a fresh store, a database path, a CLI runner)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from fdiscope.store import Store


@pytest.fixture
def store() -> Iterator[Store]:
    """A fresh in-memory store, closed after the test."""
    with Store(":memory:") as s:
        yield s


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a database file that does not exist yet."""
    return tmp_path / "test.db"


@pytest.fixture
def runner() -> CliRunner:
    """A click test runner (stdout and stderr are kept apart)."""
    return CliRunner()


@pytest.fixture(autouse=True)
def _no_default_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never let a test touch a real ./fdiscope.db or a developer's FDISCOPE_DB."""
    monkeypatch.setenv("FDISCOPE_DB", str(tmp_path / "default.db"))
