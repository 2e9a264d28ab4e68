"""The server-rendered dashboard: overview, projects, project page, map, trade, events, documents.

Templates are Jinja2 with autoescaping on; article-derived strings are never marked safe.  SVG
is built in :mod:`.charts` (which escapes its labels).  The only script is our own
``static/app.js`` (click a value -> its sentence is highlighted); pages work without it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from .. import service
from ..model import EVENT_KINDS, KINDS, SECTORS, STATUSES, TRADE_FLOWS
from ..resolve import CorrectionError, correct_entity, merge_entities, split_entity, undo_correction
from ..resolve.corrections import CORRECTABLE_FIELDS
from ..store import QueryError, RecordNotFound
from ..store.browse import SORTS, BrowseQuery, browse_entities, count_entities, entity_facets
from . import charts
from .app import STATIC_DIR, WebState, WriteForbidden
from .projects import project_detail


def stats_for(state: WebState, filters: dict[str, Any]) -> dict[str, Any]:
    from .api import stats_for as _stats_for

    return _stats_for(state, filters)


__all__ = ["router", "region_grid", "segments", "error_page"]

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
templates.env.filters["num"] = charts.fmt_num
templates.env.globals.update(SECTORS=SECTORS, KINDS=KINDS, STATUSES=STATUSES, EVENT_KINDS=EVENT_KINDS,
                             TRADE_FLOWS=TRADE_FLOWS)  # fmt: skip

PAGE_SIZE = 25


@dataclass(frozen=True, slots=True)
class Result:
    """A page of resolved projects for the templates."""

    total: int
    items: list[dict[str, Any]]


@functools.cache
def region_grid() -> dict[str, Any]:
    """The shipped tile-grid cartogram (see scripts/build_region_grid.py)."""
    data: dict[str, Any] = json.loads((STATIC_DIR / "ru_regions_grid.geojson").read_text(encoding="utf-8"))
    return data


def region_names() -> dict[str, str]:
    return {f["properties"]["code"]: f["properties"]["name"] for f in region_grid()["features"]}


def _state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def render(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    ctx.setdefault("writes_enabled", bool(_state(request).token))
    ctx.setdefault("regions", region_names())
    return templates.TemplateResponse(request, name, ctx, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, message=message)


def segments(text: str, marks: list[tuple[int, int, str, str]]) -> list[dict[str, Any]]:
    """Cut ``text`` at every mark boundary; each piece lists the marks covering it by kind.

    ``marks`` are (start, end, key, kind); kind is "ev" (the value's own span) or "sent" (its
    sentence).  Returns pieces ``{"text", "ev": [keys], "sent": [keys]}`` in order.

    >>> [(p["text"], p["ev"]) for p in segments("ab cd", [(3, 5, "x", "ev")])]
    [('ab ', []), ('cd', ['x'])]
    """
    cuts = {0, len(text)}
    for s, e, _, _ in marks:
        cuts.add(max(0, min(s, len(text))))
        cuts.add(max(0, min(e, len(text))))
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:], strict=False):
        if a == b:
            continue
        ev = sorted({k for s, e, k, kind in marks if kind == "ev" and s <= a and b <= e})
        sent = sorted({k for s, e, k, kind in marks if kind == "sent" and s <= a and b <= e})
        out.append({"text": text[a:b], "ev": ev, "sent": sent})
    return out


_PROJECT_KEYS = ("country", "investor_country", "region", "sector", "kind", "status", "amount_min",
                 "amount_max", "currency", "date_from", "date_to", "q")  # fmt: skip
_TRADE_KEYS = ("country", "region", "partner", "flow", "period_from", "period_to", "currency", "q")
_EVENT_KEYS = ("country", "kind", "date_from", "date_to", "q")


def _filters(params: Mapping[str, str], keys: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k in keys:
        v = (params.get(k) or "").strip()
        if not v:
            continue
        if k in ("amount_min", "amount_max"):
            try:
                out[k] = float(v)
            except ValueError:
                raise QueryError(f"{k}={v!r} is not a number") from None
        else:
            out[k] = v
    return out


def _page_no(params: Mapping[str, str]) -> int:
    try:
        return max(1, int(params.get("page", "1")))
    except ValueError:
        raise QueryError(f"page={params.get('page')!r} is not a number") from None


def _link(base: str, params: Mapping[str, Any], **changes: Any) -> str:
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return base + ("?" + urlencode(merged) if merged else "")


# -- pages -----------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> Response:
    state = _state(request)
    with state.db() as store:
        stats = stats_for(state, {})
        counts = state.cached(
            ("counts",), lambda: {t: store.count(t) for t in ("documents", "projects", "trade", "events")}
        )
        counts = {**counts, "projects": stats["projects"]}
        _, latest = browse_entities(store, BrowseQuery(record_type="entity", sort="-last_seen", limit=10),
                                    with_total=False)  # fmt: skip
    names = region_names()
    top_sectors = [
        (g["key"], g["count"], f"/projects?sector={g['key']}") for g in stats["by_sector"] if g["key"]
    ][:8]
    top_investors = [(g["key"], g["count"], "/projects?" + urlencode({"q": g["key"]}))
                     for g in stats["top_investors"] if g["key"]][:8]  # fmt: skip
    top_countries = [
        (g["key"], g["count"], f"/projects?investor_country={g['key']}")
        for g in stats["by_investor_country"]
        if g["key"]
    ][:8]
    by_region = {g["key"]: g["count"] for g in stats["by_region"] if g["key"]}
    return render(
        request,
        "overview.html",
        stats=stats,
        counts=counts,
        latest=latest,
        names=names,
        sector_bars=charts.bars(top_sectors),
        investor_bars=charts.bars(top_investors),
        country_bars=charts.bars(top_countries),
        map_svg=charts.choropleth(region_grid(), by_region, metric_label="projects", cell=30),
    )


@router.get("/projects", response_class=HTMLResponse)
def projects_page(request: Request) -> Response:
    state = _state(request)
    params = dict(request.query_params)
    try:
        filters = _filters(params, _PROJECT_KEYS)
        page = _page_no(params)
        sort = params.get("sort") or "-id"
        bq = BrowseQuery(
            record_type="entity", **filters, sort=sort, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        with state.db() as store:
            _, items = browse_entities(store, bq, with_total=False)
            total = state.cached(("count", "entity", tuple(sorted(bq.filters().items()))),
                                 lambda: count_entities(store, bq))  # fmt: skip
            cols = {"host_region": "host_region", "host_country": "host_country", "sector": "sector",
                    "kind": "project_kind", "status": "status"}  # fmt: skip
            facets = state.cached(
                ("facets-page",), lambda: {name: entity_facets(store, col) for name, col in cols.items()}
            )
        result = Result(total=total, items=items)
    except QueryError as exc:
        return error_page(request, 422, str(exc))
    pages = max(1, (result.total + PAGE_SIZE - 1) // PAGE_SIZE)
    export_params = {k: v for k, v in params.items() if k in _PROJECT_KEYS and v}
    return render(
        request,
        "projects.html",
        result=result,
        filters=filters,
        params=params,
        sort=sort,
        sorts=list(SORTS["entity"]),
        facets=facets,
        page=page,
        pages=pages,
        prev_link=_link("/projects", params, page=page - 1) if page > 1 else None,
        next_link=_link("/projects", params, page=page + 1) if page < pages else None,
        sort_link=lambda key: _link(
            "/projects", params, sort=("-" + key if sort != "-" + key else key), page=None
        ),
        export_link=lambda fmt: _link("/api/export", export_params, format=fmt),
    )


def _record_page(request: Request, ref: str, message: str | None = None, status: int = 200) -> Response:
    state = _state(request)
    with state.db() as store:
        detail = service.record_detail(store, ref)
        doc = service.get_document(store, detail["doc_id"])
    marks: list[tuple[int, int, str, str]] = []
    for name, f in detail["fields"].items():
        for ev in f["evidence"]:
            marks.append((ev["start"], ev["end"], name, "ev"))
            marks.append((ev["sentence"]["start"], ev["sentence"]["end"], name, "sent"))
    if detail["evidence"]:
        ev = detail["evidence"]
        marks.append((ev["start"], ev["end"], "record", "sent"))
    pieces = segments(doc.text, marks)
    seen: set[str] = set()
    for p in pieces:  # the first piece of each value gets an anchor, for links without script
        p["anchors"] = [k for k in p["ev"] if k not in seen]
        seen.update(p["ev"])
    return render(
        request,
        "record.html",
        status=status,
        detail=detail,
        doc=doc,
        pieces=pieces,
        message=message,
        field_names=list(detail["fields"]),
    )


def _entity_page(
    request: Request, project_id: int, message: str | None = None, status: int = 200
) -> Response:
    state = _state(request)
    with state.db() as store:
        p = project_detail(store, project_id)
        marks: dict[str, list[tuple[int, int, str, str]]] = {}

        def mark(ev: dict[str, Any], key: str) -> None:
            m = marks.setdefault(ev["doc_id"], [])
            m.append((ev["start"], ev["end"], key, "ev"))
            m.append((ev["sentence"]["start"], ev["sentence"]["end"], key, "sent"))

        for name, f in p["fields"].items():
            for claim in f["claims"]:
                for ev in claim["evidence"]:
                    mark(ev, name)
        for c in p["conflicts"]:
            for ref in c["claims"]:
                claim = next((cl for cl in p["claims"] if cl["id"] == ref), None)
                if claim is not None:
                    from .projects import _field_spans

                    doc = store.get_document(claim["doc_id"])
                    for ev in _field_spans(claim, c["field"], doc.text if doc else ""):
                        mark(ev, f"conflict-{c['field']}-{ref.replace(':', '-')}")
        for i, t in enumerate(p["history"]["transitions"]):
            if t.get("sentence") and t.get("span"):
                mark({**t["span"], "doc_id": t["doc_id"], "sentence": t["sentence"]}, f"step-{i}")
        order = [s["doc_id"] for s in p["sources"]["list"]]
        shown_ids = [d for d in order if d in marks][:MAX_TEXTS]
        texts = []
        seen: set[str] = set()
        for doc_id in shown_ids:
            doc = service.get_document(store, doc_id)
            pieces = segments(doc.text, marks[doc_id])
            for piece in pieces:  # the first piece of each value gets an anchor, for links without script
                piece["anchors"] = [k for k in piece["ev"] if k not in seen]
                seen.update(piece["ev"])
            texts.append({"doc": doc, "pieces": pieces})
    return render(
        request,
        "project.html",
        status=status,
        p=p,
        texts=texts,
        more_texts=max(0, len(order) - len(shown_ids)),
        message=message,
        correctable=CORRECTABLE_FIELDS,
    )


MAX_TEXTS = 12


@router.get("/projects/{project_id}", response_class=HTMLResponse)
def project_page(request: Request, project_id: int) -> Response:
    return _entity_page(request, project_id)


@router.get("/records/projects/{record_id}", response_class=HTMLResponse)
def project_record_page(request: Request, record_id: int) -> Response:
    return _record_page(request, f"project:{record_id}")


@router.get("/trade/{trade_id}", response_class=HTMLResponse)
def trade_record_page(request: Request, trade_id: int) -> Response:
    return _record_page(request, f"trade:{trade_id}")


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_record_page(request: Request, event_id: int) -> Response:
    return _record_page(request, f"event:{event_id}")



@router.post("/{kind}/{record_id}/correct", response_class=HTMLResponse)
def correct_page(
    request: Request,
    kind: str,
    record_id: int,
    field: str = Form(...),
    value: str = Form(""),
    note: str = Form(""),
    token: str = Form(""),
) -> Response:
    types = {"projects": "project", "trade": "trade", "events": "event"}
    if kind not in types:
        return error_page(request, 404, f"no page /{kind}")
    ref = f"{types[kind]}:{record_id}"
    state = _state(request)
    if kind == "projects":  # a resolved project: a human claim through fdiscope.resolve
        try:
            state.check_token(request.headers.get("authorization") or f"Bearer {token}")
            with state.db() as store:
                correct_entity(store, record_id, field, value, note=note or None, author="dashboard")
        except WriteForbidden as exc:
            return _entity_page(request, record_id, message=str(exc), status=exc.status)
        except (QueryError, CorrectionError) as exc:
            return _entity_page(request, record_id, message=str(exc), status=422)
        return RedirectResponse(f"/projects/{record_id}#field-{field}", status_code=303)
    try:
        state.check_token(request.headers.get("authorization") or f"Bearer {token}")
        parsed = service.parse_field_value(field, value)
        with state.db() as store:
            service.add_correction(store, ref, field, parsed, note or None, "dashboard")
    except WriteForbidden as exc:
        return _record_page(request, ref, message=str(exc), status=exc.status)
    except QueryError as exc:
        return _record_page(request, ref, message=str(exc), status=422)
    return RedirectResponse(f"/{kind}/{record_id}#field-{field}", status_code=303)


def _project_write(
    request: Request, project_id: int, token: str, write: Callable[[Any], str]
) -> Response:
    """Run a correction of project ``project_id`` (``write(store)`` returns where to go next)
    with the operator's token; on a refusal or a bad request, the project page says why."""
    state = _state(request)
    try:
        state.check_token(request.headers.get("authorization") or f"Bearer {token}")
        with state.db() as store:
            target = write(store)
    except WriteForbidden as exc:
        return _entity_page(request, project_id, message=str(exc), status=exc.status)
    except (QueryError, CorrectionError, RecordNotFound) as exc:
        return _entity_page(request, project_id, message=str(exc).strip("'\""), status=422)
    return RedirectResponse(target, status_code=303)


