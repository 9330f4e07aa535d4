"""Subscriptions over a real websocket, against a real uvicorn: what a partner receives, live and
resumed, is what the one visibility rule lets it see at each event's position."""

from __future__ import annotations

from uuid import UUID

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.vocabulary import SharingScope
from schema import positions
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer
from tests.e2e.partners.client import connected, nexts

SHARED = """subscription($after: String) { sharedInnovationEvents(after: $after) {
  position type innovationId stage innovation { id title problem } } }"""


def submit(app: LifecycleApplication, actor: Actor, title: str = "Falls huddles") -> UUID:
    outcome = app.execute(c.SubmitIdea(title=title, problem="Falls at night on ward 4",
                                       proposal="A five-minute huddle at handover"),
                          CommandContext(actor))
    return outcome.aggregate_id


def share(app: LifecycleApplication, owner: Actor, innovation: UUID, partner: Actor,
          scope: SharingScope) -> int:
    return app.execute(c.ShareInnovation(innovation_id=innovation,
                                         organisation_id=partner.organisation, scope=scope),
                       CommandContext(owner)).position


def comment(app: LifecycleApplication, actor: Actor, innovation: UUID, text: str) -> int:
    return app.execute(c.CommentOnIdea(innovation_id=innovation, text=text),
                       CommandContext(actor)).position


async def test_a_partner_receives_the_events_of_what_is_shared_with_it(
        app: LifecycleApplication, live: LiveServer) -> None:
    owner = member(new_organisation(app, "Owner Trust A"), Role.INNOVATION_LEAD)
    partner = member(new_organisation(app, "Partner Trust A"), Role.STAFF)
    innovation = submit(app, owner)
    async with connected(live.url, live.token(partner)) as ws:
        op = await ws.subscribe(SHARED)
        shared_at = share(app, owner, innovation, partner, SharingScope.SUMMARY)
        commented_at = comment(app, owner, innovation, "Trialled on ward 4")
        got = await nexts(ws, op, 2)
    events = [g["sharedInnovationEvents"] for g in got]
    assert [e["type"] for e in events] == ["SharedWith", "IdeaCommentedOn"] or \
        [e["type"] for e in events][0] == "SharedWith", events
    epoch = app.store.epoch()
    assert [positions.decode(epoch, e["position"]) for e in events] == [shared_at, commented_at]
    assert events[0]["innovation"] == {"id": str(innovation), "title": "Falls huddles",
                                       "problem": None}
