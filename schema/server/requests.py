"""Each request's id, on every line logged while handling it, and a line for every refusal.

The id is the request's ``X-Correlation-Id`` when that is a UUID, else a new one. It is returned
in the response's ``X-Correlation-Id`` header, given to the GraphQL context (so the events a
request records carry it as their correlation id), and bound with structlog's context variables
for the request's task, whose copies reach the worker threads that run commands: every line
logged meanwhile, uvicorn's access line included, has ``request_id`` (``lifecycle.logs``).

A refusal that the service answers itself (HTTP 4xx or 5xx, in GraphQL's error shape, see
``schema.http``) is logged once: at INFO for a client's mistake (4xx), WARNING otherwise, with
its status, code and message, never the request's body or headers. GraphQL errors in a 200 are
logged by the schema (``schema.error_log``). A client that disconnects before its body is read
is an INFO line, not a fault: nothing was done and there is no one to answer.
"""

from __future__ import annotations

import logging
from uuid import UUID, uuid4

import orjson
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from structlog.contextvars import bind_contextvars, reset_contextvars

HEADER = "X-Correlation-Id"
SCOPE_KEY = "lifecycle.request_id"
# A refusal's body is a few hundred bytes; a larger one is not read for its reason.
REASON_BYTES = 4096
# The longest text of a UUID ("urn:uuid:" and braces around 36 characters): a longer header is
# not one, and is not read further.
UUID_CHARS = 47

log = logging.getLogger(__name__)


def request_id(scope: Scope) -> str | None:
    """The id ``RequestIds`` gave this request (a UUID's text), if it ran."""
    ident: str | None = scope.get(SCOPE_KEY)
    return ident


def _given(header: str | None) -> str | None:
    if not header or len(header) > UUID_CHARS:
        return None
    try:
        return str(UUID(header))
    except ValueError:
        return None


def _reason(body: bytes) -> dict[str, object]:
    """The first error's message and code in a refusal's body; nothing for another shape."""
    try:
        first = orjson.loads(body)["errors"][0]
        return {"reason": str(first["message"]), "code": str(first["extensions"]["code"])}
    except (orjson.JSONDecodeError, KeyError, IndexError, TypeError):
        return {}


class RequestIds:
    """ASGI middleware: see the module's docstring."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        ident = _given(Headers(scope=scope).get(HEADER)) or str(uuid4())
        scope[SCOPE_KEY] = ident
        tokens = bind_contextvars(request_id=ident)
        status = 0
        body = b""

        async def sending(message: Message) -> None:
            nonlocal status, body
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append(HEADER, ident)
            elif message["type"] == "http.response.body" and status >= 400:
                if len(body) <= REASON_BYTES:
                    body += message.get("body", b"")
                if not message.get("more_body", False):
                    _log_refusal(status, body)
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except ClientDisconnect:  # gone before its body was read: there is no one to answer
            log.info("client disconnected before its request was read")
        # Not in a `finally`: an error that escapes the app is logged by the server after this
        # returns, on this request's own task, and that line should carry the id too.
        reset_contextvars(**tokens)


def _log_refusal(status: int, body: bytes) -> None:
    fields = {"status": status, **(_reason(body) if len(body) <= REASON_BYTES else {})}
    log.log(logging.INFO if status < 500 else logging.WARNING, "request refused", extra=fields)
