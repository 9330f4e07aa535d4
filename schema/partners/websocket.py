"""The websocket side of ``/graphql``: graphql-transport-ws only, with the HTTP request's rules.

- Origins: a browser's handshake from an origin that is not the service's own nor one of
  ``cors_origins`` is refused (strawberry's origin check, given those origins).
- Size: a message longer than ``max_body_bytes`` closes the connection (1009) before it is
  decoded, whether or not the connection is authenticated; ``serve`` also gives uvicorn that
  bound, so a longer frame is never buffered whole. A message that is not a JSON object (read
  by orjson, nesting limited as for HTTP) closes it with 4400.
- Authentication: the ``connection_init`` payload's ``token`` (or ``Authorization: Bearer
  <token>``) is verified as an HTTP bearer token is, its organisation checked to exist; a
  missing or refused token closes the connection with the protocol's 4403 Forbidden. A
  subscription sent before that is closed with 4401 (strawberry), before any work.
- Expiry: the connection is closed (4403) when the token expires.
- Documents: every ``subscribe`` message's document goes through the HTTP pipeline (trusted
  documents when configured, then length, tokens, structure and validation, answered as an
  ``error`` message) before anything runs, and the cost limit as the operation starts (the
  schema's extensions run for websocket operations too), and the variables limit as HTTP
  reads it (strawberry ignores an extension's refusal of a subscription); a ``subscribe``
  message of the wrong shape closes the connection with 4400; an operation over
  ``max_subscriptions_per_connection`` is refused (``TOO_MANY_SUBSCRIPTIONS``, strawberry's own
  refusal carrying no code); mutations are refused
  (``MUTATION_OVER_WEBSOCKET``: they go over HTTP, where the request limits and idempotency
  apply).
- Sending: a ``next`` message's payload is serialised once, and a shared event's made once per
  group (``schema/partners/frames.py``); a client that leaves while its operations are being
  sent to ends them with a DEBUG line each, not strawberry's ERROR traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import jwt
import orjson
from graphql import GraphQLFormattedError, get_operation_ast
from graphql import OperationType as DocumentOperation
from starlette.websockets import WebSocketDisconnect, WebSocketState
from starlette.websockets import WebSocketDisconnected as ClosedWebSocket
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import (
    NonJsonMessageReceived,
    NonTextMessageReceived,
    WebSocketDisconnected,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    ErrorMessage,
    Message,
    SubscribeMessage,
)
from strawberry.types.graphql import OperationType

from lifecycle.store import database
from schema.context import Context
from schema.documents.variables import too_large
from schema.partners.frames import SENDING, Sending, next_message
from schema.server.auth import Organisations, bearer
from schema.server.persisted import PersistedQueryRefused
from schema.server.tokens import AuthenticationFailed, Identity, Verifier

if TYPE_CHECKING:
    from strawberry.schema import BaseSchema
    from strawberry.schema.schema import StreamResult

log = logging.getLogger(__name__)

MUTATION_OVER_WEBSOCKET = "MUTATION_OVER_WEBSOCKET"
TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS"
MESSAGE_TOO_BIG = 1009  # RFC 6455
FORBIDDEN = 4403  # graphql-transport-ws
INVALID_MESSAGE = 4400  # graphql-transport-ws
OVER_WEBSOCKET = (OperationType.QUERY, OperationType.SUBSCRIPTION)


async def authenticate(payload: dict[str, object], verifier: Verifier,
                       organisations: Organisations) -> tuple[Identity, datetime]:
    """The caller a ``connection_init`` payload presents, and when its token expires.

    Raises ``ConnectionRejectionError`` (closing with 4403) for a missing, malformed or refused
    token, or one naming an organisation that does not exist."""
    token = payload.get("token")
    header = payload.get("Authorization", payload.get("authorization"))
    try:
        if isinstance(token, str) and token:
            identity: Identity | None = verifier.verify(token)
        elif isinstance(header, str):
            identity = bearer(header, verifier)
            token = header.partition(" ")[2].strip()
        else:
            identity = None
        if identity is None or not isinstance(token, str):
            raise AuthenticationFailed("connection_init must carry a token")
        await organisations.check(identity)
    except AuthenticationFailed as refused:
        log.info("websocket refused: %s", refused)
        raise ConnectionRejectionError({"message": str(refused)}) from None
    except Exception as exc:
        if database.unavailable(exc):
            raise ConnectionRejectionError({"message": "the database is unavailable"}) from None
        raise
    # The signature and expiry were verified above; this reads the claim they covered.
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    return identity, datetime.fromtimestamp(int(expires), UTC)


class BoundedWebSocket(ASGIWebSocketAdapter):
    """strawberry's adapter, refusing a message over the size limit before decoding it, and
    sending text frames, as graphql-transport-ws requires (the view encodes JSON as bytes,
    which strawberry would send as binary frames that clients such as graphql-ws refuse)."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        await self.send_text(self.encode(message))

    def encode(self, value: object) -> str:
        """``value`` as JSON text (the view's encoder)."""
        encoded = self.view.encode_json(value)
        return encoded.decode() if isinstance(encoded, bytes) else encoded

    async def send_text(self, text: str) -> None:
        """Send one text frame. Raises strawberry's ``WebSocketDisconnected`` when the client
        has gone (starlette says so with ``WebSocketDisconnect``, or ``WebSocketDisconnected``
        once the connection is closed)."""
        try:
            await self.ws.send_text(text)
        except (WebSocketDisconnect, ClosedWebSocket) as gone:
            raise WebSocketDisconnected from gone

    async def iter_json(self, *, ignore_parsing_errors: bool = False
                        ) -> AsyncGenerator[object, None]:
        limit: int = getattr(self.view, "max_message_bytes", 1_000_000)
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                text = await self.ws.receive_text()
                if len(text) > limit:
                    await self.close(MESSAGE_TOO_BIG, f"message over {limit} characters")
                    return
                try:
                    # orjson, as for HTTP bodies: its nesting limit refuses what would exhaust
                    # the json module's recursion (a RecursionError that dropped the socket)
                    message = orjson.loads(text)
                except orjson.JSONDecodeError as error:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from error
                    continue
                if not isinstance(message, dict):  # strawberry reads every message as one
                    await self.close(INVALID_MESSAGE, "WebSocket message must be a JSON object")
                    return
                yield message
        except KeyError as error:  # a binary frame
            raise NonTextMessageReceived from error
        except WebSocketDisconnect:
            pass


