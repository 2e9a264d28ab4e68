"""A resolved project as the API and the dashboard show it: every value tied to its sentences.

:func:`project_detail` reads :func:`fdiscope.resolve.get_entity` and adds, for each canonical
field, the claims behind it with their document, span, quote and the whole sentence; the
status history with each step's sentence; the sources as documents (copies grouped under the
original); and every conflict in one list.  :func:`correct_value` turns what the API or a form
sends into the text :func:`fdiscope.resolve.correct_entity` reads.
"""

from __future__ import annotations

from typing import Any

from ..resolve import get_entity
from ..service import sentence_around
from ..store import QueryError, Store

__all__ = ["project_detail", "correct_value", "entity_of_record", "FIELD_ORDER"]

#: Canonical fields in the order the project page shows them.
FIELD_ORDER = ("name", "investors", "investor_countries", "host_country", "host_region", "location",
               "sector", "kind", "status", "amount", "jobs", "description")  # fmt: skip


def _span(text: str, doc_id: str, start: int, end: int, quote: str | None) -> dict[str, Any]:
    s, e = sentence_around(text, start, end)
    return {"doc_id": doc_id, "start": start, "end": end, "quote": quote if quote is not None else text[start:end],
            "sentence": {"start": s, "end": e, "text": text[s:e]}}  # fmt: skip


def _field_spans(claim: dict[str, Any], name: str, text: str) -> list[dict[str, Any]]:
    """Evidence of one field in one claim (``investors[1]`` counts for ``investors``)."""
    out = []
    for key, ev in (claim.get("provenance") or {}).items():
        if key == name or key.startswith(name + "["):
            out.append({**_span(text, ev["doc_id"], ev["start"], ev["end"], ev.get("quote")), "key": key})
    if not out and claim.get("evidence_span"):
        # No span for the value itself: the claim's sentence is the evidence.
        ev = claim["evidence_span"]
        out.append({**_span(text, ev["doc_id"], ev["start"], ev["end"], ev.get("quote")), "key": "record"})
    return out


