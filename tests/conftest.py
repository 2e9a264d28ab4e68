"""Shared pytest fixtures (generic: a fresh store, a database path, a CLI runner)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from fdiscope.store import Store

#: Where .ci/setup-postgres.sh starts its server; tried when FDISCOPE_TEST_PG_URL is not set.
DEFAULT_TEST_PG_URL = "postgresql://fdiscope:fdiscope@127.0.0.1:55432/fdiscope_test"
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


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


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """A reachable PostgreSQL database: $FDISCOPE_TEST_PG_URL, else the local test server.

    Skipped when none is reachable, except in CI (CI set), where that is a failure.
    """
    url = os.environ.get("FDISCOPE_TEST_PG_URL") or DEFAULT_TEST_PG_URL
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
            # Once, in public: every test schema's full-text functions use it from there.
            conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
    except Exception as exc:
        message = (
            f"no PostgreSQL server at {url.split('@')[-1]} ({type(exc).__name__}); "
            "start one with `export FDISCOPE_TEST_PG_URL=$(bash .ci/setup-postgres.sh)`"
        )
        if IN_CI:
            pytest.fail("CI must test the PostgreSQL store: " + message)
        pytest.skip(message)
    return url


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A URL to an empty schema of its own in the test PostgreSQL database, dropped afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in pg_server_url else "?"
    try:
        yield f"{pg_server_url}{sep}options=-csearch_path%3D{schema},public"
    finally:
        with psycopg.connect(pg_server_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
