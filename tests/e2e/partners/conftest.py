"""Writers and readers shared by the partners' end-to-end tests."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import anyio

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext
from lifecycle.application import LifecycleApplication
from lifecycle.vocabulary import SharingScope
from schema import positions
from tests.e2e.partners.client import WAIT, Socket


def submit(app: LifecycleApplication, actor: Actor, title: str = "Falls huddles",
           problem: str = "Falls at night on ward 4") -> UUID:
    outcome = app.execute(c.SubmitIdea(title=title, problem=problem,
                                       proposal="A five-minute huddle at handover"),
                          CommandContext(actor))
    return outcome.aggregate_id


def share(app: LifecycleApplication, owner: Actor, innovation: UUID, partner: Actor,
          scope: SharingScope) -> int:
    return app.execute(c.ShareInnovation(innovation_id=innovation,
                                         organisation_id=partner.organisation, scope=scope),
                       CommandContext(owner)).position


def revoke(app: LifecycleApplication, owner: Actor, innovation: UUID, partner: Actor) -> int:
    return app.execute(c.RevokeSharing(innovation_id=innovation, reason="Trial ended",
                                       organisation_id=partner.organisation),
                       CommandContext(owner)).position


def comment(app: LifecycleApplication, actor: Actor, innovation: UUID, text: str) -> int:
    return app.execute(c.CommentOnIdea(innovation_id=innovation, text=text),
                       CommandContext(actor)).position


def position_of(app: LifecycleApplication, event: dict[str, Any]) -> int:
    return positions.decode(app.store.epoch(), event["position"])


def cursor(app: LifecycleApplication, position: int) -> str:
    return positions.encode(app.store.epoch(), position)


async def until(ws: Socket, ident: str, field: str, last: int, app: LifecycleApplication,
                within: float = WAIT) -> list[dict[str, Any]]:
    """Every event of operation ``ident`` up to the one at position ``last`` (which a test
    writes after the others, so that "nothing else arrived" is observable without waiting)."""
    found: list[dict[str, Any]] = []
    with anyio.fail_after(within):
        while True:
            message = await ws.receive()
            assert message.get("id") == ident, message
            assert message["type"] == "next", message
            assert "errors" not in message["payload"], message
            event = message["payload"]["data"][field]
            found.append(event)
            if position_of(app, event) >= last:
                return found
