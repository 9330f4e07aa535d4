"""The ASGI application: ``/graphql`` (queries, mutations, GraphiQL), ``/healthz``, ``/readyz``.

Authentication happens before GraphQL runs: a request with a bad bearer token gets HTTP 401 and
never reaches a resolver; a request without one runs anonymously, and every field that needs a
caller answers with an ``UNAUTHENTICATED`` error.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio.to_thread
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from lifecycle.database import Database
from lifecycle.migrate import pending
from lifecycle.service import LifecycleService
from lifecycle.settings import Settings
from projections.catalogue import all_projections
from projections.runner import Projector
from projections.watcher import Watcher
from schema.context import Context
from schema.reads import Reads
from schema.root import build
from schema.tokens import AuthenticationFailed, Identity, Verifier

log = logging.getLogger(__name__)


class LifecycleGraphQL(GraphQL[Context, None]):
    def __init__(self, service: LifecycleService, reads: Reads, verifier: Verifier,
                 settings: Settings) -> None:
        super().__init__(build(settings),
                         graphql_ide="graphiql" if settings.graphiql_enabled else None,
                         allow_queries_via_get=False)
        self.service = service
        self.reads = reads
        self.verifier = verifier

    async def get_context(self, request: Request | WebSocket,
                          response: Response | WebSocket | None) -> Context:
        identity: Identity | None = request.scope.get("lifecycle.identity")
        return Context.for_request(self.service, self.reads, identity,
                                   request.headers.get("x-correlation-id"))

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)


def unauthorised(message: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def bearer(request: Request, verifier: Verifier) -> Identity | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("the Authorization header must be 'Bearer <token>'")
    return verifier.verify(token.strip())


class GraphQLEndpoint:
    """An ASGI app (so Starlette passes it the raw scope): authenticate, then run GraphQL."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            try:
                identity = bearer(Request(scope, receive), self.state["verifier"])
            except AuthenticationFailed as exc:
                await unauthorised(str(exc))(scope, receive, send)
                return
            scope["lifecycle.identity"] = identity
        await self.state["graphql"](scope, receive, send)


def create_app(settings: Settings, db: Database) -> Starlette:
    """The whole service, bound to one database."""
    state: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        missing = await anyio.to_thread.run_sync(pending, db.dsn)
        if missing:
            raise RuntimeError(f"the database needs migrating first (lifecycle migrate): "
                               f"{', '.join(missing)}")
        service = await anyio.to_thread.run_sync(LifecycleService.connect, db,
                                                 settings.pool_size)
        verifier = Verifier(settings)
        watcher = Watcher(db.url)
        await watcher.start()
        reads = await Reads.open(db.url, watcher, settings.pool_size)
        state["service"] = service
        state["watcher"] = watcher
        state["graphql"] = LifecycleGraphQL(service, reads, verifier, settings)
        state["verifier"] = verifier
        if settings.development:
            log.warning("DEVELOPMENT MODE: local signing key, GraphiQL on; not for production")
        run_projector = settings.projector == "on" or (settings.projector == "auto"
                                                       and db.embedded)
        try:
            async with anyio.create_task_group() as group:
                if run_projector:
                    group.start_soon(Projector(db.url, all_projections()).run)
                yield
                group.cancel_scope.cancel()
        finally:
            await reads.close()
            await watcher.close()
            service.close()

    graphql = GraphQLEndpoint(state)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        service: LifecycleService | None = state.get("service")
        if service is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        try:
            head = await service.head()
        except Exception as exc:  # any database failure means not ready
            log.warning("readiness check failed: %s", exc)
            return JSONResponse({"status": "database unavailable"}, status_code=503)
        return JSONResponse({"status": "ready", "head": head})

    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        lifespan=lifespan,
    )