@router.post("/projects/{project_id}/merge", response_class=HTMLResponse)
def merge_page(
    request: Request, project_id: int, other: str = Form(""), note: str = Form(""), token: str = Form("")
) -> Response:
    """Merge project ``other`` into this one (a human must-link, undoable)."""

    def write(store: Any) -> str:
        try:
            b = int(other.strip().lstrip("#"))
        except ValueError:
            raise QueryError("merge: give the number of the other project, e.g. 12") from None
        if b == project_id:
            raise QueryError("merge: a project cannot be merged into itself")
        merge_entities(store, project_id, b, note=note or None, author="dashboard")
        return f"/projects/{project_id}#corrections"

    return _project_write(request, project_id, token, write)


@router.post("/projects/{project_id}/split", response_class=HTMLResponse)
async def split_page(request: Request, project_id: int) -> Response:
    """Move the ticked claims out of this project into a new one (undoable)."""
    form = await request.form()
    claims = [str(c) for c in form.getlist("claims")]

    def write(store: Any) -> str:
        if not claims:
            raise QueryError("split: tick the claims to move into a new project")
        split_entity(store, project_id, claims, note=str(form.get("note") or "") or None, author="dashboard")
        ref = claims[0] if ":" in claims[0] else f"project:{claims[0]}"
        rtype, rid = ref.split(":", 1)
        row = store.conn.execute(
            "SELECT entity_id FROM entity_claims WHERE record_type = ? AND record_id = ?", (rtype, int(rid))
        ).fetchone()
        return f"/projects/{row[0]}" if row is not None else f"/projects/{project_id}#corrections"

    return _project_write(request, project_id, str(form.get("token") or ""), write)


