"""The FastAPI application: settings, limits, error rendering and the routers.

``create_app(store_or_url, token=None)`` builds the app; :mod:`.api` holds the JSON routes,
:mod:`.pages` the server-rendered dashboard.  All database access goes through
:mod:`fdiscope.service` with one lock around the store's connection (SQLite connections are
not safe to use from several threads at once, and FastAPI runs sync routes in a pool).
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ..resolve import CorrectionError
from ..store import QueryError, RecordNotFound, Store, StoreError
from ..store.browse import sync_entities

__all__ = ["WebSettings", "WebState", "create_app", "TOKEN_ENV", "WriteForbidden"]

log = logging.getLogger(__name__)

#: Environment variable holding the bearer token that enables write endpoints.
TOKEN_ENV = "FDISCOPE_TOKEN"
STATIC_DIR = Path(__file__).resolve().parent / "static"

# Content-Security-Policy: only our own scripts and styles, nothing inline, nothing remote.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class WriteForbidden(Exception):
    """A write request without the operator's token (401) or while writes are off (403)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Limits of the HTTP layer (shipped defaults; override through :func:`create_app`)."""

    max_page_size: int = 500
    default_page_size: int = 50
    max_body_bytes: int = 1_000_000
    max_export_rows: int = 100_000
    cache_entries: int = 128
    #: run project resolution when the server starts on a database never resolved
    resolve_on_start: bool = True


@dataclass
class WebState:
    """What routes share: the store, its lock, the token and a small result cache."""

    store: Store
    token: str | None
    settings: WebSettings
    lock: threading.RLock = field(default_factory=threading.RLock)
    _cache: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict)

    @contextmanager
    def db(self) -> Iterator[Store]:
        with self.lock:
            # Resolved projects are read from tables derived after each resolution run (by this
            # server or by `fdiscope resolve`): bring them up to date first (two cheap reads).
            sync_entities(self.store)
            yield self.store

    def resolve(self) -> Any:
        """Re-run project resolution (after an ingest through the API)."""
        from ..resolve import resolve_store

        with self.lock:
            report = resolve_store(self.store)
            sync_entities(self.store)
            return report

    def data_version(self) -> tuple[int, int, int]:
        """Changes whenever anything is written, by this connection or another process."""
        conn = self.store.conn
        other = int(conn.execute("PRAGMA data_version").fetchone()[0])
        return (conn.total_changes, other, self.store.count("documents"))

    def cached(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()`` memoised per data version (statistics over a large table are costly)."""
        with self.lock:
            full = (key, self.data_version())
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
            value = compute()
            self._cache[full] = value
            while len(self._cache) > self.settings.cache_entries:
                self._cache.popitem(last=False)
            return value

    def check_token(self, authorization: str | None) -> None:
        """Raise :class:`WriteForbidden` unless ``authorization`` is ``Bearer <the token>``."""
        if not self.token:
            raise WriteForbidden(
                403,
                "writes are disabled: start the server with --token or set "
                f"{TOKEN_ENV} to enable write endpoints",
            )
        given = ""
        if authorization and authorization.lower().startswith("bearer "):
            given = authorization[7:].strip()
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            raise WriteForbidden(401, "missing or wrong bearer token; send 'Authorization: Bearer <token>'")


def _resolve_if_never_done(state: WebState) -> None:
    store = state.store
    ran = store.conn.execute("SELECT 1 FROM resolution_runs LIMIT 1").fetchone()
    if ran is None and store.conn.execute("SELECT 1 FROM projects LIMIT 1").fetchone() is not None:
        log.info("resolving projects (never done on this database)")
        state.resolve()


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "body", "path")]
        parts.append(f"{'.'.join(loc) or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def create_app(
    store: Store | str | os.PathLike[str] | None = None,
    token: str | None = None,
    *,
    settings: WebSettings | None = None,
) -> FastAPI:
    """The fdiscope web app over ``store`` (an open Store, a path or ``sqlite:///`` URL).

    Args:
        store: the database; default ``$FDISCOPE_DB`` or ``./fdiscope.db``.
        token: bearer token for write endpoints; default ``$FDISCOPE_TOKEN``; none = read-only.
        settings: limits (page size, request size, export rows).
    """
    from . import api, pages

    st = store if isinstance(store, Store) else Store(store)
    state = WebState(
        store=st,
        token=token if token is not None else (os.environ.get(TOKEN_ENV) or None),
        settings=settings or WebSettings(),
    )
    app = FastAPI(
        title="fdiscope",
        summary="Cross-border investment projects, trade figures and events from news, with evidence.",
        version="0.1.0",
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.web = state
    if settings is None or settings.resolve_on_start:
        _resolve_if_never_done(state)

    @app.middleware("http")
    async def limits_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        limit = state.settings.max_body_bytes
        length = request.headers.get("content-length")
        if length is not None:
            try:
                too_big = int(length) > limit
            except ValueError:
                return JSONResponse({"detail": "bad Content-Length header"}, status_code=400)
            if too_big:
                return JSONResponse({"detail": f"request body is larger than {limit} bytes"}, status_code=413)
        elif request.method in ("POST", "PUT", "PATCH"):
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    return JSONResponse(
                        {"detail": f"request body is larger than {limit} bytes"}, status_code=413
                    )
            request._body = body  # already read: let the route see it
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if not request.url.path.startswith("/docs"):
            # /docs (Swagger UI) loads its own inline script; everything else is locked down.
            response.headers.setdefault("Content-Security-Policy", _CSP)
        return response

    @app.exception_handler(QueryError)
    async def _query_error(request: Request, exc: QueryError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(CorrectionError)
    async def _correction_error(request: Request, exc: CorrectionError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = json.loads(json.dumps(exc.errors(), default=str))
        return JSONResponse({"detail": _validation_message(exc), "errors": errors}, status_code=422)

    @app.exception_handler(RecordNotFound)
    async def _not_found(request: Request, exc: RecordNotFound) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=404)
        return pages.error_page(request, 404, str(exc))

    @app.exception_handler(WriteForbidden)
    async def _forbidden(request: Request, exc: WriteForbidden) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"detail": str(exc)}, status_code=exc.status, headers=headers)

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> JSONResponse:
        log.error("store error on %s: %s", request.url.path, exc)
        return JSONResponse({"detail": str(exc)}, status_code=500)

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