def project_detail(store: Store, entity_id: int) -> dict[str, Any]:
    """One resolved project with everything behind it (see the module docstring).

    Raises:
        EntityNotFound: no such project (or it was split away with no heir).
    """
    view = get_entity(store, entity_id)
    claims = {c["id"]: c for c in view.claims}
    docs: dict[str, Any] = {}
    for c in view.claims:
        if c["doc_id"] not in docs:
            docs[c["doc_id"]] = store.get_document(c["doc_id"])
    for t in view.history.get("transitions", []):
        if t.get("doc_id") and t["doc_id"] not in docs:
            docs[t["doc_id"]] = store.get_document(t["doc_id"])
    corrections = {c["id"]: c for c in view.corrections}

    def text_of(doc_id: str) -> str:
        d = docs.get(doc_id)
        return d.text if d is not None else ""

    fields: dict[str, Any] = {}
    conflicts: list[dict[str, Any]] = []
    names = [n for n in FIELD_ORDER if n in view.fields] + [n for n in view.fields if n not in FIELD_ORDER]
    for name in names:
        f = view.fields[name]
        backing = []
        for ref in f.get("claims", []):
            if ref.startswith("correction:"):
                cid = int(ref.split(":", 1)[1])
                corr = corrections.get(cid, {})
                backing.append({"ref": ref, "human": True, "correction": cid, "author": corr.get("author"),
                                "note": corr.get("note"), "at": corr.get("created_at"), "evidence": []})  # fmt: skip
                continue
            claim = claims.get(ref)
            if claim is None:
                continue
            doc = docs.get(claim["doc_id"])
            backing.append({
                "ref": ref,
                "human": False,
                "doc_id": claim["doc_id"],
                "published": doc.published if doc is not None else None,
                "value": claim.get(name),
                "evidence": _field_spans(claim, name, text_of(claim["doc_id"])),
            })  # fmt: skip
        entry = {
            "value": f.get("value"),
            "rule": f.get("rule"),
            "date": f.get("date"),
            "claims": backing,
            "conflicts": f.get("conflicts", []),
        }
        if "corrected_by" in f:
            entry["corrected_by"] = f["corrected_by"]
            entry["machine_value"] = f.get("machine_value")
        fields[name] = entry
        for conflict in f.get("conflicts", []):
            conflicts.append({"field": name, "value": conflict.get("value"), "claims": conflict.get("claims", []),
                              "canonical": f.get("value")})  # fmt: skip
    history = dict(view.history)
    steps = []
    for t in view.history.get("transitions", []):
        step = dict(t)
        claim = claims.get(t.get("claim", ""))
        if claim is not None:
            spans = _field_spans(claim, "status", text_of(claim["doc_id"]))
            step["sentence"] = spans[0]["sentence"] if spans else None
            step["span"] = {k: spans[0][k] for k in ("start", "end", "quote")} if spans else None
        steps.append(step)
    history["transitions"] = steps
    groups: dict[str, list[str]] = view.sources.get("groups", {})
    original_of = {d: root for root, members in groups.items() for d in members}
    source_docs = []
    for doc_id, doc in sorted(docs.items(), key=lambda kv: ((kv[1].published if kv[1] else "") or "", kv[0])):
        if doc_id not in {c["doc_id"] for c in view.claims}:
            continue
        root = original_of.get(doc_id, doc_id)
        source_docs.append({
            "doc_id": doc_id,
            "title": doc.title if doc else None,
            "url": doc.url if doc else None,
            "published": doc.published if doc else None,
            "language": doc.language if doc else None,
            "sitename": getattr(doc, "sitename", None) if doc else None,
            "copy_of": root if root != doc_id else None,
            "claims": [c["id"] for c in view.claims if c["doc_id"] == doc_id],
        })  # fmt: skip
    amount = fields.get("amount", {}).get("value")
    usd = amount.get("usd") if isinstance(amount, dict) else None
    return {
        "id": view.id,
        "redirected_from": view.redirected_from,
        "name": view.fields.get("name", {}).get("value"),
        "phase": view.phase,
        "object": view.object,
        "canonical": {k: v["value"] for k, v in fields.items()},
        "amount_usd": usd.get("usd") if isinstance(usd, dict) else None,
        "fields": fields,
        "history": history,
        "stale": bool(view.history.get("stale")),
        "sources": {
            "documents": view.sources.get("documents", len(source_docs)),
            "independent": view.sources.get("independent", len(source_docs)),
            "method": view.sources.get("method"),
            "list": source_docs,
        },
        "conflicts": conflicts,
        "corrections": view.corrections,
        "claims": view.claims,
        "related": view.related,
        "first_seen": view.first_seen,
        "last_seen": view.last_seen,
    }


def correct_value(field: str, value: Any) -> str:
    """What the API or a form sent, as the text a correction reads ("1.5e9 RUB 2023", "450", ...).

    >>> correct_value("amount", {"value": 2.4e9, "currency": "RUB"}), correct_value("investors", ["A", "B"])
    ('2400000000.0 RUB', 'A, B')
    """
    if value is None:
        return ""
    if isinstance(value, dict):
        if field == "amount":
            parts = [str(value.get("value", "")), str(value.get("currency") or "")]
            if value.get("date"):
                parts.append(str(value["date"]))
            return " ".join(p for p in parts if p)
        if field == "status":
            return " ".join(str(value[k]) for k in ("value", "date") if value.get(k))
        raise QueryError(f"{field}: give the value as text")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def entity_of_record(store: Store, ref: str) -> int:
    """The project a per-document record (``project:12``) belongs to.

    Raises:
        QueryError: malformed reference or the record is in no project (run resolution).
    """
    from ..service import parse_record_ref

    rtype, rid = parse_record_ref(ref)
    row = store.conn.execute(
        "SELECT entity_id FROM entity_claims WHERE record_type = ? AND record_id = ?", (rtype, rid)
    ).fetchone()
    if row is None:
        raise QueryError(f"record {rtype}:{rid} is part of no project; run `fdiscope resolve` first")
    return int(row[0])