@router.post("/projects/{project_id}/corrections/{correction_id}/undo", response_class=HTMLResponse)
def undo_page(request: Request, project_id: int, correction_id: int, token: str = Form("")) -> Response:
    """Undo one of the corrections listed on this project's page."""

    def write(store: Any) -> str:
        undo_correction(store, correction_id, author="dashboard")
        return f"/projects/{project_id}#corrections"

    return _project_write(request, project_id, token, write)


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request) -> Response:
    state = _state(request)
    params = dict(request.query_params)
    metric = params.get("metric", "count")
    if metric not in ("count", "amount"):
        return error_page(request, 422, "metric must be count or amount (in USD)")
    try:
        filters = _filters(params, ("investor_country", "sector", "kind", "status", "date_from", "date_to"))
        stats = stats_for(state, filters)
    except QueryError as exc:
        return error_page(request, 422, str(exc))
    rows = [g for g in stats["by_region"] if g["key"]]
    if metric == "count":
        values = {g["key"]: g["count"] for g in rows}
        label = "projects"
    else:
        values = {g["key"]: g["amount_usd"] or 0 for g in rows}
        label = "USD"
    details = {
        g["key"]: f"{g['count']} projects"
        + (f", {charts.fmt_num(g['amount_usd'])} USD" if g["amount_usd"] is not None else "")
        for g in rows
    }
    unplaced = next((g for g in stats["by_region"] if not g["key"]), None)
    return render(
        request,
        "map.html",
        map_svg=charts.choropleth(region_grid(), values, metric_label=label, details=details),
        rows=sorted(rows, key=lambda g: -values.get(g["key"], 0)),
        metric=metric,
        params=params,
        unplaced=unplaced,
    )


