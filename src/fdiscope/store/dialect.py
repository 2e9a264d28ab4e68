"""One store, two engines: the SQL dialect layer between the Store and SQLite or PostgreSQL.

The store and its migrations are written in the SQLite dialect.  For PostgreSQL,
:class:`PgConnection` wraps a psycopg connection so that it *behaves like* an ``sqlite3``
connection in the ways the store relies on, and rewrites each statement once (cached):

- ``?`` placeholders become ``%s`` (and a literal ``%`` becomes ``%%``);
- ``INSERT OR IGNORE`` becomes ``INSERT ... ON CONFLICT DO NOTHING``;
- ``INSERT`` into a table with a serial ``id`` gets ``RETURNING id``, so ``cursor.lastrowid`` works;
- ``documents_fts MATCH ?`` becomes a ``tsvector @@ tsquery`` test on PostgreSQL's own full-text
  index (a GIN index over ``to_tsvector('simple', unaccent(...))``, see :data:`PG_MIGRATIONS`);
- ``json_each(x) j`` becomes ``json_array_elements_text(x::json) AS j(value)``;
- ``LIKE`` becomes ``ILIKE`` (SQLite's LIKE ignores ASCII case);
- DDL: ``INTEGER PRIMARY KEY`` -> ``BIGSERIAL PRIMARY KEY``, ``REAL`` -> ``DOUBLE PRECISION``,
  ``BLOB`` -> ``BYTEA``, and every table without a serial key gets a ``rowid`` column, so
  ``ORDER BY rowid`` keeps meaning "in insertion order";
- rows can be read by name or by position (like ``sqlite3.Row``), and psycopg errors are
  raised as the matching ``sqlite3`` exceptions, so ``except sqlite3.Error`` works for both.

A migration that cannot be translated statement by statement (an FTS5 virtual table, SQLite
trigger bodies) gets a PostgreSQL version under the same name in :data:`PG_MIGRATIONS`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

__all__ = [
    "PG_MIGRATIONS",
    "PgConnection",
    "Row",
    "is_postgres_url",
    "to_postgres",
    "connect_postgres",
]

_URL = re.compile(r"^postgres(ql)?(\+psycopg)?://", re.IGNORECASE)


def is_postgres_url(value: object) -> bool:
    """True for ``postgresql://...`` and ``postgres://...`` URLs.

    >>> is_postgres_url("postgresql://u@localhost/db"), is_postgres_url("x.db")
    (True, False)
    """
    return isinstance(value, str) and bool(_URL.match(value))


# -- statement translation -----------------------------------------------------------------

# Strings, quoted identifiers and comments are copied as they are; only code is rewritten.
_TOKENS = re.compile(r"('(?:[^']|'')*')|(\"(?:[^\"]|\"\")*\")|(--[^\n]*)|([^'\"-]+|-)", re.S)
_KEYWORDS = {"where", "join", "on", "group", "order", "limit", "left", "inner", "cross", "union", "having"}


def _json_each(m: re.Match[str]) -> str:
    arg, alias = m.group(1), m.group(2)
    if alias is None or alias.lower() in _KEYWORDS:
        return f"json_array_elements_text(({arg})::json) AS json_each(value)" + (f" {alias}" if alias else "")
    return f"json_array_elements_text(({arg})::json) AS {alias}(value)"


def _add_rowid(sql: str) -> str:
    """``CREATE TABLE`` without a serial key: add a ``rowid`` column (insertion order)."""
    m = re.match(r"\s*CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?[\w\"]+\s*\(", sql, re.I)
    if not m or re.search(r"\bBIGSERIAL\s+PRIMARY\s+KEY\b", sql, re.I):
        return sql
    depth, end = 0, -1
    for i in range(m.end() - 1, len(sql)):
        if sql[i] == "(":
            depth += 1
        elif sql[i] == ")":
            depth -= 1
            if depth == 0:
                end = i
                break
    if end < 0:
        return sql
    return sql[:end].rstrip() + ",\n    rowid BIGSERIAL" + sql[end:]


@lru_cache(maxsize=1024)
def to_postgres(sql: str) -> str:
    """The PostgreSQL form of one SQLite-dialect statement (see the module docstring).

    >>> to_postgres("INSERT OR IGNORE INTO t(a) VALUES (?)")
    'INSERT INTO t(a) VALUES (%s) ON CONFLICT DO NOTHING'
    >>> to_postgres("SELECT '?%' FROM t WHERE a LIKE ?")
    "SELECT '?%%' FROM t WHERE a ILIKE %s"
    """
    out: list[str] = []
    for lit, ident, _comment, code in _TOKENS.findall(sql):
        if lit:
            out.append(lit.replace("%", "%%"))
        elif ident:
            out.append(ident)
        elif code:
            code = code.replace("%", "%%").replace("?", "%s")
            code = re.sub(
                r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?\b", "BIGSERIAL PRIMARY KEY", code, flags=re.I
            )
            code = re.sub(r"\bREAL\b", "DOUBLE PRECISION", code)
            code = re.sub(r"\bBLOB\b", "BYTEA", code)
            code = re.sub(r"\bBEGIN\s+IMMEDIATE\b", "BEGIN", code, flags=re.I)
            code = re.sub(r"(?<!\w)(NOT\s+)?LIKE\b", lambda m: (m.group(1) or "") + "ILIKE", code, flags=re.I)
            code = re.sub(r"\bifnull\s*\(", "coalesce(", code, flags=re.I)
            code = re.sub(
                r"\bdocuments_fts\s+MATCH\s+%s", "documents_fts.tsv @@ fdiscope_tsquery(%s)", code, flags=re.I
            )
            out.append(code)
    sql = "".join(out)
    sql = re.sub(
        r"\bjson_each\s*\(([^()]*)\)(?:\s+(?:AS\s+)?(\w+))?",
        _json_each,
        sql,
        flags=re.I,
    )
    if re.match(r"\s*INSERT\s+OR\s+IGNORE\s+INTO\b", sql, re.I):
        sql = (
            re.sub(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", "INSERT INTO", sql, flags=re.I).rstrip().rstrip(";")
        )
        sql += " ON CONFLICT DO NOTHING"
    elif re.match(r"\s*INSERT\s+OR\s+REPLACE\b", sql, re.I):
        raise sqlite3.OperationalError(
            "INSERT OR REPLACE has no portable PostgreSQL form; use INSERT ... ON CONFLICT (key) DO UPDATE"
        )
    if re.match(r"\s*CREATE\s+TABLE\b", sql, re.I):
        sql = _add_rowid(sql)
    if re.match(r"\s*CREATE\s+(VIRTUAL\s+TABLE|TRIGGER)\b", sql, re.I):
        raise sqlite3.OperationalError(
            f"{sql.split('(')[0].strip()[:60]!r} is SQLite-only; give the migration a PostgreSQL "
            "version in fdiscope.store.dialect.PG_MIGRATIONS"
        )
    return sql


# -- rows, cursors, connection -------------------------------------------------------------


class Row(tuple):  # type: ignore[type-arg]
    """A result row readable by position or by column name, like ``sqlite3.Row``."""

    _names: dict[str, int]

    def __new__(cls, values: Sequence[Any], names: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], Row]:
    names = {c.name: i for i, c in enumerate(cursor.description or ())}
    return lambda values: Row(values, names)


def _as_sqlite_error(exc: Exception) -> sqlite3.Error:
    import psycopg

    text = str(exc).strip()
    if isinstance(exc, psycopg.IntegrityError):
        return sqlite3.IntegrityError(text)
    if isinstance(exc, psycopg.OperationalError | psycopg.ProgrammingError | psycopg.errors.SyntaxError):
        return sqlite3.OperationalError(text)
    return sqlite3.DatabaseError(text)


class PgCursor:
    """The parts of ``sqlite3.Cursor`` the store uses, over a psycopg cursor."""

    def __init__(self, cur: Any, returning_id: bool) -> None:
        self._cur = cur
        self._lastrowid: int | None = None
        if returning_id and cur.description is not None:
            row = cur.fetchone()
            self._lastrowid = int(row[0]) if row else None

    @property
    def rowcount(self) -> int:
        return int(self._cur.rowcount)

    @property
    def lastrowid(self) -> int | None:
        return self._lastrowid

    @property
    def description(self) -> Any:
        return self._cur.description

    def fetchone(self) -> Row | None:
        return self._cur.fetchone() if self._cur.description is not None else None  # type: ignore[no-any-return]

    def fetchall(self) -> list[Row]:
        return self._cur.fetchall() if self._cur.description is not None else []  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


class PgConnection:
    """A psycopg connection (autocommit; the store sends BEGIN/COMMIT itself) with an sqlite3 face."""

    dialect = "postgresql"

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self._serial_tables: set[str] | None = None

    def _serials(self) -> set[str]:
        if self._serial_tables is None:
            cur = self.raw.execute(
                "SELECT table_name FROM information_schema.columns WHERE column_name = 'id'"
                " AND column_default LIKE 'nextval%%' AND table_schema = ANY (current_schemas(false))",
                (),
            )
            self._serial_tables = {r[0] for r in cur.fetchall()}
        return self._serial_tables

    def _prepare(self, sql: str) -> tuple[str, bool]:
        pg = to_postgres(sql)
        head = pg.lstrip()[:12].upper()
        if head.startswith(("CREATE", "ALTER", "DROP")):
            self._serial_tables = None
        returning = False
        m = re.match(r"\s*INSERT\s+INTO\s+\"?(\w+)", pg, re.I)
        if m and " RETURNING " not in pg.upper() and m.group(1) in self._serials():
            pg += " RETURNING id"
            returning = True
        return pg, returning

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PgCursor:
        import psycopg

        pg, returning = self._prepare(sql)
        try:
            cur = self.raw.cursor(row_factory=_row_factory)
            cur.execute(pg, tuple(params))
        except psycopg.Error as exc:
            raise _as_sqlite_error(exc) from exc
        return PgCursor(cur, returning)

    def executemany(self, sql: str, seq: Iterator[Sequence[Any]] | Sequence[Sequence[Any]]) -> PgCursor:
        import psycopg

        pg = to_postgres(sql)
        try:
            cur = self.raw.cursor(row_factory=_row_factory)
            cur.executemany(pg, [tuple(p) for p in seq])
        except psycopg.Error as exc:
            raise _as_sqlite_error(exc) from exc
        return PgCursor(cur, False)

    def execute_raw(self, sql: str) -> None:
        """Run PostgreSQL SQL as it is (no translation, no placeholders)."""
        import psycopg

        try:
            self.raw.execute(sql)
        except psycopg.Error as exc:
            raise _as_sqlite_error(exc) from exc
        self._serial_tables = None

    def close(self) -> None:
        self.raw.close()


def connect_postgres(url: str) -> PgConnection:
    """Connect to a PostgreSQL database by URL.

    Raises:
        sqlite3.OperationalError: psycopg is not installed, or the server cannot be reached.
    """
    try:
        import psycopg
    except ImportError as exc:
        raise sqlite3.OperationalError(
            "a postgresql:// database needs psycopg; install it with: pip install 'fdiscope[scale]'"
        ) from exc
    url = re.sub(r"^postgres(ql)?\+psycopg://", "postgresql://", url)
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise sqlite3.OperationalError(str(exc).strip()) from exc
    return PgConnection(raw)


# -- migrations that need a PostgreSQL version ---------------------------------------------


def _pg_documents_fts(conn: Any) -> None:
    """Full-text search with PostgreSQL's own features: a tsvector per document in a GIN index.

    The 'simple' configuration (no stemming, any language) over unaccent()ed text: the same
    matching as the SQLite index (whole words, case and diacritics ignored, ё = е).  The table
    keeps the name ``documents_fts`` so the same queries and counts work on both engines.
    """
    conn.execute_raw("CREATE EXTENSION IF NOT EXISTS unaccent")
    # Qualified by the extension's schema, so the functions work whatever the search_path.
    ext = conn.execute(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = 'unaccent'"
    ).fetchone()
    unaccent = f'"{ext[0]}".unaccent'
    for statement in (
        "CREATE TABLE documents_fts ("
        " doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,"
        " tsv tsvector NOT NULL)",
        "CREATE INDEX documents_fts_tsv ON documents_fts USING GIN (tsv)",
        "CREATE FUNCTION fdiscope_tsvector(title text, body text) RETURNS tsvector"
        " LANGUAGE sql STABLE AS $$ SELECT"
        f" setweight(to_tsvector('simple', {unaccent}(coalesce(title, ''))), 'A') ||"
        f" to_tsvector('simple', {unaccent}(body)) $$",
        "CREATE FUNCTION fdiscope_tsquery(q text) RETURNS tsquery"
        f" LANGUAGE sql STABLE AS $$ SELECT plainto_tsquery('simple', {unaccent}(q)) $$",
        "CREATE FUNCTION documents_fts_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " INSERT INTO documents_fts(doc_id, tsv) VALUES (NEW.id, fdiscope_tsvector(NEW.title, NEW.text))"
        " ON CONFLICT (doc_id) DO UPDATE SET tsv = EXCLUDED.tsv; RETURN NEW; END $$",
        "CREATE TRIGGER documents_fts_ai AFTER INSERT OR UPDATE OF title, text ON documents"
        " FOR EACH ROW EXECUTE FUNCTION documents_fts_sync()",
        "INSERT INTO documents_fts(doc_id, tsv) SELECT id, fdiscope_tsvector(title, text) FROM documents",
    ):
        conn.execute_raw(statement)


def _pg_write_path(conn: Any) -> None:
    """0009 on PostgreSQL: only the redundant evidence index goes (``WITHOUT ROWID`` is SQLite's)."""
    conn.execute_raw("DROP INDEX IF EXISTS evidence_record")


#: migration name -> PostgreSQL step used instead of the SQLite one
PG_MIGRATIONS: dict[str, Callable[[Any], None]] = {
    "0002_documents_fts": _pg_documents_fts,
    "0009_write_path": _pg_write_path,
}
