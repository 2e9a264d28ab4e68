"""One resolution run: claims -> constraints -> clusters -> entities with stable ids.

Entity ids are kept across runs: each new cluster takes the id of the old entity it shares
most claim keys with (a merge correction names the id to keep).  Old entities that no cluster
takes are retired, pointing to the entity that now holds most of their claims; they are never
deleted, so an id once shown to a user still leads somewhere.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..store import Store
from .canonical import canonical_fields
from .claims import Claim, DocMeta, document_meta, load_claims, today_of
from .cluster import cluster_claims
from .corrections import Correction, active_corrections, match_anchor
from .history import status_history
from .names import name_key
from .scoring import Settings
from .sources import count_sources

__all__ = ["ResolveReport", "resolve_store"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ResolveReport:
    """What a resolution run did."""

    claims: int
    entities: int
    pairs_scored: int
    created: int
    kept: int
    retired: int
    corrections_applied: int

    def summary(self) -> str:
        return (
            f"{self.claims} claims -> {self.entities} projects "
            f"({self.created} new, {self.kept} kept, {self.retired} retired; "
            f"{self.pairs_scored} pairs scored, {self.corrections_applied} corrections applied)"
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_ENTITY_COLUMNS = (
    "kind, name, investor_key, host_country, host_region, sector, status, status_date, amount_usd,"
    " n_claims, n_documents, n_sources, first_seen, last_seen, stale, canonical"
)
_UPDATE_ENTITY = (
    "UPDATE entities SET "
    + ", ".join(f"{c.strip()} = ?" for c in _ENTITY_COLUMNS.split(","))
    + ", updated_at = ?, retired_at = NULL, retired_into = NULL WHERE id = ?"
)
_INSERT_ENTITY = (
    f"INSERT INTO entities(id, {_ENTITY_COLUMNS}, created_at, updated_at) VALUES ({', '.join('?' * 19)})"
)


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _constraints(
    claims: Sequence[Claim], corrections: Sequence[Correction]
) -> tuple[set[frozenset[int]], set[frozenset[int]], dict[int, int]]:
    """Must-link and cannot-link index pairs from corrections (later ones win), and the
    entity id a merge asked to keep, per claim index."""
    by_key = {c.key: i for i, c in enumerate(claims)}
    by_doc: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        by_doc.setdefault(c.doc_id, []).append(i)

    def resolve(anchors: list[dict[str, Any]]) -> list[int]:
        out: list[int] = []
        for a in anchors:
            out.extend(match_anchor(a, by_key, by_doc, claims))
        return sorted(set(out))

    must: set[frozenset[int]] = set()
    cannot: set[frozenset[int]] = set()
    keep_id: dict[int, int] = {}
    for corr in corrections:
        if corr.action == "merge":
            group = resolve(corr.anchors.get("a", [])) + resolve(corr.anchors.get("b", []))
            pairs = {frozenset((x, y)) for x in group for y in group if x < y}
            must |= pairs
            cannot -= pairs
            for i in group:
                if corr.entity_id is not None:
                    keep_id[i] = corr.entity_id
        elif corr.action == "split":
            moved, kept = resolve(corr.anchors.get("moved", [])), resolve(corr.anchors.get("kept", []))
            moved_set = set(moved)
            kept = [k for k in kept if k not in moved_set]
            apart = {frozenset((x, y)) for x in moved for y in kept}
            together = {frozenset((x, y)) for x in moved for y in moved if x < y}
            cannot |= apart
            must -= apart
            must |= together
            cannot -= together
    return must, cannot, keep_id


def _assign_ids(
    store: Store, claims: Sequence[Claim], clusters: list[list[int]], keep_id: dict[int, int]
) -> tuple[list[int], set[int], set[int]]:
    """Entity id per cluster, the ids newly created, and the old active ids no cluster took."""
    old_of: dict[str, int] = {
        r["claim_key"]: int(r["entity_id"])
        for r in store.conn.execute(
            "SELECT ec.claim_key, ec.entity_id FROM entity_claims ec"
            " JOIN entities e ON e.id = ec.entity_id WHERE e.retired_at IS NULL"
        )
    }
    # The entity each claim first belonged to: undoing a merge gives each side its own id back.
    origin = {r[0]: int(r[1]) for r in store.conn.execute("SELECT claim_key, entity_id FROM claim_origins")}
    every = {int(r[0]) for r in store.conn.execute("SELECT id FROM entities")}
    active = {int(r[0]) for r in store.conn.execute("SELECT id FROM entities WHERE retired_at IS NULL")}
    # (asked for by a merge, claims that started there, claims there now, lower id first, cluster)
    options: list[tuple[int, int, int, int, int]] = []
    for ci, members in enumerate(clusters):
        keys = [claims[i].key for i in members]
        now = Counter(old_of[k] for k in keys if k in old_of)
        first = Counter(origin[k] for k in keys if k in origin)
        wanted = Counter(keep_id[i] for i in members if i in keep_id)
        for old_id in (set(now) | set(first) | set(wanted)) & every:
            options.append((wanted.get(old_id, 0), first.get(old_id, 0), now.get(old_id, 0), -old_id, ci))
    options.sort(reverse=True)
    ids: list[int | None] = [None] * len(clusters)
    taken: set[int] = set()
    for *_, neg_id, ci in options:
        old_id = -neg_id
        if ids[ci] is None and old_id not in taken:
            ids[ci] = old_id
            taken.add(old_id)
    next_id = max(every, default=0) + 1
    created: set[int] = set()
    out: list[int] = []
    for ci in range(len(clusters)):
        eid = ids[ci]
        if eid is None:
            eid = next_id
            next_id += 1
            created.add(eid)
        out.append(eid)
    return out, created, active - set(out)


def entity_snapshot(
    store: Store,
    members: Sequence[Claim],
    corrections: Sequence[Correction],
    docs: dict[str, DocMeta],
    settings: Settings,
    as_of: str,
) -> dict[str, Any]:
    """The canonical view, history and sources of one entity, as stored in ``entities.canonical``."""
    fixes = [{"id": c.id, "field": c.field, "value": c.value} for c in corrections]
    fields = canonical_fields(members, fixes)
    history = status_history(members, as_of, settings.stale_years)
    sources = count_sources(store, (c.doc_id for c in members), docs)
    dates = sorted(c.date for c in members if c.date)
    objects = Counter(c.objects[0] for c in members if c.objects)
    return {
        # What tells this project from the company's others: its stated phase and main object.
        "phase": Counter(c.phase for c in members).most_common(1)[0][0] if members else 1,
        "object": objects.most_common(1)[0][0] if objects else None,
        "fields": {k: v.to_dict() for k, v in fields.items()},
        "history": history.to_dict(),
        "sources": sources.to_dict(),
        "first_seen": dates[0] if dates else None,
        "last_seen": dates[-1] if dates else None,
    }


def _field_corrections(
    claims: Sequence[Claim], clusters: list[list[int]], ids: list[int], corrections: Sequence[Correction]
) -> dict[int, list[Correction]]:
    """Field corrections per entity id: each goes to the entity holding most of its anchors."""
    by_key = {c.key: i for i, c in enumerate(claims)}
    by_doc: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        by_doc.setdefault(c.doc_id, []).append(i)
    entity_of = {i: ids[ci] for ci, members in enumerate(clusters) for i in members}
    out: dict[int, list[Correction]] = {}
    for corr in corrections:
        if corr.action != "correct":
            continue
        hits: Counter[int] = Counter()
        for a in corr.anchors.get("claims", []):
            for i in match_anchor(a, by_key, by_doc, claims):
                hits[entity_of[i]] += 1
        if hits:
            target = max(hits, key=lambda e: (hits[e], e == corr.entity_id))
            out.setdefault(target, []).append(corr)
        else:
            log.warning("correction %d matches no current claim; it waits for its claims to return", corr.id)
    return out


def resolve_store(store: Store, settings: Settings | None = None, as_of: str | None = None) -> ResolveReport:
    """Resolve every current project claim in the store into entities (projects).

    Re-running is safe and keeps entity ids; human corrections are re-applied each time.

    Args:
        store: the database; its entities, membership and canonical views are rewritten.
        settings: thresholds; the defaults of :class:`~fdiscope.resolve.scoring.Settings`.
        as_of: the date "stale" is measured against; default the newest document's date.

    Returns:
        Counts of the run.
    """
    settings = settings or Settings()
    as_of = as_of or today_of(store)
    docs = document_meta(store)
    claims = load_claims(store, docs)
    corrections = active_corrections(store)
    must, cannot, keep_id = _constraints(claims, corrections)
    pairs_must = [tuple(sorted(p)) for p in must]
    pairs_cannot = [tuple(sorted(p)) for p in cannot]
    clusters, link_score, n_pairs = cluster_claims(
        claims,
        settings,
        must=[(a, b) for a, b in pairs_must],
        cannot=[(a, b) for a, b in pairs_cannot],
    )
    ids, created, orphaned = _assign_ids(store, claims, clusters, keep_id)
    fixes = _field_corrections(claims, clusters, ids, corrections)
    now = _now()
    rows: list[tuple[Any, ...]] = []
    membership: list[tuple[Any, ...]] = []
    for eid, members in zip(ids, clusters, strict=True):
        mclaims = [claims[i] for i in members]
        snap = entity_snapshot(store, mclaims, fixes.get(eid, []), docs, settings, as_of)
        f = snap["fields"]
        amount = f["amount"]["value"]
        usd = amount.get("usd") if isinstance(amount, dict) else None
        status = f["status"]
        keys = [name_key(n).key for c in mclaims for n in c.record.investors]
        rows.append(
            (
                eid,
                "project",
                f["name"]["value"],
                Counter(k for k in keys if k).most_common(1)[0][0] if any(keys) else None,
                f["host_country"]["value"],
                f["host_region"]["value"],
                f["sector"]["value"],
                status["value"],
                status.get("date"),
                usd["usd"] if usd else None,
                len(mclaims),
                snap["sources"]["documents"],
                snap["sources"]["independent"],
                snap["first_seen"],
                snap["last_seen"],
                1 if snap["history"]["stale"] else 0,
                json.dumps(snap, ensure_ascii=False),
            )
        )
        for i in members:
            c = claims[i]
            membership.append((eid, c.record_type, c.record_id, c.key, c.doc_id, link_score.get(i)))
    retired_into: dict[int, int | None] = {}
    if orphaned:
        new_of = {claims[i].key: eid for eid, members in zip(ids, clusters, strict=True) for i in members}
        for old in orphaned:
            keys = [
                r[0]
                for r in store.conn.execute("SELECT claim_key FROM entity_claims WHERE entity_id = ?", (old,))
            ]
            heirs = Counter(new_of[k] for k in keys if k in new_of)
            retired_into[old] = heirs.most_common(1)[0][0] if heirs else None
    existing = {int(r[0]) for r in store.conn.execute("SELECT id FROM entities")}
    with store._transaction() as conn:
        conn.execute("DELETE FROM entity_claims")
        for row in rows:
            if row[0] in existing:
                conn.execute(
                    _UPDATE_ENTITY,
                    (*row[1:], now, row[0]),
                )
            else:
                conn.execute(
                    _INSERT_ENTITY,
                    (*row, now, now),
                )
        conn.executemany(
            "INSERT INTO entity_claims(entity_id, record_type, record_id, claim_key, doc_id, score)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            membership,
        )
        known = {r[0] for r in conn.execute("SELECT claim_key FROM claim_origins")}
        conn.executemany(
            "INSERT INTO claim_origins(claim_key, entity_id, first_at) VALUES (?, ?, ?)",
            [(m[3], m[0], now) for m in membership if m[3] not in known],
        )
        for old, heir in retired_into.items():
            conn.execute(
                "UPDATE entities SET retired_at = ?, retired_into = ?, updated_at = ? WHERE id = ?",
                (now, heir, now, old),
            )
        run_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM resolution_runs").fetchone()[0])
        conn.execute(
            "INSERT INTO resolution_runs(id, at, n_claims, n_entities, settings) VALUES (?, ?, ?, ?, ?)",
            (run_id, now, len(claims), len(clusters), json.dumps(asdict(settings))),
        )
    report = ResolveReport(
        claims=len(claims),
        entities=len(clusters),
        pairs_scored=n_pairs,
        created=len(created),
        kept=len(clusters) - len(created),
        retired=len(retired_into),
        corrections_applied=len(corrections),
    )
    log.info("resolve: %s", report.summary())
    return report
