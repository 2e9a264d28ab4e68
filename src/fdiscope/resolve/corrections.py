"""Human corrections: merge, split and field corrections, with an audit log; reversible.

A correction is stored with *anchors*: the claim keys (document and evidence span) of the
claims it was made about, not entity or record ids, so it is re-applied on every resolution
run and survives re-extraction (new record ids, same spans) and re-resolution (entity ids
may move).  Undo marks a correction undone; nothing is deleted.  Every apply and undo is
written to ``entity_correction_log``.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import KINDS, SECTORS, STATUSES
from ..store import Store
from .claims import Claim
from .names import name_key

__all__ = [
    "CorrectionError",
    "Correction",
    "CORRECTABLE_FIELDS",
    "anchor_of",
    "match_anchor",
    "record_correction",
    "mark_undone",
    "active_corrections",
    "list_corrections",
    "parse_field_value",
    "correction_log",
]


class CorrectionError(ValueError):
    """A correction that cannot be made; the message says what to give instead."""


#: Fields ``correct`` accepts, and how their values are read.
CORRECTABLE_FIELDS: tuple[str, ...] = (
    "name",
    "host_country",
    "host_region",
    "location",
    "sector",
    "kind",
    "description",
    "status",
    "amount",
    "jobs",
)


@dataclass(frozen=True, slots=True)
class Correction:
    """One stored correction."""

    id: int
    action: str  # merge | split | correct
    entity_id: int | None
    other_id: int | None
    field: str | None
    value: Any
    anchors: dict[str, list[dict[str, Any]]]
    note: str | None
    author: str | None
    created_at: str
    undone_at: str | None

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "action": self.action,
            "entity_id": self.entity_id,
            "other_id": self.other_id,
            "field": self.field,
            "value": self.value,
            "note": self.note,
            "author": self.author,
            "created_at": self.created_at,
            "undone_at": self.undone_at,
            "claims": {side: [a["key"] for a in anchors] for side, anchors in self.anchors.items()},
        }


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def anchor_of(claim: Claim) -> dict[str, Any]:
    """What identifies a claim across re-extraction: key, document, span and investor key."""
    ev = claim.record.evidence
    inv = [name_key(n).key for n in claim.record.investors]
    return {
        "key": claim.key,
        "doc_id": claim.doc_id,
        "start": ev.start if ev else None,
        "end": ev.end if ev else None,
        "investors": [k for k in inv if k],
    }


def match_anchor(
    anchor: dict[str, Any], by_key: dict[str, int], by_doc: dict[str, list[int]], claims: Sequence[Claim]
) -> list[int]:
    """Indexes of the current claims an anchor stands for.

    The same key first; else, in the same document, claims whose evidence overlaps the
    anchor's span; else claims of that document naming the same investor.
    """
    hit = by_key.get(anchor["key"])
    if hit is not None:
        return [hit]
    same_doc = by_doc.get(anchor["doc_id"], [])
    s, e = anchor.get("start"), anchor.get("end")
    if s is not None and e is not None:
        overlap = [
            i
            for i in same_doc
            if claims[i].record.evidence is not None
            and claims[i].record.evidence.start < e  # type: ignore[union-attr]
            and s < claims[i].record.evidence.end  # type: ignore[union-attr]
        ]
        if overlap:
            return overlap
    inv = set(anchor.get("investors") or [])
    if inv:
        return [i for i in same_doc if inv & {name_key(n).key for n in claims[i].record.investors}]
    return []


def parse_field_value(fld: str, raw: str) -> Any:
    """Read a correction value typed by a person, checking it fits the field.

    >>> parse_field_value("amount", "1.5e9 RUB 2023")
    {'value': 1500000000.0, 'currency': 'RUB', 'date': '2023'}
    >>> parse_field_value("jobs", "450")
    450

    Raises:
        CorrectionError: unknown field or a value the field cannot hold.
    """
    if fld not in CORRECTABLE_FIELDS:
        raise CorrectionError(f"cannot correct {fld!r}; correctable fields: {', '.join(CORRECTABLE_FIELDS)}")
    raw = raw.strip()
    if raw.lower() in ("", "null", "none"):
        return None
    allowed = {"sector": SECTORS, "kind": KINDS, "status": STATUSES}.get(fld)
    if allowed is not None:
        value = raw.split()[0].lower()
        if value not in allowed:
            raise CorrectionError(f"{fld} must be one of {', '.join(allowed)}; got {raw!r}")
        if fld == "status" and len(raw.split()) > 1:
            return {"value": value, "date": raw.split()[1]}
        return value
    if fld == "jobs":
        try:
            return int(raw.replace(" ", "").replace(",", ""))
        except ValueError as exc:
            raise CorrectionError(f"jobs must be a whole number; got {raw!r}") from exc
    if fld == "amount":
        parts = raw.split()
        try:
            number = float(parts[0].replace(",", ""))
        except (ValueError, IndexError) as exc:
            raise CorrectionError(
                f"amount must be 'VALUE CURRENCY [DATE]', e.g. '1.5e9 RUB 2023'; got {raw!r}"
            ) from exc
        if len(parts) < 2 or len(parts[1]) != 3 or not parts[1].isalpha():
            raise CorrectionError(f"amount needs an ISO currency code after the value; got {raw!r}")
        out: dict[str, Any] = {"value": number, "currency": parts[1].upper()}
        if len(parts) > 2:
            out["date"] = parts[2]
        return out
    if fld in ("host_country", "host_region"):
        return raw.upper()
    return raw


def _log(store: Store, conn: Any, correction_id: int, action: str, detail: str, author: str | None) -> None:
    nid = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM entity_correction_log").fetchone()[0]
    conn.execute(
        "INSERT INTO entity_correction_log(id, correction_id, action, detail, author, at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (nid, correction_id, action, detail, author, _now()),
    )


def record_correction(
    store: Store,
    action: str,
    anchors: dict[str, list[dict[str, Any]]],
    *,
    entity_id: int | None = None,
    other_id: int | None = None,
    fld: str | None = None,
    value: Any = None,
    note: str | None = None,
    author: str | None = None,
) -> int:
    """Store a correction and log it; returns its id (the caller re-runs resolution)."""
    with store._transaction() as conn:
        cid = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM entity_corrections").fetchone()[0])
        conn.execute(
            "INSERT INTO entity_corrections(id, action, entity_id, other_id, field, value, anchors, note,"
            " author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                cid,
                action,
                entity_id,
                other_id,
                fld,
                json.dumps(value, ensure_ascii=False),
                json.dumps(anchors, ensure_ascii=False),
                note,
                author,
                _now(),
            ),
        )
        detail = {"merge": f"merge {entity_id} {other_id}", "split": f"split {entity_id}"}.get(
            action, f"correct {entity_id} {fld}={json.dumps(value, ensure_ascii=False)}"
        )
        _log(store, conn, cid, "apply", detail, author)
    return cid


def mark_undone(store: Store, correction_id: int, author: str | None = None) -> None:
    """Mark a correction undone (kept, with the undo in the log).

    Raises:
        CorrectionError: no such correction, or it is already undone.
    """
    row = store.conn.execute(
        "SELECT undone_at FROM entity_corrections WHERE id = ?", (correction_id,)
    ).fetchone()
    if row is None:
        raise CorrectionError(f"no correction {correction_id}; list them with `fdiscope corrections`")
    if row[0] is not None:
        raise CorrectionError(f"correction {correction_id} was already undone at {row[0]}")
    with store._transaction() as conn:
        conn.execute("UPDATE entity_corrections SET undone_at = ? WHERE id = ?", (_now(), correction_id))
        _log(store, conn, correction_id, "undo", f"undo {correction_id}", author)


def _correction(row: Any) -> Correction:
    return Correction(
        id=int(row["id"]),
        action=row["action"],
        entity_id=row["entity_id"],
        other_id=row["other_id"],
        field=row["field"],
        value=json.loads(row["value"]) if row["value"] is not None else None,
        anchors=json.loads(row["anchors"]),
        note=row["note"],
        author=row["author"],
        created_at=row["created_at"],
        undone_at=row["undone_at"],
    )


def list_corrections(
    store: Store, entity_id: int | None = None, include_undone: bool = True
) -> list[Correction]:
    """Corrections, oldest first; optionally only those made on one entity."""
    sql = "SELECT * FROM entity_corrections"
    params: list[Any] = []
    where = []
    if entity_id is not None:
        where.append("(entity_id = ? OR other_id = ?)")
        params += [entity_id, entity_id]
    if not include_undone:
        where.append("undone_at IS NULL")
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [_correction(r) for r in store.conn.execute(sql + " ORDER BY id", params)]


def active_corrections(store: Store) -> list[Correction]:
    """Corrections in force, in the order they were made (later ones win)."""
    return list_corrections(store, include_undone=False)


def correction_log(store: Store, correction_id: int | None = None) -> list[dict[str, Any]]:
    """The audit log, oldest first."""
    sql = "SELECT id, correction_id, action, detail, author, at FROM entity_correction_log"
    params: list[Any] = []
    if correction_id is not None:
        sql += " WHERE correction_id = ?"
        params.append(correction_id)
    return [dict(r) for r in store.conn.execute(sql + " ORDER BY id", params)]
