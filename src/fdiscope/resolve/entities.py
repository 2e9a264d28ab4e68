"""Reading resolved projects, and the corrections people make to them.

These are the library functions the CLI and the HTTP API call: :func:`get_entity`,
:func:`list_entities`, :func:`merge_entities`, :func:`split_entity`, :func:`correct_entity`,
:func:`undo_correction`.  Each correction is stored (with its audit log) and resolution is
run again, so what the function returns already shows the corrected project.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..store import RecordNotFound, Store
from .claims import Claim, document_meta, load_claims
from .corrections import (
    Correction,
    CorrectionError,
    anchor_of,
    list_corrections,
    mark_undone,
    parse_field_value,
    record_correction,
)
from .resolver import ResolveReport, resolve_store
from .scoring import Settings

__all__ = [
    "EntityNotFound",
    "EntitySummary",
    "EntityView",
    "get_entity",
    "list_entities",
    "merge_entities",
    "split_entity",
    "correct_entity",
    "undo_correction",
    "related_entities",
]


class EntityNotFound(RecordNotFound):
    """No project entity with that id (run ``fdiscope resolve`` first)."""


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """One row of a project listing."""

    id: int
    name: str | None
    host_country: str | None
    host_region: str | None
    sector: str | None
    status: str | None
    status_date: str | None
    amount_usd: float | None
    n_claims: int
    n_documents: int
    n_sources: int
    first_seen: str | None
    last_seen: str | None
    stale: bool

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}  # type: ignore[attr-defined]


@dataclass(slots=True)
class EntityView:
    """A project: canonical fields (each with its claims), claims, history, sources, corrections."""

    id: int
    fields: dict[str, dict[str, Any]]
    claims: list[dict[str, Any]]
    history: dict[str, Any]
    sources: dict[str, Any]
    first_seen: str | None
    last_seen: str | None
    corrections: list[dict[str, Any]] = field(default_factory=list)
    related: list[dict[str, Any]] = field(default_factory=list)
    #: the id asked for, when it was merged into this one
    redirected_from: int | None = None
    #: the stated phase (1 unless a later phase is stated) and the main object (refrigerator, ...)
    phase: int = 1
    object: str | None = None

    def value(self, name: str) -> Any:
        """The canonical value of one field."""
        return self.fields[name]["value"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "fields": self.fields,
            "claims": self.claims,
            "history": self.history,
            "sources": self.sources,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "corrections": self.corrections,
            "related": self.related,
            "redirected_from": self.redirected_from,
            "phase": self.phase,
            "object": self.object,
        }


_SUMMARY_COLS = (
    "id, name, host_country, host_region, sector, status, status_date, amount_usd, n_claims,"
    " n_documents, n_sources, first_seen, last_seen, stale"
)


def _summary(row: Any) -> EntitySummary:
    return EntitySummary(
        id=int(row["id"]),
        name=row["name"],
        host_country=row["host_country"],
        host_region=row["host_region"],
        sector=row["sector"],
        status=row["status"],
        status_date=row["status_date"],
        amount_usd=row["amount_usd"],
        n_claims=int(row["n_claims"]),
        n_documents=int(row["n_documents"]),
        n_sources=int(row["n_sources"]),
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
        stale=bool(row["stale"]),
    )


def list_entities(
    store: Store,
    *,
    country: str | None = None,
    region: str | None = None,
    sector: str | None = None,
    status: str | None = None,
    investor: str | None = None,
    stale: bool | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[EntitySummary]:
    """Current (not retired) projects, most recently reported first.

    Args:
        investor: a name in any script or spelling; matched on the normalised investor key.
    """
    where = ["retired_at IS NULL", "kind = 'project'"]
    params: list[Any] = []
    for col, val in (
        ("host_country", country),
        ("host_region", region),
        ("sector", sector),
        ("status", status),
    ):
        if val:
            where.append(f"{col} = ?")
            params.append(val.upper() if col.startswith("host") else val)
    if stale is not None:
        where.append("stale = ?")
        params.append(1 if stale else 0)
    if investor:
        from .names import name_key

        key = name_key(investor).key
        where.append("investor_key LIKE ?")
        params.append(f"%{key}%")
    sql = f"SELECT {_SUMMARY_COLS} FROM entities WHERE {' AND '.join(where)} ORDER BY last_seen DESC, id"
    if limit:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [_summary(r) for r in store.conn.execute(sql, params)]


def _row(store: Store, entity_id: int) -> Any:
    return store.conn.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()


def _claim_dict(store: Store, record_type: str, record_id: int, score: float | None) -> dict[str, Any]:
    item = store.get(record_type, record_id)
    out = item.to_dict()
    out["link_score"] = score
    return out


def related_entities(store: Store, entity_id: int) -> list[dict[str, Any]]:
    """Other projects of the same investor (other phases, other plants), with why they differ."""
    row = _row(store, entity_id)
    if row is None or not row["investor_key"]:
        return []
    out = []
    brand = row["investor_key"].split()[0]  # the first distinctive token: "fuiao" of "fuiao glas"
    for r in store.conn.execute(
        f"SELECT {_SUMMARY_COLS}, canonical FROM entities"
        " WHERE (investor_key = ? OR investor_key LIKE ?) AND id != ?"
        " AND retired_at IS NULL ORDER BY first_seen, id",
        (brand, brand + " %", entity_id),
    ):
        snap = json.loads(r["canonical"] or "{}")
        out.append(
            {
                **_summary(r).to_dict(),
                "same_region": r["host_region"] == row["host_region"],
                "phase": snap.get("phase", 1),
                "object": snap.get("object"),
            }
        )
    return out


def get_entity(store: Store, entity_id: int) -> EntityView:
    """One project with everything behind it; a merged-away id leads to the project it joined.

    Raises:
        EntityNotFound: no entity with that id.
    """
    asked = entity_id
    row = _row(store, entity_id)
    hops = 0
    while row is not None and row["retired_at"] is not None and row["retired_into"] is not None and hops < 20:
        entity_id = int(row["retired_into"])
        row = _row(store, entity_id)
        hops += 1
    if row is None or row["retired_at"] is not None:
        raise EntityNotFound(
            f"no project {asked}; list projects with `fdiscope entities` after `fdiscope resolve`"
        )
    snap = json.loads(row["canonical"] or "{}")
    claims = [
        _claim_dict(store, r["record_type"], int(r["record_id"]), r["score"])
        for r in store.conn.execute(
            "SELECT record_type, record_id, score FROM entity_claims WHERE entity_id = ? ORDER BY record_id",
            (entity_id,),
        )
    ]
    return EntityView(
        id=entity_id,
        fields=snap.get("fields", {}),
        claims=claims,
        history=snap.get("history", {}),
        sources=snap.get("sources", {}),
        first_seen=snap.get("first_seen"),
        last_seen=snap.get("last_seen"),
        corrections=[c.to_dict() for c in list_corrections(store, entity_id)],
        related=related_entities(store, entity_id),
        redirected_from=asked if asked != entity_id else None,
        phase=int(snap.get("phase", 1)),
        object=snap.get("object"),
    )


def _member_claims(store: Store, entity_id: int) -> list[Claim]:
    row = _row(store, entity_id)
    if row is None or row["retired_at"] is not None:
        raise EntityNotFound(f"no current project {entity_id}; run `fdiscope resolve` and list them")
    refs = {
        (r[0], int(r[1]))
        for r in store.conn.execute(
            "SELECT record_type, record_id FROM entity_claims WHERE entity_id = ?", (entity_id,)
        )
    }
    return [c for c in load_claims(store, document_meta(store)) if (c.record_type, c.record_id) in refs]


def merge_entities(
    store: Store,
    a: int,
    b: int,
    *,
    note: str | None = None,
    author: str | None = None,
    settings: Settings | None = None,
) -> tuple[int, ResolveReport]:
    """Make ``b`` part of ``a`` (a human must-link between all their claims) and re-resolve.

    Returns:
        (the correction id, the resolution report)

    Raises:
        EntityNotFound: either id is not a current project.
        CorrectionError: ``a`` and ``b`` are the same.
    """
    if a == b:
        raise CorrectionError("merge needs two different projects")
    anchors = {
        "a": [anchor_of(c) for c in _member_claims(store, a)],
        "b": [anchor_of(c) for c in _member_claims(store, b)],
    }
    cid = record_correction(store, "merge", anchors, entity_id=a, other_id=b, note=note, author=author)
    return cid, resolve_store(store, settings)


def split_entity(
    store: Store,
    entity_id: int,
    claim_refs: Sequence[str],
    *,
    note: str | None = None,
    author: str | None = None,
    settings: Settings | None = None,
) -> tuple[int, ResolveReport]:
    """Move the named claims (``project:12`` …) out of a project into a project of their own.

    Raises:
        EntityNotFound: not a current project.
        CorrectionError: a claim is not part of it, or all or none of its claims are named.
    """
    members = _member_claims(store, entity_id)
    by_ref = {c.ref: c for c in members}
    wanted = [r if ":" in r else f"project:{r}" for r in claim_refs]
    missing = [r for r in wanted if r not in by_ref]
    if missing:
        raise CorrectionError(
            f"claims {', '.join(missing)} are not part of project {entity_id}; "
            f"its claims are {', '.join(sorted(by_ref))}"
        )
    if not wanted or len(set(wanted)) == len(members):
        raise CorrectionError("name some, but not all, of the project's claims to split off")
    moved = [anchor_of(by_ref[r]) for r in wanted]
    kept = [anchor_of(c) for c in members if c.ref not in set(wanted)]
    cid = record_correction(
        store, "split", {"moved": moved, "kept": kept}, entity_id=entity_id, note=note, author=author
    )
    return cid, resolve_store(store, settings)


def correct_entity(
    store: Store,
    entity_id: int,
    fld: str,
    value: str,
    *,
    note: str | None = None,
    author: str | None = None,
    settings: Settings | None = None,
) -> tuple[int, ResolveReport]:
    """Set one canonical field of a project by hand (a human claim that outranks the machine's).

    ``value`` is read by :func:`~fdiscope.resolve.corrections.parse_field_value` ("1.5e9 RUB 2023"
    for an amount, a STATUSES word for status, ...).

    Raises:
        EntityNotFound: not a current project.
        CorrectionError: unknown field or unreadable value.
    """
    parsed = parse_field_value(fld, value)
    anchors = {"claims": [anchor_of(c) for c in _member_claims(store, entity_id)]}
    cid = record_correction(
        store, "correct", anchors, entity_id=entity_id, fld=fld, value=parsed, note=note, author=author
    )
    return cid, resolve_store(store, settings)


def undo_correction(
    store: Store, correction_id: int, *, author: str | None = None, settings: Settings | None = None
) -> tuple[Correction, ResolveReport]:
    """Undo a correction (kept in the log as undone) and re-resolve.

    Raises:
        CorrectionError: no such correction, or already undone.
    """
    mark_undone(store, correction_id, author)
    corr = next(c for c in list_corrections(store) if c.id == correction_id)
    return corr, resolve_store(store, settings)
