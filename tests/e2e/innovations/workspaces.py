"""What the workspace's and the learning library's e2e tests share: a trust that shares with one
partner in full and with another as a summary (``workspace_trust``, which each module registers
as its module-scoped ``trust`` fixture), asking over real HTTP, and the log's head as a
position."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import httpx

from lifecycle.actor import Actor, Role
from lifecycle.application import LifecycleApplication
from schema import positions
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer


@dataclass
class Trust:
    admin: Actor
    staff: Actor
    lead: Actor
    partner: Actor  # of an organisation the trust shares with in full
    summary: Actor  # of one it shares with as a summary


def workspace_trust(app: LifecycleApplication) -> Trust:
    """A trust's staff and lead, a partner it shares with in full and one it shares with as a
    summary: each module registers this as its module-scoped ``trust`` fixture."""
    admin = new_organisation(app, f"Workspace trust {uuid4().hex[:6]}", ("Morriston",))
    partner = member(new_organisation(app, f"Workspace partner {uuid4().hex[:6]}", ()),
                     Role.PARTNER)
    summary = member(new_organisation(app, f"Workspace onlooker {uuid4().hex[:6]}", ()),
                     Role.PARTNER)
    return Trust(admin, member(admin, Role.STAFF), member(admin, Role.INNOVATION_LEAD), partner,
                 summary)


def graphql(live: LiveServer, actor: Actor, query: str, **variables: Any) -> dict[str, Any]:
    body: dict[str, Any] = httpx.post(
        f"{live.url}/graphql", json={"query": query, "variables": variables}, timeout=30,
        headers={"Authorization": f"Bearer {live.token(actor)}"}).json()
    return body


def data(live: LiveServer, actor: Actor, query: str, **variables: Any) -> dict[str, Any]:
    body = graphql(live, actor, query, **variables)
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]
    return found


def head(app: LifecycleApplication) -> str:
    return positions.encode(app.store.epoch(), app.store.head())
