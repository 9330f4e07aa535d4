"""A subscriber that does not keep up is ended, told where to resume, while the others carry on;
what it then resumes is exactly what it had not been given."""

from __future__ import annotations

import secrets
import socket as sockets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from lifecycle.actor import Role
from lifecycle.application import LifecycleApplication
from lifecycle.store.database import Database
from lifecycle.vocabulary import SharingScope
from schema.server.tokens import mint
from tests.conftest import member, new_organisation, settings_for
from tests.e2e.conftest import LiveServer, serving
from tests.e2e.partners.client import WAIT, Socket, connected, nexts, socket
from tests.e2e.partners.conftest import comment, cursor, position_of, share, submit, until

# Big enough for the bursts in which the projector hands events on (a fast reader keeps up),
# far smaller than the events written (a reader that does not read cannot).
QUEUE = 16
EVENTS = 150
# About 50 KB a message: the kernel's buffers on loopback hold a few megabytes for a reader
# that does not read, before the server's sends wait.
WIDE = """subscription($id: ID!, $after: String) { innovationEvents(id: $id, after: $after) {
  position """ + " ".join(f"i{n}: innovation {{ problem }}" for n in range(5)) + " } }"


@pytest.fixture(scope="module")
def narrow(db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server whose subscribers may each have only ``QUEUE`` events waiting."""
    settings = settings_for(db, Path(tmp_path_factory.mktemp("narrow"))).model_copy(
        update={"subscriber_queue": QUEUE})
    with serving(settings, db) as url:
        yield LiveServer(url, settings, [])


def _slow_socket(url: str) -> sockets.socket:
    """A client socket with the smallest receive buffer: what the client does not read soon
    pushes back on the server."""
    host, port = url.removeprefix("http://").split(":")
    sock = sockets.socket()
    sock.setsockopt(sockets.SOL_SOCKET, sockets.SO_RCVBUF, 2048)
    sock.connect((host, int(port)))
    sock.setblocking(False)
    return sock


async def test_a_slow_subscriber_is_ended_with_its_resume_position_while_a_fast_one_keeps_up(
        app: LifecycleApplication, narrow: LiveServer) -> None:
    owner = member(new_organisation(app, "Owner Trust S"), Role.INNOVATION_LEAD)
    partner = member(new_organisation(app, "Partner Trust S"), Role.STAFF)
    # Text that does not compress: what a slow reader holds up is counted in bytes.
    innovation = submit(app, owner, problem=" ".join(secrets.token_hex(6) for _ in range(760)))
    start = share(app, owner, innovation, partner, SharingScope.FULL)
    token = mint(narrow.settings, subject=partner.subject, organisation=partner.organisation,
                 roles=[Role.STAFF])
    after = cursor(app, start)
    async with socket(narrow.url, sock=_slow_socket(narrow.url), max_queue=1,
                      compression=None) as slow, \
            connected(narrow.url, token) as fast:
        assert (await slow.init(token))["type"] == "connection_ack"
        slow_op = await slow.subscribe(WIDE, id=str(innovation), after=after)
        fast_op = await fast.subscribe(WIDE, id=str(innovation), after=after)
        written: list[int] = []
        got: list[dict[str, Any]] = []
        async with anyio.create_task_group() as group:
            async def keep_up() -> None:
                got.extend(g["innovationEvents"] for g in await nexts(fast, fast_op, EVENTS))

            group.start_soon(keep_up)
            for n in range(EVENTS):  # in a thread: the event loop keeps reading for `fast`
                written.append(await anyio.to_thread.run_sync(
                    comment, app, owner, innovation, f"note {n}"))
        assert [position_of(app, e) for e in got] == written  # the fast one had everything
        given, resume = await _until_ended(slow, slow_op, app)
    assert given == written[:len(given)]
    assert len(given) < EVENTS
    assert resume == (given[-1] if given else start)
    async with connected(narrow.url, token) as again:
        op = await again.subscribe(WIDE, id=str(innovation), after=cursor(app, resume))
        rest = await until(again, op, "innovationEvents", written[-1], app)
    assert given + [position_of(app, e) for e in rest] == written


async def _until_ended(ws: Socket, op: str, app: LifecycleApplication
                       ) -> tuple[list[int], int]:
    """The positions a subscription was given before it was ended as fallen behind, and the
    position its error says to resume after."""
    from schema import positions

    given: list[int] = []
    with anyio.fail_after(WAIT * 2):
        while True:
            message = await ws.receive()
            assert message["id"] == op, message
            payload = message["payload"]
            if payload.get("errors"):
                [error] = payload["errors"]
                assert error["extensions"]["code"] == "FELL_BEHIND", error
                resume = positions.decode(app.store.epoch(), error["extensions"]["resumeAfter"])
                assert (await ws.receive())["type"] == "complete"
                return given, resume
            given.append(position_of(app, payload["data"]["innovationEvents"]))
