"""A graphql-transport-ws client for tests, on the `websockets` package: enough of the protocol
(connection_init with a token, subscribe, next/error/complete, ping/pong) to drive the server as
a browser's graphql-ws client does."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

PROTOCOL = "graphql-transport-ws"
WAIT = 30.0  # seconds: generous, for a loaded machine; only failures wait this long


def ws_url(http_url: str) -> str:
    return http_url.replace("http://", "ws://", 1) + "/graphql"


class Socket:
    """One connection; ``messages`` collects what arrived for each operation id."""

    def __init__(self, conn: ClientConnection) -> None:
        self.conn = conn
        self.ids = 0

    async def send(self, message: dict[str, Any]) -> None:
        await self.conn.send(json.dumps(message))

    async def receive(self, within: float = WAIT) -> dict[str, Any]:
        """The next message (pings answered on the way)."""
        with anyio.fail_after(within):
            while True:
                raw = await self.conn.recv()
                assert isinstance(raw, str), "graphql-transport-ws messages are text frames"
                message: dict[str, Any] = json.loads(raw)
                if message.get("type") == "ping":
                    await self.send({"type": "pong"})
                    continue
                return message

    async def init(self, token: str | None, **payload: Any) -> dict[str, Any]:
        await self.send({"type": "connection_init",
                         "payload": {**payload, **({"token": token} if token else {})}})
        return await self.receive()

    async def subscribe(self, query: str, **variables: Any) -> str:
        self.ids += 1
        ident = str(self.ids)
        await self.send({"id": ident, "type": "subscribe",
                         "payload": {"query": query, "variables": variables}})
        return ident

    async def closed(self, within: float = WAIT) -> tuple[int | None, str | None]:
        """Wait for the server to close; its close code and reason."""
        with anyio.fail_after(within):
            with contextlib.suppress(ConnectionClosed):
                while True:
                    await self.conn.recv()
        return self.conn.close_code, self.conn.close_reason


@asynccontextmanager
async def socket(http_url: str, *, origin: str | None = None,
                 **options: Any) -> AsyncIterator[Socket]:
    headers = {"Origin": origin} if origin else None
    async with connect(ws_url(http_url), subprotocols=[PROTOCOL],  # type: ignore[list-item]
                       additional_headers=headers, open_timeout=WAIT, **options) as conn:
        yield Socket(conn)


@asynccontextmanager
async def connected(http_url: str, token: str) -> AsyncIterator[Socket]:
    """A connection whose connection_init was acknowledged."""
    async with socket(http_url) as ws:
        ack = await ws.init(token)
        assert ack["type"] == "connection_ack", ack
        yield ws


async def nexts(ws: Socket, ident: str, count: int,
                within: float = WAIT) -> list[dict[str, Any]]:
    """The data of the next ``count`` `next` messages of operation ``ident``."""
    found: list[dict[str, Any]] = []
    with anyio.fail_after(within):
        while len(found) < count:
            message = await ws.receive()
            assert message.get("id") == ident, message
            assert message["type"] == "next", message
            assert "errors" not in message["payload"], message
            found.append(message["payload"]["data"])
    return found