class QueriesAndSubscriptions:
    """The schema as the websocket runs it: mutations refused, as an operation type that is
    not allowed (after the document pipeline has checked the document)."""

    def __init__(self, schema: BaseSchema) -> None:
        self.schema = schema

    def __getattr__(self, name: str) -> Any:
        return getattr(self.schema, name)

    async def stream(self, query: str | None, variable_values: dict[str, Any] | None = None,
                     context_value: Any | None = None, root_value: Any | None = None,
                     operation_name: str | None = None,
                     operation_extensions: dict[str, Any] | None = None,
                     allowed_operation_types: Iterable[OperationType] | None = None,
                     ) -> StreamResult:
        return await self.schema.stream(
            query, variable_values=variable_values, context_value=context_value,
            root_value=root_value, operation_name=operation_name,
            operation_extensions=operation_extensions, allowed_operation_types=OVER_WEBSOCKET)


def subscribe_malformed(message: Mapping[str, Any]) -> str | None:
    """What makes a ``subscribe`` message malformed under graphql-transport-ws (its id a
    string; its payload an object whose ``query`` and ``operationName`` are strings or null (a
    trusted or persisted document's text is looked up by its id), ``variables`` and
    ``extensions`` objects or null), or None when it is well formed."""
    payload = message.get("payload")
    if not isinstance(message.get("id"), str):
        return "its id must be a string"
    if not isinstance(payload, dict):
        return "its payload must be an object"
    for key, kind, name in (("query", str, "a string"), ("operationName", str, "a string"),
                            ("variables", dict, "an object"), ("extensions", dict, "an object")):
        if payload.get(key) is not None and not isinstance(payload[key], kind):
            return f"payload.{key} must be {name} or null"
    return None


class TransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    """strawberry's graphql-transport-ws handler with the rules of the module docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = QueriesAndSubscriptions(self.schema)  # type: ignore[assignment]
        self.expiry: asyncio.Task[None] | None = None

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await super().handle_connection_init(message)
        expires = self.context.expires_at if self.connection_acknowledged else None
        if expires is not None:
            self.expiry = asyncio.create_task(self._close_at(expires))

    async def _close_at(self, expires: datetime) -> None:
        await asyncio.sleep(max(0.0, (expires - datetime.now(UTC)).total_seconds()))
        with contextlib.suppress(Exception):
            await self.websocket.close(FORBIDDEN, "the token has expired")

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        payload: Any = message.get("payload")
        if self.connection_acknowledged:
            malformed = subscribe_malformed(message)
            if malformed is not None:
                # strawberry checks only that the keys exist; a value of another type would
                # fail inside it (a dropped connection, or "Internal error" for variables)
                await self.handle_invalid_message(f"Invalid subscribe message: {malformed}")
                return
        if self.connection_acknowledged and isinstance(payload, dict) \
                and message.get("id") not in self.operations:
            refusals = self._over_limit() or await self._refusals(payload)
            if refusals:
                refusal: ErrorMessage = {"id": message["id"], "type": "error",
                                         "payload": refusals}
                await self.send_message(refusal)
                return
        await super().handle_subscribe(message)

    def _over_limit(self) -> list[GraphQLFormattedError]:
        """The refusal of an operation over the connection's limit (strawberry's own has no
        code), or nothing."""
        limit = self.max_subscriptions_per_connection
        if limit is None or len(self.operations) < limit:
            return []
        return [{"message": f"This connection already runs {limit} operations, the most it "
                            "may: complete one first, or open another connection.",
                 "extensions": {"code": TOO_MANY_SUBSCRIPTIONS, "limit": limit}}]

    async def _refusals(self, payload: dict[str, Any]) -> list[GraphQLFormattedError]:
        """What refuses a subscribe message's document before anything runs, as GraphQL
        errors: not a trusted document; the pipeline's checks (length, tokens, structure,
        validation: the cached result is what the operation then runs with); a mutation."""
        view: Any = self.view
        if view.trusted is not None:
            try:
                view.trusted.resolve(payload)
            except PersistedQueryRefused as refused:
                return [{"message": str(refused), "extensions": {"code": refused.code}}]
        query, name = payload.get("query"), payload.get("operationName")
        if not isinstance(query, str) or not (name is None or isinstance(name, str)):
            return []  # strawberry refuses a malformed payload itself
        prepared = await view.documents.prepare(query, view.graphql_schema)
        if prepared.errors:
            return [error.formatted for error in prepared.errors]
        # strawberry ignores the result an extension sets for a subscription, so the pipeline's
        # check of the variables (schema.documents.variables) is made here for the websocket
        oversized = too_large(payload.get("variables"))
        if oversized is not None:
            return [oversized.formatted]
        assert prepared.document is not None
        operation = get_operation_ast(prepared.document, name)
        if operation is not None and operation.operation is DocumentOperation.MUTATION:
            return [{"message": "Mutations are not allowed over the websocket: send them over "
                                "HTTP (POST /graphql).",
                     "extensions": {"code": MUTATION_OVER_WEBSOCKET}}]
        return []

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        # The operation's task: its spliced sends (schema/partners/frames.py) go where its
        # other messages go.
        sending = Sending(operation, self._socket.send_text)
        SENDING.set(sending)
        try:
            await super().run_operation(operation)
        finally:
            sending.abandon()

    async def send_message(self, message: Message) -> None:
        if message["type"] != "next":
            await super().send_message(message)
            return
        # The payload serialised once: a shared event's frame (schema/partners/frames.py)
        payload = self._socket.encode(message["payload"])
        sending = SENDING.get()
        if sending is not None:
            sending.serialised(payload)
        await self._socket.send_text(next_message(message["id"], payload))

    @property
    def _socket(self) -> BoundedWebSocket:
        assert isinstance(self.websocket, BoundedWebSocket)
        return self.websocket

    async def handle_task_exception(self, error: Exception) -> None:
        # A client that leaves while its operations are being sent to ends them: an ordinary
        # event, one DEBUG line per operation, not an ERROR traceback (strawberry's).
        if isinstance(error, WebSocketDisconnected):
            log.debug("websocket client left during an operation")
            return
        await super().handle_task_exception(error)

    async def shutdown(self) -> None:
        if self.expiry is not None:
            self.expiry.cancel()
        await super().shutdown()