#: rows of the cross-document tables on the trade and events pages (all of them: the API)
MAX_DISPUTED = 50


@router.get("/trade", response_class=HTMLResponse)
def trade_page(request: Request) -> Response:
    state = _state(request)
    params = dict(request.query_params)
    try:
        filters = _filters(params, _TRADE_KEYS)
        page = _page_no(params)
        from ..store.browse import figure_series, trade_figures

        with state.db() as store:
            figures = trade_figures(store, BrowseQuery(record_type="trade", **filters))
            series = figure_series(figures)
            result = service.browse_records(store, "trade", **filters, sort=params.get("sort") or "-period",
                                            offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)  # fmt: skip
    except QueryError as exc:
        return error_page(request, 422, str(exc))
    names = region_names()
    # One chart per (reporter, partner); its lines are the flows/currencies.
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for s in series:
        s = {**s, "label": f"{s['flow']} ({s['currency'] or '?'})"}
        groups.setdefault((s["reporter"] or "?", s["partner"] or "?"), []).append(s)
    charts_html = [
        {"title": f"{names.get(r, r)} — {p}", "reporter": r, "partner": p, "svg": charts.line_chart(ss)}
        for (r, p), ss in sorted(groups.items())
    ]
    pages = max(1, (result.total + PAGE_SIZE - 1) // PAGE_SIZE)
    disputed = [f.to_dict() for f in figures if f.conflicts]
    return render(
        request,
        "trade.html",
        charts=charts_html,
        n_figures=len(figures),
        disputed=disputed[:MAX_DISPUTED],
        n_disputed=len(disputed),
        result=result,
        params=params,
        filters=filters,
        page=page,
        pages=pages,
        prev_link=_link("/trade", params, page=page - 1) if page > 1 else None,
        next_link=_link("/trade", params, page=page + 1) if page < pages else None,
    )


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request) -> Response:
    state = _state(request)
    params = dict(request.query_params)
    try:
        filters = _filters(params, _EVENT_KEYS)
        page = _page_no(params)
        from ..store.browse import gathered_events

        with state.db() as store:
            result = service.browse_records(store, "event", **filters, sort=params.get("sort") or "-date",
                                            offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)  # fmt: skip
            bq = BrowseQuery(record_type="event", **filters)
            gathered = [e.to_dict() for e in gathered_events(store, bq)]
    except QueryError as exc:
        return error_page(request, 422, str(exc))
    pages = max(1, (result.total + PAGE_SIZE - 1) // PAGE_SIZE)
    several = sorted((e for e in gathered if e["documents"] > 1), key=lambda e: e["date"] or "", reverse=True)
    return render(
        request,
        "events.html",
        n_events=len(gathered),
        several=several[:MAX_DISPUTED],
        n_several=len(several),
        result=result,
        params=params,
        filters=filters,
        page=page,
        pages=pages,
        prev_link=_link("/events", params, page=page - 1) if page > 1 else None,
        next_link=_link("/events", params, page=page + 1) if page < pages else None,
    )


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str) -> Response:
    state = _state(request)
    with state.db() as store:
        data = service.document_spans(store, doc_id)
    doc = data["document"]
    marks = [
        (s["start"], s["end"], f"{s['record']}/{s['field']}", "ev")
        for s in data["spans"]
        if s["field"] != "record"
    ]
    marks += [(s["start"], s["end"], s["record"], "sent") for s in data["spans"] if s["field"] == "record"]
    return render(request, "document.html", doc=doc, data=data, pieces=segments(doc["text"], marks))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "") -> Response:
    from .api import snippet  # noqa: I001

    hits: list[dict[str, Any]] = []
    error = None
    if q.strip():
        state = _state(request)
        try:
            with state.db() as store:
                for d in service.search_documents(store, q, 50):
                    hits.append({"doc": d, "snippet": snippet(d.text, q)})
        except QueryError as exc:
            error = str(exc)
    return render(request, "search.html", q=q, hits=hits, error=error, status=422 if error else 200)
