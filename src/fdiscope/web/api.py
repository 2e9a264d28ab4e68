"""JSON API routes under ``/api``: a thin shell over :mod:`fdiscope.service`.

Reads need no credentials; writes (POST) need ``Authorization: Bearer <token>`` with the token
the operator configured (``--token`` or ``FDISCOPE_TOKEN``).  Bad parameters are answered with
422 and a message naming the parameter and what it accepts.
"""

from __future__ import annotations

import inspect
import io
from collections.abc import Callable
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from .. import export as _export
from .. import service
from ..ingest import plain_text_document
from ..resolve import correct_entity as _correct_entity
from ..resolve import correction_log, list_corrections, merge_entities, split_entity, undo_correction
from ..store import QueryError
from ..store.browse import (
    BrowseQuery,
    browse,
    browse_entities,
    count_entities,
    count_records,
    entity_facets,
    entity_stats,
    gathered_events,
    trade_figures,
    trade_series,
)
from .app import WebState
from .projects import correct_value, entity_of_record, project_detail

__all__ = ["router", "record_row", "EXPORT_FORMATS"]

router = APIRouter(prefix="/api", tags=["api"])

EXPORT_FORMATS = _export.FORMATS


def web(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


State = Annotated[WebState, Depends(web)]


# -- parameters ------------------------------------------------------------------------------

Str = Annotated[str | None, Query()]


class Paging(BaseModel):
    page: int = 1
    page_size: int = 50


def paging(
    state: State,
    page: Annotated[int, Query(ge=1, description="1-based page number")] = 1,
    page_size: Annotated[int | None, Query(ge=1, description="rows per page (limited by the server)")] = None,
) -> Paging:
    size = page_size or state.settings.default_page_size
    if size > state.settings.max_page_size:
        raise QueryError(f"page_size {size} is larger than the limit {state.settings.max_page_size}")
    return Paging(page=page, page_size=size)


def project_filters(
    country: Annotated[
        str | None, Query(description="host country, ISO 3166-1 alpha-2; comma-separated for several")
    ] = None,
    investor_country: Annotated[str | None, Query(description="an investor's country, e.g. CN")] = None,
    region: Annotated[str | None, Query(description="host region, ISO 3166-2, e.g. RU-KLU")] = None,
    sector: Str = None,
    kind: Str = None,
    status: Str = None,
    amount_min: Annotated[
        float | None, Query(description="amount in US dollars (records: in the stated currency)")
    ] = None,
    amount_max: Annotated[float | None, Query()] = None,
    currency: Annotated[
        str | None, Query(description="only amounts stated in this ISO 4217 currency")
    ] = None,
    date_from: Annotated[str | None, Query(description="reported on or after, YYYY[-MM[-DD]]")] = None,
    date_to: Annotated[str | None, Query(description="reported on or before, YYYY[-MM[-DD]]")] = None,
    q: Annotated[str | None, Query(description="words the source document contains")] = None,
) -> dict[str, Any]:
    return {k: v for k, v in locals().items() if v not in (None, "")}


def trade_filters(
    country: Annotated[
        str | None, Query(description="reporter or partner country (regions count for theirs)")
    ] = None,
    region: Annotated[str | None, Query(description="reporter code, e.g. RU-PRI")] = None,
    partner: Str = None,
    flow: Annotated[str | None, Query(description="turnover, exports or imports")] = None,
    period_from: Annotated[str | None, Query(description="YYYY, YYYY-MM, YYYY-H1, YYYY-Q3")] = None,
    period_to: Str = None,
    currency: Str = None,
    q: Str = None,
) -> dict[str, Any]:
    return {k: v for k, v in locals().items() if v not in (None, "")}


def event_filters(
    country: Str = None,
    kind: Annotated[
        str | None, Query(description="forum, meeting, visit, signing, exhibition, other")
    ] = None,
    date_from: Annotated[str | None, Query(description="event date on or after")] = None,
    date_to: Str = None,
    q: Str = None,
) -> dict[str, Any]:
    return {k: v for k, v in locals().items() if v not in (None, "")}


ProjectFilters = Annotated[dict[str, Any], Depends(project_filters)]
TradeFilters = Annotated[dict[str, Any], Depends(trade_filters)]
EventFilters = Annotated[dict[str, Any], Depends(event_filters)]
PageParams = Annotated[Paging, Depends(paging)]


def _page(
    state: WebState, record_type: str, filters: dict[str, Any], sort: str, pg: Paging
) -> dict[str, Any]:
    bq = BrowseQuery(record_type=record_type, **filters, sort=sort, offset=(pg.page - 1) * pg.page_size,
                     limit=pg.page_size)  # fmt: skip
    with state.db() as store:
        page = browse(store, bq, with_total=False)
        # Counting a large table costs more than the page itself: cached per filters and data version.
        total = state.cached(("count", record_type, tuple(sorted(bq.filters().items()))),
                             lambda: count_records(store, bq))  # fmt: skip
    return _page_payload(total, pg, filters, sort, [item.to_dict() for item in page.items])


def _entity_page(state: WebState, filters: dict[str, Any], sort: str, pg: Paging) -> dict[str, Any]:
    bq = BrowseQuery(record_type="entity", **filters, sort=sort, offset=(pg.page - 1) * pg.page_size,
                     limit=pg.page_size)  # fmt: skip
    with state.db() as store:
        _, items = browse_entities(store, bq, with_total=False)
        total = state.cached(("count", "entity", tuple(sorted(bq.filters().items()))),
                             lambda: count_entities(store, bq))  # fmt: skip
    return _page_payload(total, pg, filters, sort, items)


def _page_payload(
    total: int, pg: Paging, filters: dict[str, Any], sort: str, items: list[Any]
) -> dict[str, Any]:
    """One page of a listing, with the counts a client needs to page on."""
    return {
        "total": total,
        "page": pg.page,
        "page_size": pg.page_size,
        "pages": (total + pg.page_size - 1) // pg.page_size,
        "filters": filters,
        "sort": sort,
        "items": items,
    }


# -- reads -----------------------------------------------------------------------------------


@router.get("/projects", summary="Projects (resolved across documents), filtered, sorted and paged")
def projects(
    state: State,
    filters: ProjectFilters,
    pg: PageParams,
    sort: Annotated[
        str,
        Query(
            description="id, amount (USD), jobs, first_seen, last_seen, sources, region, name; - for descending"
        ),
    ] = "-id",
) -> dict[str, Any]:
    return _entity_page(state, filters, sort, pg)


@router.get(
    "/projects/{project_id}", summary="One project: canonical fields with their claims, history, sources"
)
def project(state: State, project_id: int) -> dict[str, Any]:
    with state.db() as store:
        return project_detail(store, project_id)


@router.get("/records/projects", summary="Per-document project records (the claims), filtered and paged")
def project_records(
    state: State,
    filters: ProjectFilters,
    pg: PageParams,
    sort: Annotated[str, Query(description="id, amount, jobs, published, region; - for descending")] = "-id",
) -> dict[str, Any]:
    return _page(state, "project", filters, sort, pg)


@router.get("/records/projects/{record_id}", summary="One per-document project record with its evidence")
def project_record(state: State, record_id: int) -> dict[str, Any]:
    with state.db() as store:
        out = service.record_detail(store, f"project:{record_id}")
        row = store.conn.execute(
            "SELECT entity_id FROM entity_claims WHERE record_type = 'project' AND record_id = ?",
            (record_id,),
        ).fetchone()
        out["project"] = int(row[0]) if row else None
        return out


@router.get("/trade", summary="Trade figures")
def trade(
    state: State,
    filters: TradeFilters,
    pg: PageParams,
    sort: Annotated[str, Query(description="id, period, value, reporter; - for descending")] = "-id",
) -> dict[str, Any]:
    return _page(state, "trade", filters, sort, pg)


@router.get("/trade/figures", summary="Trade figures across documents, with the values sources disagree on")
def trade_figures_list(
    state: State,
    filters: TradeFilters,
    pg: PageParams,
    conflicts: Annotated[bool, Query(description="only figures whose sources disagree")] = False,
) -> dict[str, Any]:
    """One figure per reporter, partner, flow and period: the value most independent sources
    state (rounding is no disagreement), every record that states it, and the other values."""
    with state.db() as store:
        figures = state.cached(
            ("trade_figures", tuple(sorted(filters.items()))),
            lambda: trade_figures(store, BrowseQuery(record_type="trade", **filters)),
        )
    chosen = [f for f in figures if f.conflicts] if conflicts else figures
    start = (pg.page - 1) * pg.page_size
    items = [f.to_dict() for f in chosen[start : start + pg.page_size]]
    return _page_payload(len(chosen), pg, {**filters, "conflicts": conflicts}, "reporter,period", items)


@router.get("/trade/{trade_id}", summary="One trade figure with evidence")
def trade_one(state: State, trade_id: int) -> dict[str, Any]:
    with state.db() as store:
        return service.record_detail(store, f"trade:{trade_id}")


@router.get("/events", summary="Events (forums, meetings, visits, signings, exhibitions)")
def events(
    state: State,
    filters: EventFilters,
    pg: PageParams,
    sort: Annotated[str, Query(description="id, date, published; - for descending")] = "-id",
) -> dict[str, Any]:
    return _page(state, "event", filters, sort, pg)


@router.get("/events/resolved", summary="Events across documents, each with the records that report it")
def events_resolved(
    state: State,
    filters: EventFilters,
    pg: PageParams,
    min_documents: Annotated[int, Query(ge=1, description="only events reported by at least this many")] = 1,
) -> dict[str, Any]:
    """Event records gathered into events (same kind and city, dates that fit, names that
    share words), newest first; each lists the names it was reported under and its records."""
    with state.db() as store:
        events = state.cached(
            ("events_resolved", tuple(sorted(filters.items()))),
            lambda: gathered_events(store, BrowseQuery(record_type="event", **filters)),
        )
    items = [e.to_dict() for e in events]
    chosen = sorted(
        (e for e in items if e["documents"] >= min_documents), key=lambda e: e["date"] or "", reverse=True
    )
    start = (pg.page - 1) * pg.page_size
    page = chosen[start : start + pg.page_size]
    return _page_payload(len(chosen), pg, {**filters, "min_documents": min_documents}, "-date", page)


@router.get("/events/{event_id}", summary="One event with evidence")
def event_one(state: State, event_id: int) -> dict[str, Any]:
    with state.db() as store:
        return service.record_detail(store, f"event:{event_id}")


@router.get("/documents/{doc_id}", summary="A document's text with the evidence spans of its records")
def document(state: State, doc_id: str) -> dict[str, Any]:
    with state.db() as store:
        return service.document_spans(store, doc_id)


@router.get("/search", summary="Full-text search over documents")
def search(
    state: State,
    q: Annotated[str, Query(min_length=1, max_length=500, description="all these words")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    with state.db() as store:
        docs = service.search_documents(store, q, limit)
        hits = []
        for d in docs:
            recs = store.records_of(d.id)
            hits.append(
                {
                    "doc_id": d.id,
                    "title": d.title,
                    "url": d.url,
                    "published": d.published,
                    "language": d.language,
                    "snippet": snippet(d.text, q),
                    "records": [i.ref for items in recs.values() for i in items],
                    "projects": [
                        int(r[0])
                        for r in store.conn.execute(
                            "SELECT DISTINCT entity_id FROM entity_claims WHERE doc_id = ? ORDER BY entity_id",
                            (d.id,),
                        )
                    ],
                }
            )
    return {"q": q, "count": len(hits), "hits": hits}


def snippet(text: str, q: str, width: int = 220) -> str:
    """A piece of ``text`` around the first word of ``q`` found (plain text; the caller escapes)."""
    low = text.lower()
    pos = -1
    for word in q.lower().split():
        pos = low.find(word.strip('"*'))
        if pos >= 0:
            break
    start = max(0, pos - width // 3) if pos >= 0 else 0
    piece = " ".join(text[start : start + width].split())
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(text) else "")


@router.get(
    "/stats", summary="Project totals (USD) by region, sector, status, investor country, year; trade series"
)
def stats(state: State, filters: ProjectFilters) -> dict[str, Any]:
    return stats_for(state, filters)


def stats_for(state: WebState, filters: dict[str, Any]) -> dict[str, Any]:
    """Project totals for ``filters`` plus all trade series, each cached per data version."""
    bq = BrowseQuery(record_type="entity", **filters)
    with state.db() as store:
        out = dict(
            state.cached(("stats", tuple(sorted(bq.filters().items()))), lambda: entity_stats(store, bq))
        )
        out["trade_series"] = state.cached(
            ("trade_series",), lambda: trade_series(store, BrowseQuery(record_type="trade"))
        )
    return out


@router.get("/facets", summary="Distinct values of project columns with counts (for filter menus)")
def facets(state: State) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        cols = {"host_country": "host_country", "host_region": "host_region", "sector": "sector",
                "kind": "project_kind", "status": "status"}  # fmt: skip
        return {
            name: [{"value": v, "count": n} for v, n in entity_facets(store, col)]
            for name, col in cols.items()
        }

    with state.db() as store:
        return state.cached(("facets",), compute)  # type: ignore[no-any-return]


@router.get("/geo/regions", summary="The region tile-grid cartogram (GeoJSON, abstract grid coordinates)")
def geo_regions() -> Response:
    from .pages import region_grid

    return JSONResponse(region_grid(), media_type="application/geo+json")


# -- export ----------------------------------------------------------------------------------
# The export logic lives in fdiscope.export (rows, writers, points); this is its HTTP shell.

_ROW_FIELDS = _export.ROW_FIELDS
record_row = _export.record_row


@router.get("/export", summary="Export records or resolved projects honouring the filters: CSV, JSON, "
            "Parquet or GeoJSON (points at the host region)")  # fmt: skip
def export(
    request: Request,
    state: State,
    format: Annotated[str, Query(description="csv, json, parquet or geojson")] = "csv",
    type: Annotated[
        str,
        Query(
            description="project, trade or event (records); resolved, figures or resolved_events "
            "(projects, trade figures, events across documents)"
        ),
    ] = "project",
    sort: str = "id",
) -> Response:
    fmt = format.lower()
    if fmt not in EXPORT_FORMATS:
        raise QueryError(f"format={format!r} is not known; use one of {', '.join(EXPORT_FORMATS)}")
    if type not in _export.RECORD_TYPES:
        raise QueryError(f"type={type!r} is not known; use one of {', '.join(_export.RECORD_TYPES)}")
    fmt = _export.check_format(fmt, type)
    filter_fn = {"project": project_filters, "trade": trade_filters, "event": event_filters,
                 "resolved": project_filters, "figures": trade_filters,
                 "resolved_events": event_filters}[type]  # fmt: skip
    allowed = tuple(inspect.signature(cast(Callable[..., Any], filter_fn)).parameters)
    filters: dict[str, Any] = {}
    for k, v in request.query_params.items():
        if k in ("format", "type", "sort") or v == "":
            continue
        if k not in allowed:
            raise QueryError(f"{k} is not a filter of {type} records; use {', '.join(allowed)}")
        filters[k] = v
    bq = _export.browse_query(type, filters, sort=sort, limit=state.settings.max_export_rows)
    name = f"fdiscope-{type}"
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    with state.db() as store:
        if fmt == "parquet":
            buf = io.BytesIO()
            _export.write_parquet(_export.iter_rows(store, bq, type), buf, type)
            return Response(buf.getvalue(), media_type=_export.MEDIA_TYPES[fmt], headers=headers)
        out = io.StringIO()
        if fmt == "json":
            _export.write_json(_export.iter_objects(store, bq, type), out)
        elif fmt == "csv":
            _export.write_csv(_export.iter_rows(store, bq, type), out, _ROW_FIELDS[type])
        else:
            _export.write_geojson(_export.iter_rows(store, bq, type), out)
    return Response(out.getvalue(), media_type=_export.MEDIA_TYPES[fmt], headers=headers)


# -- writes (bearer token) -------------------------------------------------------------------


class DocumentIn(BaseModel):
    """A document to ingest: its text and what is known about it."""

    text: str = Field(
        min_length=1, pattern=r"\S", description="the article text (a leading date line is read)"
    )
    title: str | None = None
    url: str | None = None
    published: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    source: str | None = None


class CorrectionIn(BaseModel):
    """A human correction of one field of a project (stored as a human claim, with an audit log)."""

    project: int | None = Field(default=None, description="the project id")
    record: str | None = Field(default=None, description="or a record of it: project:12")
    field: str
    value: Any = Field(
        default=None, description="text ('1.5e9 RUB 2023', 'operational 2024-05', '450') or JSON"
    )
    note: str | None = Field(default=None, max_length=2000)
    author: str | None = Field(default=None, max_length=200)


class MergeIn(BaseModel):
    """Two projects that are one: ``b`` becomes part of ``a``."""

    a: int
    b: int
    note: str | None = Field(default=None, max_length=2000)
    author: str | None = Field(default=None, max_length=200)


class SplitIn(BaseModel):
    """Claims (``project:12`` or ``12``) to move out of a project into a project of their own."""

    claims: list[str] = Field(min_length=1, max_length=10_000)
    note: str | None = Field(default=None, max_length=2000)
    author: str | None = Field(default=None, max_length=200)


class UndoIn(BaseModel):
    author: str | None = Field(default=None, max_length=200)


@router.post("/documents", status_code=201, summary="Ingest a document (needs the bearer token)")
def ingest(
    state: State, body: DocumentIn, authorization: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    state.check_token(authorization)
    doc = plain_text_document(
        body.text,
        source=body.source or "api",
        url=body.url,
        title=body.title,
        published=body.published,
        language=body.language,
    )
    with state.db() as store:
        report = service.ingest_documents(store, [doc])
        outcome = "ingested" if report.ingested else "duplicate" if report.duplicates else "failed"
        recs = store.records_of(doc.id) if outcome != "failed" else {}
        if outcome == "ingested" and recs.get("project"):
            state.resolve()  # the new claims join (or become) projects
        projects_of = [
            int(r[0])
            for r in store.conn.execute(
                "SELECT DISTINCT entity_id FROM entity_claims WHERE doc_id = ? ORDER BY entity_id", (doc.id,)
            )
        ]
    result: dict[str, Any] = {
        "status": outcome,
        "doc_id": doc.id,
        "records": {t: [i.ref for i in items] for t, items in recs.items()},
        "projects": projects_of,
    }
    if report.failures:
        result["reason"] = report.failures[0].reason
    return result


def _after(state: WebState, store: Any, cid: int, entity_id: int | None) -> dict[str, Any]:
    corr = next(c for c in list_corrections(store) if c.id == cid)
    from ..store.browse import sync_entities

    sync_entities(store)
    out: dict[str, Any] = {"correction": corr.to_dict()}
    if entity_id is not None:
        out["project"] = project_detail(store, entity_id)
    return out


@router.post("/corrections", status_code=201, summary="Correct a field of a project (needs the bearer token)")
def correct(
    state: State, body: CorrectionIn, authorization: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    state.check_token(authorization)
    if (body.project is None) == (body.record is None):
        raise QueryError("give either project (a project id) or record (project:12), not both")
    with state.db() as store:
        eid = body.project if body.project is not None else entity_of_record(store, body.record or "")
        text = correct_value(body.field, body.value)
        cid, _ = _correct_entity(store, eid, body.field, text, note=body.note, author=body.author or "api")
        return _after(state, store, cid, eid)


@router.get("/corrections", summary="Corrections (merges, splits, field corrections) with their audit log")
def corrections(
    state: State, project: Annotated[int | None, Query(description="only this project's")] = None
) -> dict[str, Any]:
    with state.db() as store:
        items = [c.to_dict() for c in list_corrections(store, project)]
        for item in items:
            item["log"] = correction_log(store, item["id"])
    return {"count": len(items), "items": items}


@router.post(
    "/projects/merge", status_code=201, summary="Merge project b into project a (needs the bearer token)"
)
def merge(
    state: State, body: MergeIn, authorization: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    state.check_token(authorization)
    with state.db() as store:
        cid, _ = merge_entities(store, body.a, body.b, note=body.note, author=body.author or "api")
        return _after(state, store, cid, body.a)


@router.post("/projects/{project_id}/split", status_code=201,
             summary="Move claims out of a project into a new one (needs the bearer token)")  # fmt: skip
def split(
    state: State, project_id: int, body: SplitIn, authorization: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    state.check_token(authorization)
    with state.db() as store:
        cid, _ = split_entity(store, project_id, body.claims, note=body.note, author=body.author or "api")
        out = _after(state, store, cid, project_id)
        moved = {r if ":" in r else f"project:{r}" for r in body.claims}
        refs = [r.split(":", 1) for r in moved]
        new_ids = {
            int(row[0])
            for rt, rid in refs
            for row in store.conn.execute(
                "SELECT entity_id FROM entity_claims WHERE record_type = ? AND record_id = ?", (rt, int(rid))
            )
        }
        out["new_projects"] = sorted(new_ids)
        return out


@router.post("/corrections/{correction_id}/undo", summary="Undo a correction (needs the bearer token)")
def undo(
    state: State,
    correction_id: int,
    authorization: Annotated[str | None, Header()] = None,
    body: UndoIn | None = None,
) -> dict[str, Any]:
    state.check_token(authorization)
    with state.db() as store:
        corr, _ = undo_correction(store, correction_id, author=(body.author if body else None) or "api")
        return _after(state, store, corr.id, None)
