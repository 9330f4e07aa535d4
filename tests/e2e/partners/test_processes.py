"""Every process serving subscriptions delivers every visible event, whichever process handled
the write: a write through a second `lifecycle serve` process reaches subscribers of both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from lifecycle.actor import Role
from lifecycle.application import LifecycleApplication
from lifecycle.store.database import Database
from lifecycle.vocabulary import SharingScope
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer
from tests.e2e.partners.client import connected
from tests.e2e.partners.conftest import cursor, position_of, share, submit, until
from tests.e2e.test_cli import env_for
from tests.e2e.test_logs import Served, serve, stopped

SHARED = """subscription($after: String) { sharedInnovationEvents(after: $after) {
  position type } }"""
COMMENT = """mutation($id: ID!) { commentOnIdea(input: {innovationId: $id, text: "From afar"}) {
  ... on InnovationChange { position } } }"""


@pytest.fixture
def second(db: Database, live: LiveServer, tmp_path: Path) -> Iterator[Served]:
    """``lifecycle serve`` in a process of its own, on the same database and signing key."""
    env = env_for(db, live.settings.data_dir)
    env["LIFECYCLE_LOG_LEVEL"] = "WARNING"
    served = serve(env, tmp_path)
    yield served
    stopped(served)


async def test_a_write_through_a_second_server_process_reaches_subscribers_of_both(
        app: LifecycleApplication, live: LiveServer, second: Served) -> None:
    owner = member(new_organisation(app, "Owner Trust K"), Role.INNOVATION_LEAD)
    partner = member(new_organisation(app, "Partner Trust K"), Role.STAFF)
    innovation = submit(app, owner)
    start = share(app, owner, innovation, partner, SharingScope.FULL)
    token = live.token(partner)
    async with connected(live.url, token) as here, connected(second.url, token) as there:
        here_op = await here.subscribe(SHARED, after=cursor(app, start))
        there_op = await there.subscribe(SHARED, after=cursor(app, start))
        async with httpx.AsyncClient() as client:
            answer = (await client.post(f"{second.url}/graphql", json={
                "query": COMMENT, "variables": {"id": str(innovation)}},
                headers={"Authorization": f"Bearer {live.token(owner)}"})).json()
        written = position_of(app, answer["data"]["commentOnIdea"])
        for ws, op in ((here, here_op), (there, there_op)):
            got = await until(ws, op, "sharedInnovationEvents", written, app)
            assert [(position_of(app, e), e["type"]) for e in got] == [
                (written, "CommentAdded")]
