"""The GraphQL endpoint: strawberry's ASGI view, with this product's request handling.

- bodies are parsed with orjson; a batched array, a non-object or malformed JSON is HTTP 400;
- operations over GET are refused (GET serves only the GraphiQL page, to a browser);
- with a manifest of trusted documents, only its documents run, named by identifier; anything
  else is refused before parsing (``schema.trusted``); without one, automatic persisted queries
  are resolved before parsing (``schema.persisted``);
- a document with several operations and no ``operationName`` is refused with the GraphQL
  request error the specification asks for (GetOperation), not run as its first operation;
  ``operationName`` must be a string (``""`` counts as absent, as GraphQL over HTTP has it);
- the optional response cache (``schema.cache``) answers repeated identical queries;
- strawberry's plain-text refusals are turned into JSON (``schema.http``);
- websocket connections speak graphql-transport-ws only, under the same limits, authenticated
  by their ``connection_init`` payload (``schema/partners/websocket.py``).
"""

from __future__ import annotations

import logging

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from lifecycle.service.service import LifecycleService
from lifecycle.service.settings import Settings
from projections.partners.feed import Feed
from schema import root
from schema.context import Context
from schema.documents.pipeline import Documents
from schema.partners.websocket import BoundedWebSocket, TransportWS, authenticate
from schema.reads import Reads
from schema.root import build
from schema.server import graphiql
from schema.server.auth import Organisations, identity_of
from schema.server.cache import ResponseCache
from schema.server.persisted import PersistedQueries, PersistedQueryRefused
from schema.server.refusals import http_error
from schema.server.requests import request_id
from schema.server.tokens import Verifier
from schema.server.trusted import NOT_IN_LIST, TrustedDocuments

NOT_ONE_OPERATION = ("Batching is off: send one operation per request, as a JSON object with "
                     "`query` (and optional `variables` and `operationName`), not an array")
NO_GET = ("Operations over GET are off: POST a JSON object with `query` to this URL "
          "(GET serves only the GraphiQL page, to a browser)")
CONTEXT = "lifecycle.context"
UNAVAILABLE = "lifecycle.unavailable"
OPERATION_NAME_REQUIRED = "OPERATION_NAME_REQUIRED"

log = logging.getLogger(__name__)


class LifecycleGraphQL(GraphQL[Context, None]):
    websocket_adapter_class = BoundedWebSocket
    graphql_transport_ws_handler_class = TransportWS

    def __init__(self, service: LifecycleService, reads: Reads, settings: Settings, *,
                 verifier: Verifier | None = None, organisations: Organisations | None = None,
                 feed: Feed | None = None) -> None:
        self.documents = Documents(settings)
        schema = build(settings, self.documents)
        self.graphql_schema = schema._schema
        super().__init__(schema,
                         graphql_ide="graphiql" if settings.graphiql_enabled else None,
                         allow_queries_via_get=False,
                         subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
                         allowed_origins=settings.cors_origins,
                         max_subscriptions_per_connection=settings.max_subscriptions_per_connection)
        self.service = service
        self.reads = reads
        self.verifier = verifier or Verifier(settings)
        self.organisations = organisations or Organisations(reads)
        self.feed = feed
        self.settings = settings
        self.max_message_bytes = settings.max_body_bytes
        self.cache = ResponseCache(settings.response_cache_seconds,
                                   settings.response_cache_bytes)
        self.persisted = PersistedQueries(settings.persisted_query_bytes)
        self.trusted = (TrustedDocuments.load(settings.trusted_documents)
                        if settings.trusted_documents is not None else None)
        if self.trusted is not None:
            self._prepare_trusted(self.trusted)

    def _prepare_trusted(self, trusted: TrustedDocuments) -> None:
        """Parse and validate every trusted document once, at start: requests then find them
        prepared, and a registered document this schema refuses is named in the log."""
        for text in trusted.texts():
            prepared = self.documents.prepare_now(text, self.graphql_schema)
            if prepared.errors:
                log.warning("trusted document %s is refused: %s", text[:80],
                            prepared.errors[0].message)
        log.info("serving %d trusted documents only", len(trusted))

    async def get_context(self, request: Request | WebSocket,
                          response: Response | WebSocket | None) -> Context:
        context = Context.for_request(self.service, self.reads, identity_of(request.scope),
                                      request_id(request.scope))
        context.feed = self.feed
        context.settings = self.settings
        request.scope[CONTEXT] = context
        return context

    async def on_ws_connect(self, context: Context) -> None:
        """Authenticate a websocket by its ``connection_init`` payload (4403 when refused)."""
        context.identity, context.expires_at = await authenticate(
            context.connection_params, self.verifier, self.organisations)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        key = None
        if self.cache.enabled and scope["method"] == "POST":
            key = self.cache.key(identity_of(scope), await request.body())
            cached = await self.cache.lookup(key)
            if cached is not None:
                await Response(cached, media_type="application/json")(scope, receive, send)
                return
        try:
            response = await self.run(request)
            if scope.get(UNAVAILABLE):  # the database is away: retryable (schema.root)
                response.status_code = 503
                response.headers["Retry-After"] = "1"
            context: Context | None = scope.get(CONTEXT)
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

    async def process_result(self, request: Request, result: ExecutionResult
                             ) -> GraphQLHTTPResponse:
        if root.unavailable(result.errors):
            request.scope[UNAVAILABLE] = True
        return await super().process_result(request, result)

    def parse_json(self, data: str | bytes) -> dict[str, object]:
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError as error:
            raise HTTPException(400, f"The request body is not valid JSON: {error}") from None
        if isinstance(value, list):
            raise HTTPException(400, NOT_ONE_OPERATION)
        if not isinstance(value, dict):
            raise HTTPException(400, "The request body must be a JSON object with `query`")
        name = value.get("operationName")
        if name == "":
            value["operationName"] = None
        elif name is not None and not isinstance(name, str):
            raise HTTPException(400, "The request's `operationName` must be a string or null")
        if self.trusted is not None:
            self.trusted.resolve(value)
        elif "documentId" in value:
            raise PersistedQueryRefused(200, NOT_IN_LIST, (
                "This server has no trusted documents registered: send the document as `query`"))
        else:
            self.persisted.resolve(value)
        return value

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter
                              ) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "GET":
            raise HTTPException(400, NO_GET)
        data = await super().parse_http_body(request)
        if isinstance(data, GraphQLRequestData) and data.query and data.operation_name is None:
            prepared = await self.documents.prepare(data.query, self.graphql_schema)
            if not prepared.errors and len(prepared.operations) > 1:
                # GraphQL's GetOperation: several operations need a name to choose one.
                raise PersistedQueryRefused(200, OPERATION_NAME_REQUIRED, (
                    "Must provide operation name if query contains multiple operations: send "
                    "`operationName` with one of " + ", ".join(
                        repr(name) for name in prepared.operations if name) + "."))
        return data

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        return (request.method == "GET" and request.query_params.get("query") is None
                and "text/html" in request.headers.get("accept", ""))

    async def render_graphql_ide(self, request: Request) -> Response:
        return graphiql.page(request.scope.get("root_path", "") + graphiql.ASSETS)


class Endpoint:
    """The ``/graphql`` route: the lifespan's GraphQL app, as a raw ASGI app (an instance, not a
    function, so that Starlette passes the scope whole, websockets included)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app: LifecycleGraphQL = scope["state"]["graphql"]
        await app(scope, receive, send)


graphql = Endpoint()
