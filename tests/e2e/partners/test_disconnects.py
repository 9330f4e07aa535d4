"""A client that leaves while its subscriptions are being sent to is an ordinary event: the
server ends its operations with at most one DEBUG line each, never an ERROR traceback (strawberry
logs an exception escaping an operation at ERROR; a send to a closing connection is one)."""

from __future__ import annotations

import logging
import threading
from contextlib import AsyncExitStack

import anyio
import pytest

from lifecycle.actor import Role
from lifecycle.application import LifecycleApplication
from lifecycle.vocabulary import SharingScope
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer
from tests.e2e.partners.client import WAIT, connected
from tests.e2e.partners.conftest import comment, cursor, share, submit

SHARED = """subscription($after: String) { sharedInnovationEvents(after: $after) {
  position type } }"""
SOCKETS = 3
OPERATIONS = 25  # on each socket: many operations mid-send when it closes


async def test_clients_leaving_mid_send_are_logged_without_an_error_traceback(
        app: LifecycleApplication, live: LiveServer,
        caplog: pytest.LogCaptureFixture) -> None:
    owner = member(new_organisation(app, "Owner Trust D1"), Role.INNOVATION_LEAD)
    partner = member(new_organisation(app, "Partner Trust D1"), Role.STAFF)
    innovation = submit(app, owner)
    start = share(app, owner, innovation, partner, SharingScope.FULL)
    stop = threading.Event()

    def write() -> None:  # events keep coming while the clients leave
        n = 0
        while not stop.is_set():
            comment(app, owner, innovation, f"note {n}")
            n += 1

    caplog.set_level(logging.DEBUG)
    writer = threading.Thread(target=write, daemon=True)
    try:
        for _ in range(SOCKETS):
            async with AsyncExitStack() as stack:
                ws = await stack.enter_async_context(connected(live.url, live.token(partner)))
                ops = {await ws.subscribe(SHARED, after=cursor(app, start))
                       for _ in range(OPERATIONS)}
                if not writer.is_alive():
                    writer.start()
                # Every operation is being sent events: the client then closes.
                heard: set[str] = set()
                with anyio.fail_after(WAIT):
                    while heard != ops:
                        heard.add((await ws.receive())["id"])
    finally:
        stop.set()
        writer.join(WAIT)
    errors = [r for r in caplog.records
              if r.levelno >= logging.ERROR and r.name.startswith("strawberry")]
    assert errors == [], [(r.name, r.getMessage(), r.exc_info) for r in errors[:3]]
    left = [r for r in caplog.records if r.getMessage().startswith("websocket client left")]
    assert all(r.levelno == logging.DEBUG and r.exc_info is None for r in left)
