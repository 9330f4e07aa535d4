"""The request body limit: bodies over ``limit`` bytes get HTTP 413 as JSON, at once by their
Content-Length, else (chunked) as soon as the bytes read so far pass it.

Starlette's own ``RequestBodyLimitMiddleware`` answers in plain text when the app has already
answered a body it did not read (strawberry does, on a read error); this one always answers in
GraphQL's error shape, and refuses a Content-Length that is not a number.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schema.server.refusals import http_error


class BodyTooLarge(Exception):
    pass


class BodyLimit:
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
