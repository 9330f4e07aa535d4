"""Each live event is executed once per group of subscribers that asked the same of it (document,
variables, and the caller's organisation, roles and staff group: ``schema/partners/sharing.py``),
and every subscriber still receives exactly its own organisation's view at each position.

Executions are observed through the read path's statement hook (``Reads.open(on_read=...)``,
which the test server records in ``live.queries``): each execution of a document that selects
``innovation`` reads that innovation once, with the statement below."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

import anyio

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.vocabulary import SharingScope
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer
from tests.e2e.partners.client import WAIT, Socket, connected
from tests.e2e.partners.conftest import (
    comment,
    cursor,
    position_of,
    revoke,
    share,
    submit,
    until,
)
from tests.e2e.standings import data_of

READ_ONE = "FROM rm_innovations i WHERE i.id = ANY($2)"  # projections/innovations/queries.py
SHARED = """subscription($after: String) { sharedInnovationEvents(after: $after) {
  position type innovation { id title problem stage } } }"""
ONE = """subscription($id: ID!, $after: String) { innovationEvents(id: $id, after: $after) {
  position type innovation { id title problem proposal stage } } }"""
QUERY = "query($id: ID!) { innovation(id: $id) { id title problem proposal stage } }"


def reads(live: LiveServer) -> int:
    return sum(READ_ONE in statement for statement in live.queries)


async def subscribed(stack: AsyncExitStack, live: LiveServer, actor: Actor, query: str,
                     **variables: Any) -> tuple[Socket, str]:
    ws = await stack.enter_async_context(connected(live.url, live.token(actor)))
    return ws, await ws.subscribe(query, **variables)


async def test_subscribers_asking_the_same_in_one_scope_cause_one_execution_per_event(
        app: LifecycleApplication, live: LiveServer) -> None:
    owner = member(new_organisation(app, "Owner Trust S1"), Role.INNOVATION_LEAD)
    partner_admin = new_organisation(app, "Partner Trust S1")
    # Different people of one organisation with the same roles share; other roles do not.
    alike = [member(partner_admin, Role.STAFF) for _ in range(4)]
    lead = member(partner_admin, Role.INNOVATION_LEAD)
    innovation = submit(app, owner)
    start = share(app, owner, innovation, alike[0], SharingScope.FULL)
    async with AsyncExitStack() as stack:
        # Resuming from different positions (with nothing to replay between them) does not
        # split the group: `after` decides the replay, not an event's execution.
        subscribers = [await subscribed(stack, live, actor, SHARED,
                                        after=cursor(app, start - n % 2))
                       for n, actor in enumerate([*alike, lead])]
        # Once each has received an event, each follows the feed live (registered before).
        warm = comment(app, owner, innovation, "warm-up")
        for ws, op in subscribers:
            await until(ws, op, "sharedInnovationEvents", warm, app)
        before = reads(live)
        written = [comment(app, owner, innovation, f"note {n}") for n in range(5)]
        for ws, op in subscribers:
            got = await until(ws, op, "sharedInnovationEvents", written[-1], app)
            assert [position_of(app, e) for e in got] == written
            assert all(e["innovation"]["problem"] == "Falls at night on ward 4" for e in got)
        # One execution per event for the four alike, one for the lead: not one per socket.
        assert reads(live) - before == 2 * len(written)


async def test_own_full_and_summary_subscribers_live_together_each_get_their_own_view(
        app: LifecycleApplication, live: LiveServer) -> None:
    owner_admin = new_organisation(app, "Owner Trust S2")
    owners = [member(owner_admin, Role.INNOVATION_LEAD) for _ in range(2)]
    full_admin = new_organisation(app, "Full Partner S2")
    fulls = [member(full_admin, Role.STAFF) for _ in range(2)]
    summary_admin = new_organisation(app, "Summary Partner S2")
    summaries = [member(summary_admin, Role.STAFF) for _ in range(2)]
    owner = owners[0]
    innovation = submit(app, owner)
    share(app, owner, innovation, fulls[0], SharingScope.FULL)
    start = share(app, owner, innovation, summaries[0], SharingScope.SUMMARY)
    async with AsyncExitStack() as stack:
        by_scope = {
            name: [await subscribed(stack, live, actor, ONE, id=str(innovation),
                                    after=cursor(app, start)) for actor in actors]
            for name, actors in (("own", owners), ("full", fulls), ("summary", summaries))}
        warm = comment(app, owner, innovation, "warm-up")
        for sockets in by_scope.values():
            for ws, op in sockets:
                await until(ws, op, "innovationEvents", warm, app)
        before = reads(live)
        written = [comment(app, owner, innovation, f"note {n}") for n in range(3)]
        received = {name: [await until(ws, op, "innovationEvents", written[-1], app)
                           for ws, op in sockets] for name, sockets in by_scope.items()}
        # One execution per scope and event, and each scope's own answer.
        assert reads(live) - before == 3 * len(written)
        queried = {name: data_of(live, actor, QUERY, id=str(innovation))["innovation"]
                   for name, actor in (("own", owner), ("full", fulls[0]),
                                       ("summary", summaries[0]))}
        assert queried["summary"]["problem"] is None  # a summary shows no detail
        assert queried["full"]["problem"] == queried["own"]["problem"] is not None
        for name, got in received.items():
            for events in got:
                assert [position_of(app, e) for e in events] == written
                assert all(e["innovation"] == queried[name] for e in events), (name, events)
        # The summary partner's share is revoked: from that position on it hears nothing
        # (the revocation included), while the others go on.
        revoked = revoke(app, owner, innovation, summaries[0])
        after = comment(app, owner, innovation, "after the revocation")
        for name in ("own", "full"):
            for ws, op in by_scope[name]:
                got_after = await until(ws, op, "innovationEvents", after, app)
                assert [position_of(app, e) for e in got_after] == [revoked, after]
        # For the summary partner nothing more of its subscription came: a second
        # subscription on each socket, to what is shared with it after the revocation, hears
        # of a sentinel first.
        sentinels = [(ws, await ws.subscribe(SHARED, after=cursor(app, after)))
                     for ws, _ in by_scope["summary"]]
        sentinel = share(app, owner, submit(app, owner, "Sentinel"), summaries[0],
                         SharingScope.SUMMARY)
        for ws, sentinel_op in sentinels:
            message = await ws.receive()
            assert message["id"] == sentinel_op, message
            assert position_of(app, message["payload"]["data"]["sharedInnovationEvents"]) \
                == sentinel



PIPELINE = "subscription { pipelineChanges { position type innovation { id stage } } }"


def submitted_at(app: LifecycleApplication, actor: Actor, title: str) -> int:
    return app.execute(c.SubmitIdea(title=title, problem="Falls at night on ward 4",
                                    proposal="A huddle"), CommandContext(actor)).position


async def test_subscribers_of_a_document_without_arguments_share_its_executions(
        app: LifecycleApplication, live: LiveServer) -> None:
    admin = new_organisation(app, "Owner Trust S3")
    owner = member(admin, Role.INNOVATION_LEAD)
    async with AsyncExitStack() as stack:
        subscribers = [await subscribed(stack, live, member(admin, Role.STAFF), PIPELINE)
                       for _ in range(3)]
        # Without `after` a subscription starts wherever the feed is when it arrives: new
        # ideas until each has heard of one; from then on it follows the feed live.
        waiting = list(subscribers)
        with anyio.fail_after(WAIT):
            while waiting:
                submitted_at(app, owner, "Warm-up")
                for ws, op in list(waiting):
                    with anyio.move_on_after(1):  # polls; the bound is the deadline above
                        message = await ws.receive()
                        assert message["id"] == op, message
                        assert message["type"] == "next", message
                        waiting.remove((ws, op))
        warm = submitted_at(app, owner, "Last warm-up")
        for ws, op in subscribers:
            await until(ws, op, "pipelineChanges", warm, app)
        before = reads(live)
        ideas = [submitted_at(app, owner, f"Idea {n}") for n in range(3)]
        for ws, op in subscribers:
            got = await until(ws, op, "pipelineChanges", ideas[-1], app)
            assert [position_of(app, e) for e in got] == ideas
            assert all(e["innovation"]["stage"] == "SUBMITTED" for e in got)
        assert reads(live) - before == len(ideas)
