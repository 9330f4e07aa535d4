"""The ASGI application: ``/graphql`` (queries, mutations, GraphiQL), ``/healthz``, ``/readyz``.

Authentication happens before GraphQL runs: a request with a bad bearer token gets HTTP 401 and
never reaches a resolver; a request without one runs anonymously, and every field that needs a
caller answers with an ``UNAUTHENTICATED`` error.

HTTP-level refusals are JSON in GraphQL's shape (``{"errors": [{"message", "extensions":
{"code"}}]}``), never plain text or a stack trace: 400 for a body that is not one JSON object
(malformed JSON, a batched array) and for operations over GET (only the GraphiQL page is served
over GET), 413 for a body over ``max_body_bytes``. Errors of the GraphQL document itself
(syntax, validation, wrong variable types, unknown enum values, limits) are HTTP 200 with
``errors`` and ``data: null``, as the GraphQL-over-HTTP convention for ``application/json`` has it.
CORS is allowed only for ``cors_origins`` (none by default).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio.to_thread
import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol

from lifecycle.database import Database
from lifecycle.migrate import pending
from lifecycle.service import LifecycleService
from lifecycle.settings import Settings
from projections.catalogue import all_projections
from projections.runner import Projector
from projections.watcher import Watcher
from schema import graphiql
from schema.cache import ResponseCache
from schema.context import Context
from schema.documents import Bounded
from schema.reads import Reads
from schema.root import build
from schema.tokens import AuthenticationFailed, Identity, Verifier

log = logging.getLogger(__name__)

CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED",
         413: "PAYLOAD_TOO_LARGE"}
NOT_ONE_OPERATION = ("Batching is off: send one operation per request, as a JSON object with "
                     "`query` (and optional `variables` and `operationName`), not an array")
NO_GET = ("Operations over GET are off: POST a JSON object with `query` to this URL "
          "(GET serves only the GraphiQL page, to a browser)")


def http_error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message,
                                     "extensions": {"code": CODES.get(status, "BAD_REQUEST")}}]},
                        status_code=status)


class PersistedQueryRefused(Exception):
    """An automatic persisted query that cannot be run: unknown hash (HTTP 200, so that clients
    send the text with the hash, as the protocol has it), or text and hash that disagree (400)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.response = JSONResponse(
            {"errors": [{"message": message, "extensions": {"code": code}}]},
            status_code=status)


class PersistedQueries:
    """Automatic persisted queries (Apollo's protocol): a client sends
    ``extensions.persistedQuery.sha256Hash`` without the text; on PERSISTED_QUERY_NOT_FOUND it
    sends the text with the hash once, which is checked and kept (bounded, oldest out first)."""

    def __init__(self, entries: int = 10_000) -> None:
        self.known: Bounded[str, str] = Bounded(entries)

    def resolve(self, data: dict[str, object]) -> None:
        extensions = data.get("extensions")
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if persisted is None:
            return
        if not isinstance(persisted, dict) or persisted.get("version") != 1 \
                or not isinstance(persisted.get("sha256Hash"), str):
            raise PersistedQueryRefused(400, "BAD_REQUEST", "extensions.persistedQuery must be "
                                        "{\"version\": 1, \"sha256Hash\": \"<hex>\"}")
        digest = str(persisted["sha256Hash"]).lower()
        query = data.get("query")
        if query is None:
            known = self.known.get(digest)
            if known is None:
                raise PersistedQueryRefused(200, "PERSISTED_QUERY_NOT_FOUND",
                                            "PersistedQueryNotFound")
            data["query"] = known
        elif isinstance(query, str):
            if hashlib.sha256(query.encode()).hexdigest() != digest:
                raise PersistedQueryRefused(400, "PERSISTED_QUERY_HASH_MISMATCH",
                                            "provided sha256Hash does not match the query")
            self.known.put(digest, query)


class LifecycleGraphQL(GraphQL[Context, None]):
    def __init__(self, service: LifecycleService, reads: Reads, verifier: Verifier,
                 settings: Settings) -> None:
        super().__init__(build(settings),
                         graphql_ide="graphiql" if settings.graphiql_enabled else None,
                         allow_queries_via_get=False)
        self.service = service
        self.reads = reads
        self.verifier = verifier
        self.cache = ResponseCache(settings.response_cache_seconds)
        self.persisted = PersistedQueries()

    async def get_context(self, request: Request | WebSocket,
                          response: Response | WebSocket | None) -> Context:
        identity: Identity | None = request.scope.get("lifecycle.identity")
        context = Context.for_request(self.service, self.reads, identity,
                                      request.headers.get("x-correlation-id"))
        request.scope["lifecycle.context"] = context
        return context

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        key = None
        if self.cache.enabled and scope["method"] == "POST":
            key = self.cache.key(scope.get("lifecycle.identity"), await request.body())
            cached = await self.cache.lookup(key)
            if cached is not None:
                await Response(cached, media_type="application/json")(scope, receive, send)
                return
        try:
            response = await self.run(request)
            context: Context | None = scope.get("lifecycle.context")
            if key is not None and context is not None and context.cacheable \
                    and response.status_code == 200:
                self.cache.put(key, bytes(response.body))
        except HTTPException as error:  # strawberry's refusals are plain text: make them JSON
            response = http_error(error.status_code, error.reason)
        except PersistedQueryRefused as refused:
            response = refused.response
        finally:
            self.cache.done(key)
        await response(scope, receive, send)

    def parse_json(self, data: str | bytes) -> dict[str, object]:
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError as error:
            raise HTTPException(400, f"The request body is not valid JSON: {error}") from None
        if isinstance(value, list):
            raise HTTPException(400, NOT_ONE_OPERATION)
        if not isinstance(value, dict):
            raise HTTPException(400, "The request body must be a JSON object with `query`")
        self.persisted.resolve(value)
        return value

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter
                              ) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "GET":
            raise HTTPException(400, NO_GET)
        return await super().parse_http_body(request)

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        return (request.method == "GET" and request.query_params.get("query") is None
                and "text/html" in request.headers.get("accept", ""))

    async def render_graphql_ide(self, request: Request) -> Response:
        return graphiql.page(request.scope.get("root_path", "") + graphiql.ASSETS)


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413: at once by their Content-Length,
    else (chunked) when the bytes read so far pass it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = http_error(413, f"The request body is over the limit of {self.limit} bytes")
        length = Headers(scope=scope).get("content-length")
        if length is not None and not length.isdigit():
            await http_error(400, "Content-Length is not a number")(scope, receive, send)
            return
        if length is not None and int(length) > self.limit:
            await too_large(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise BodyTooLarge
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except BodyTooLarge:
            if started:
                raise
            await too_large(scope, receive, send)


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


def create_app(settings: Settings, db: Database, *,
               on_read: Callable[[str], None] | None = None) -> Starlette:
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
        reads = await Reads.open(db.url, watcher, settings.pool_size, on_read)
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

    routes: list[BaseRoute] = [
        Route("/graphql", graphql, methods=None),  # other methods: strawberry's 405, as JSON
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ]
    if settings.graphiql_enabled:
        routes.append(Mount(graphiql.ASSETS, app=graphiql.assets()))
    middleware = [Middleware(BodyLimit, limit=settings.max_body_bytes)]
    if settings.cors_origins:
        middleware.insert(0, Middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-Correlation-Id"], max_age=600))
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
