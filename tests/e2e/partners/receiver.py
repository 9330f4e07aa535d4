"""A webhook receiver on loopback for tests: a Starlette app under a real uvicorn that records
every request (headers and body) and answers 500 while told to fail."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.e2e.conftest import free_port


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class Receiver:
    url: str
    fail_next: int = 0  # how many of the next requests get a 500
    failing: bool = False  # every request gets a 500 while set
    accept_at_most: int | None = None  # once this many were accepted, every request gets a 500
    requests: list[Received] = field(default_factory=list)

    @property
    def accepted(self) -> list[Received]:
        return [r for r in self.requests if r.answered == 200]

    def wait_for(self, count: int, within: float = 60.0) -> list[Received]:
        """The accepted requests, once there are ``count`` of them (bounded wait)."""
        deadline = time.monotonic() + within
        while len(self.accepted) < count:
            assert time.monotonic() < deadline, f"{len(self.accepted)} of {count} arrived"
            time.sleep(0.02)
        return self.accepted


@contextmanager
def receiving() -> Iterator[Receiver]:
    port = free_port()
    receiver = Receiver(f"http://127.0.0.1:{port}/hook")

    async def hook(request: Request) -> Response:
        full = receiver.accept_at_most is not None \
            and len(receiver.accepted) >= receiver.accept_at_most
        failing = receiver.failing or receiver.fail_next > 0 or full
        if receiver.fail_next > 0:
            receiver.fail_next -= 1
        answer = 500 if failing else 200
        receiver.requests.append(Received(dict(request.headers), await request.body(), answer))
        return Response("stay quiet" if failing else "ok", status_code=answer)

    app = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the receiver did not start"
        assert time.monotonic() < deadline, "the receiver did not start"
        time.sleep(0.02)
    try:
        yield receiver
    finally:
        server.should_exit = True
        thread.join(timeout=10)
