"""Filters over stored records, turned into parameterised SQL.

User input never reaches the SQL text: every value is a bound parameter, and free text for
full-text search is rebuilt by :func:`fts_query` into quoted FTS5 phrases, so operators and
quotes typed by a user are searched for as words, not interpreted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["QueryError", "RecordFilter", "RECORD_TYPES", "fts_query", "fold", "build_where"]

#: record type -> its table
RECORD_TYPES: dict[str, str] = {"project": "projects", "trade": "trade", "event": "events"}

_SINCE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_CODE = re.compile(r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$")
_WORD = re.compile(r"\w", re.UNICODE)


class QueryError(ValueError):
    """A filter that cannot be applied; the message names the option and what is accepted."""


def fold(text: str) -> str:
    """Fold text the way the full-text index does for the letters unicode61 leaves alone.

    >>> fold("Ёлки")
    'Елки'
    """
    return text.replace("ё", "е").replace("Ё", "Е")


def fts_query(text: str) -> str:
    """A safe FTS5 query matching documents that contain every word of ``text``.

    Each whitespace-separated piece becomes a quoted phrase (inner quotes doubled), so FTS5
    syntax such as ``OR``, ``NEAR``, ``*`` or ``"`` is searched for literally.  Pieces without
    any letter or digit are dropped, since they would tokenize to nothing.

    >>> fts_query("Kaluga OR x* --")
    '"Kaluga" "OR" "x*"'

    Raises:
        QueryError: ``text`` contains no word to search for.
    """
    pieces = [p for p in fold(text).split() if _WORD.search(p)]
    if not pieces:
        raise QueryError(f"--q {text!r} has no word to search for; give at least one word")
    return " ".join('"' + p.replace('"', '""') + '"' for p in pieces)


@dataclass(frozen=True, slots=True)
class RecordFilter:
    """What to select; ``None`` means "any".  Codes are compared case-insensitively."""

    country: str | None = None
    region: str | None = None
    sector: str | None = None
    status: str | None = None
    kind: str | None = None
    flow: str | None = None
    since: str | None = None
    q: str | None = None
    limit: int | None = 100

    def __post_init__(self) -> None:
        if self.since is not None and not _SINCE.match(self.since):
            raise QueryError(f"--since {self.since!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
        for opt, val in (("--country", self.country), ("--region", self.region)):
            if val is not None and not _CODE.match(val):
                raise QueryError(
                    f"{opt} {val!r} is not an ISO code; use e.g. CN (country) or RU-KLU (region)"
                )
        if self.limit is not None and self.limit < 0:
            raise QueryError(f"--limit {self.limit} is negative; use 0 for no limit")


# Which filters make sense for which record type.
_APPLIES: dict[str, set[str]] = {
    "project": {"country", "region", "sector", "status", "kind"},
    "trade": {"country", "region", "flow"},
    "event": {"country", "kind"},
}


def build_where(record_type: str, flt: RecordFilter) -> tuple[str, list[Any]]:
    """The ``WHERE`` clause (over alias ``r`` for the record, ``d`` for its document) and its parameters.

    Raises:
        QueryError: a filter is set that the record type does not have.
    """
    if record_type not in RECORD_TYPES:
        raise QueryError(f"unknown record type {record_type!r}; use one of {sorted(RECORD_TYPES)}")
    allowed = _APPLIES[record_type]
    for name in ("country", "region", "sector", "status", "kind", "flow"):
        if getattr(flt, name) is not None and name not in allowed:
            raise QueryError(
                f"--{name} does not apply to {record_type} records; "
                f"they can be filtered by {', '.join('--' + a for a in sorted(allowed))}"
            )
    clauses: list[str] = []
    params: list[Any] = []
    if flt.country is not None:
        cc = flt.country.upper()
        if record_type == "project":
            clauses.append(
                "(upper(r.host_country) = ? OR EXISTS "
                "(SELECT 1 FROM json_each(r.investor_countries) WHERE upper(json_each.value) = ?))"
            )
            params += [cc, cc]
        elif record_type == "trade":
            # A region code such as RU-KLU belongs to its country.
            clauses.append(
                "(upper(r.reporter) = ? OR upper(r.reporter) LIKE ? ESCAPE '\\' "
                "OR upper(r.partner) = ? OR upper(r.partner) LIKE ? ESCAPE '\\')"
            )
            params += [cc, cc + "-%", cc, cc + "-%"]
        else:
            clauses.append("upper(r.country) = ?")
            params.append(cc)
    if flt.region is not None:
        code = flt.region.upper()
        if record_type == "project":
            clauses.append("upper(r.host_region) = ?")
            params.append(code)
        else:
            clauses.append("(upper(r.reporter) = ? OR upper(r.partner) = ?)")
            params += [code, code]
    for name in ("sector", "status", "kind", "flow"):
        val = getattr(flt, name)
        if val is not None:
            clauses.append(f"lower(r.{name}) = ?")  # name comes from the fixed tuple above
            params.append(val.lower())
    if flt.since is not None:
        clauses.append("d.published IS NOT NULL AND d.published >= ?")
        params.append(flt.since)
    if flt.q is not None:
        clauses.append("r.doc_id IN (SELECT doc_id FROM documents_fts WHERE documents_fts MATCH ?)")
        params.append(fts_query(flt.q))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params
