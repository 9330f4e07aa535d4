"""PostgreSQL stopped and started under a running service, on a server of the test's own: the API
answers a retryable 503 while it is away and heals by itself when it is back; the projectors (in
``serve`` and a ``lifecycle project`` worker) keep running and resume where they were."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import anyio
import asyncpg
import httpx
import pytest

from lifecycle.actor import Actor, Role
from lifecycle.service.settings import Settings
from projections.engine.catalogue import all_projections
from projections.engine.rebuild import rebuild
from schema.server.tokens import mint
from tests.conftest import make_app, member, new_organisation, settings_for
from tests.e2e.conftest import serving
from tests.integration.test_projector import snapshot
from tests.outage import OwnPostgres

SUBMIT = """mutation($title: String!) { submitIdea(input: {title: $title, problem: "p",
              proposal: "q"}) { ... on IdeaSubmitted { innovation { id } position } } }"""
READ = """query($id: ID!, $at: String) { innovation(id: $id, consistentWith: $at) { title } }"""
PAGE = "{ innovations(first: 5) { edges { node { id } } } }"


@pytest.fixture(scope="module")
def own() -> Iterator[OwnPostgres]:
    # Under the repository's .data, beside the suite's own server: pytest keeps its temporary
    # root private to its user (0700, reset by every pytest run that starts), which the
    # database's own system user could not then enter.
    parent = Path(__file__).resolve().parents[2] / ".data"
    parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="own-postgres-", dir=parent) as here:
        server = OwnPostgres(Path(here))
        yield server
        server.close()


def post(url: str, settings: Settings, actor: Actor, query: str,
         **variables: Any) -> httpx.Response:
    token = mint(settings, subject=actor.subject, organisation=actor.organisation,
                 roles=sorted(actor.roles), staff_group=actor.staff_group)
    return httpx.post(f"{url}/graphql", json={"query": query, "variables": variables},
                      headers={"Authorization": f"Bearer {token}"}, timeout=60)


def assert_retryable_503(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    errors = response.json()["errors"]
    assert [e["extensions"] for e in errors] == [
        {"code": "DATABASE_UNAVAILABLE", "retryable": True}] * len(errors)
    assert "Internal error" not in response.text
    assert response.headers["retry-after"] == "1"


def until(check: Any, within: float = 90) -> Any:
    """Bounded wait for ``check()`` to return something truthy (a liveness bound)."""
    deadline = time.monotonic() + within
    while True:
        try:
            found = check()
        except httpx.TransportError:
            found = None
        if found:
            return found
        assert time.monotonic() < deadline, "the service did not heal"
        time.sleep(0.1)


def test_database_outage_answers_retryable_503s_and_the_service_heals_when_it_returns(
        own: OwnPostgres, tmp_path: Path) -> None:
    app = make_app(own.db)
    try:
        staff = member(new_organisation(app, "Betsi Cadwaladr UHB", ()), Role.STAFF)
    finally:
        app.close()
    settings = settings_for(own.db, tmp_path)
    worker_log = tmp_path / "worker.log"
    with worker_log.open("ab") as out:  # a `lifecycle project` standby beside serve's own
        worker = subprocess.Popen(
            [sys.executable, "-m", "lifecycle", "project"],
            env={**os.environ, "DATABASE_URL": own.db.url, "LIFECYCLE_LOG_LEVEL": "INFO"},
            stdout=out, stderr=subprocess.STDOUT)
    try:
        with serving(settings, own.db) as url:
            before = post(url, settings, staff, SUBMIT, title="Before the outage").json()
            assert before["data"]["submitIdea"]["position"]

            own.stop()
            try:
                assert_retryable_503(post(url, settings, staff, PAGE))
                # A token whose organisation this process has not checked yet cannot be
                # checked now: that is the outage's 503, not a 401 or a 500.
                stranger = Actor("someone", uuid4(), frozenset({Role.STAFF}))
                assert_retryable_503(post(url, settings, stranger, PAGE))
                assert_retryable_503(post(url, settings, staff, SUBMIT, title="Refused"))
                assert httpx.get(f"{url}/readyz", timeout=60).status_code == 503
                assert httpx.get(f"{url}/healthz", timeout=60).status_code == 200
                # The database stays away until the worker has noticed (however long a loaded
                # machine takes it): each failed attempt is logged, and it must not exit.
                until(lambda: "failed (attempt 1)" in worker_log.read_text() or None)
            finally:
                own.start()

            def written() -> dict[str, Any] | None:
                answer = post(url, settings, staff, SUBMIT, title="After the outage")
                return answer.json()["data"]["submitIdea"] if answer.status_code == 200 else None

            after = until(written)
            read = post(url, settings, staff, READ, id=after["innovation"]["id"],
                        at=after["position"]).json()
            assert read == {"data": {"innovation": {"title": "After the outage"}}}
            def ready() -> dict[str, Any] | None:
                answer = httpx.get(f"{url}/readyz", timeout=60)
                body: dict[str, Any] = answer.json()
                return body if answer.status_code == 200 and body["projector"]["active"] else None

            until(ready)
            assert httpx.get(f"{url}/healthz", timeout=60).json()["status"] == "ok"
        assert worker.poll() is None, "lifecycle project exited when the database went away"
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)

    async def equals_a_rebuild() -> None:
        conn = await asyncpg.connect(own.db.url)
        try:
            live = await snapshot(conn)
            await rebuild(own.db.url, all_projections())
            assert await snapshot(conn) == live
        finally:
            await conn.close()

    anyio.run(equals_a_rebuild)
