"""The webhook delivery worker (``projections/partners/delivery.py``) and its guard against
server-side request forgery (``projections/partners/outbound.py``), against a real PostgreSQL
and a real receiver on loopback.

- A worker killed mid-stream loses nothing: a new ``lifecycle deliver`` resumes from each
  endpoint's tracked position, and every event reaches the receiver at least once, in order.
- DNS rebinding: the request goes to the address that was checked. DNS is outside the product,
  so the resolver is the one part substituted: a name that resolves to an allowed address when
  checked and to a refused one on every later lookup.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import asyncpg
import pytest
from cryptography.fernet import Fernet

from lifecycle import commands as c
from lifecycle.actor import CommandContext, Role
from lifecycle.service.settings import Settings
from lifecycle.store.database import Database
from projections.partners import endpoints, outbound
from projections.partners.keys import Seal, new_secret
from tests.conftest import drop_database, fresh_database, make_app, member, new_organisation
from tests.e2e.partners.conftest import comment
from tests.e2e.partners.receiver import Received, receiving
from tests.e2e.test_cli import LIFECYCLE, env_for

WAIT = 60.0  # seconds; generous for a loaded machine, only a failure waits this long


@pytest.fixture
def hooks_db(server: Database) -> Iterator[Database]:
    """A database of its own: its only delivery worker is the test's."""
    db = fresh_database(server, "lifecycle_delivery")
    try:
        yield db
    finally:
        drop_database(server, db)


def delivered(requests: list[Received]) -> list[int]:
    """The positions (``webhook-id``) of the accepted deliveries, in the order they came."""
    return [int(r.headers["webhook-id"]) for r in requests if r.answered == 200]


def deliver(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([*LIFECYCLE, "deliver"], env=env, stdout=out, stderr=out)


def wait_until(check: Callable[[], bool], what: str, within: float = WAIT) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_a_worker_killed_mid_stream_loses_nothing_and_the_next_resumes_from_its_position(
        hooks_db: Database, tmp_path: Path) -> None:
    app = make_app(hooks_db)
    keys = Fernet.generate_key().decode()
    env = {**env_for(hooks_db, tmp_path), "LIFECYCLE_WEBHOOK_KEYS": keys,
           "LIFECYCLE_WEBHOOK_ALLOW_LOOPBACK": "true", "LIFECYCLE_WEBHOOK_ATTEMPTS": "100000",
           "LIFECYCLE_WEBHOOK_BACKOFF_SECONDS": "0.05",
           "LIFECYCLE_WEBHOOK_BACKOFF_MAX_SECONDS": "0.2"}
    workers: list[subprocess.Popen[bytes]] = []
    try:
        with receiving() as receiver:
            admin = new_organisation(app, "Delivery Trust")
            owner = member(admin, Role.INNOVATION_LEAD)
            sealed = Seal.of(Settings(webhook_keys=keys)).seal(new_secret())

            async def register() -> None:
                conn = await asyncpg.connect(hooks_db.url)
                try:
                    await endpoints.register(conn, admin.organisation, receiver.url, [],
                                             sealed, admin.subject)
                finally:
                    await conn.close()
            anyio.run(register)
            submitted = app.execute(c.SubmitIdea(title="Falls huddles", problem="Falls",
                                                 proposal="A huddle"), CommandContext(owner))
            innovation = submitted.aggregate_id
            before = [submitted.position,
                      *(comment(app, owner, innovation, f"before {n}") for n in range(5))]
            # The receiver accepts three, then answers 500: the worker is stopped while it
            # retries the fourth.
            receiver.accept_at_most = 3
            workers.append(deliver(env, tmp_path / "deliver-1.log"))
            wait_until(lambda: len(receiver.requests) >= 5, "the first worker delivered")
            workers[0].kill()  # no chance to tidy up, as in a crash
            workers[0].wait(timeout=WAIT)
            assert delivered(receiver.requests) == before[:3]
            after = [comment(app, owner, innovation, f"after {n}") for n in range(4)]
            receiver.accept_at_most = None
            workers.append(deliver(env, tmp_path / "deliver-2.log"))
            expected = [*before, *after]
            wait_until(lambda: set(expected) <= set(delivered(receiver.requests)),
                       "every event was delivered after the restart")
            got = delivered(receiver.requests)
    finally:
        for worker in workers:
            worker.kill()
            worker.wait(timeout=WAIT)
        app.close()
    # Every event, in order; the second worker began at the first's tracked position (the
    # fourth event), delivering none of the three again.
    assert got == expected


async def test_a_request_goes_to_the_address_that_was_checked_however_the_name_rebinds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name != "partner.example":
            return real(host, *args, **kwargs)
        lookups.append(name)
        # Allowed (loopback, by the tests' setting) when checked; the cloud's metadata
        # service (link-local, refused) on any later lookup.
        return real("127.0.0.1" if len(lookups) == 1 else "169.254.169.254", *args, **kwargs)

    settings = Settings(webhook_allow_loopback=True, webhook_timeout_seconds=5)
    with receiving() as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        monkeypatch.setattr(socket, "getaddrinfo", rebinding)
        sent = await outbound.post(f"http://partner.example:{port}/hook", b"{}",
                                   {"content-type": "application/json"}, settings)
    assert sent.succeeded, sent
    [request] = receiver.requests
    assert request.headers["host"] == f"partner.example:{port}"  # the URL's host, kept
    assert lookups == ["partner.example"]  # resolved once: when it was checked


async def test_a_name_resolving_to_any_refused_address_is_not_requested(
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def mixed(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name != "partner.example":
            return real(host, *args, **kwargs)
        return [*real("127.0.0.1", *args, **kwargs), *real("10.0.0.7", *args, **kwargs)]

    with receiving() as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        monkeypatch.setattr(socket, "getaddrinfo", mixed)
        sent = await outbound.post(f"http://partner.example:{port}/hook", b"{}", {},
                                   Settings(webhook_allow_loopback=True))
    assert not sent.succeeded
    assert sent.error is not None
    assert sent.error.startswith("refused: ")
    assert receiver.requests == []
