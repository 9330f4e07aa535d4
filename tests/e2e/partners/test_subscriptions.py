"""Subscriptions over a real websocket, against a real uvicorn: what a partner receives, live and
resumed, is what the one visibility rule lets it see at each event's position."""

from __future__ import annotations

from lifecycle.actor import Role
from lifecycle.application import LifecycleApplication
from lifecycle.vocabulary import SharingScope
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer
from tests.e2e.partners.client import connected, nexts
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

SHARED = """subscription($after: String) { sharedInnovationEvents(after: $after) {
  position type innovationId stage innovation { id title problem } } }"""
ONE = """subscription($id: ID!, $after: String) { innovationEvents(id: $id, after: $after) {
  position type innovationId innovation { id title problem stage } } }"""
QUERY = "query($id: ID!) { innovation(id: $id) { id title problem stage } }"


async def test_a_partner_receives_the_events_of_what_is_shared_with_it(
        app: LifecycleApplication, live: LiveServer) -> None:
    owner = member(new_organisation(app, "Owner Trust A"), Role.INNOVATION_LEAD)
    partner = member(new_organisation(app, "Partner Trust A"), Role.STAFF)
    innovation = submit(app, owner)
    start = comment(app, owner, innovation, "before")
    async with connected(live.url, live.token(partner)) as ws:
        # From a known position: a subscription without `after` starts wherever this
        # process's feed is when it arrives, which a test cannot know.
        op = await ws.subscribe(SHARED, after=cursor(app, start))
        shared_at = share(app, owner, innovation, partner, SharingScope.SUMMARY)
        commented_at = comment(app, owner, innovation, "Trialled on ward 4")
        got = await nexts(ws, op, 2)
    events = [g["sharedInnovationEvents"] for g in got]
    assert [e["type"] for e in events] == ["SharedWith", "CommentAdded"]
    assert [position_of(app, e) for e in events] == [shared_at, commented_at]
    assert {e["innovationId"] for e in events} == {str(innovation)}
    assert events[0]["innovation"] == {"id": str(innovation), "title": "Falls huddles",
                                       "problem": None}


async def test_resuming_after_a_position_replays_exactly_the_missed_events_once(
        app: LifecycleApplication, live: LiveServer) -> None:
    owner = member(new_organisation(app, "Owner Trust B"), Role.INNOVATION_LEAD)
    partner = member(new_organisation(app, "Partner Trust B"), Role.STAFF)
    innovation = submit(app, owner)
    start = share(app, owner, innovation, partner, SharingScope.FULL)
    token = live.token(partner)
    async with connected(live.url, token) as ws:
        op = await ws.subscribe(ONE, id=str(innovation), after=cursor(app, start))
        first = comment(app, owner, innovation, "one")
        [seen] = await nexts(ws, op, 1)
    assert position_of(app, seen["innovationEvents"]) == first
    missed = [comment(app, owner, innovation, text) for text in ("two", "three", "four")]
    async with connected(live.url, token) as ws:
        op = await ws.subscribe(ONE, id=str(innovation), after=seen["innovationEvents"]["position"])
        replayed = await until(ws, op, "innovationEvents", missed[-1], app)
        assert [position_of(app, e) for e in replayed] == missed
        after_seam = comment(app, owner, innovation, "five")
        live_one = await until(ws, op, "innovationEvents", after_seam, app)
    assert [position_of(app, e) for e in live_one] == [after_seam]


async def test_a_share_and_its_revocation_take_effect_at_their_positions_in_a_replay(
        app: LifecycleApplication, live: LiveServer) -> None:
    owner = member(new_organisation(app, "Owner Trust C"), Role.INNOVATION_LEAD)
    partner = member(new_organisation(app, "Partner Trust C"), Role.STAFF)
    innovation = submit(app, owner)
    before = comment(app, owner, innovation, "before the share")
    shared = share(app, owner, innovation, partner, SharingScope.FULL)
    during = comment(app, owner, innovation, "while shared")
    revoke(app, owner, innovation, partner)
    comment(app, owner, innovation, "after the revocation")
    sentinel_innovation = submit(app, owner, "Sentinel")
    sentinel = share(app, owner, sentinel_innovation, partner, SharingScope.SUMMARY)
    async with connected(live.url, live.token(partner)) as ws:
        op = await ws.subscribe(SHARED, after=cursor(app, before - 1))
        got = await until(ws, op, "sharedInnovationEvents", sentinel, app)
    assert [position_of(app, e) for e in got] == [shared, during, sentinel]
    # Revoked now: what it was told of the innovation is null, as its query answers.
    assert got[0]["innovation"] is None
    assert data_of(live, partner, QUERY, id=str(innovation))["innovation"] is None


async def test_a_revoked_partner_receives_nothing_after_the_revocation_live(
        app: LifecycleApplication, live: LiveServer) -> None:
    owner = member(new_organisation(app, "Owner Trust D"), Role.INNOVATION_LEAD)
    partner = member(new_organisation(app, "Partner Trust D"), Role.STAFF)
    innovation = submit(app, owner)
    start = share(app, owner, innovation, partner, SharingScope.FULL)
    async with connected(live.url, live.token(partner)) as ws:
        op = await ws.subscribe(SHARED, after=cursor(app, start))
        during = comment(app, owner, innovation, "while shared")
        revoke(app, owner, innovation, partner)
        comment(app, owner, innovation, "after the revocation")
        other = submit(app, owner, "Sentinel")
        sentinel = share(app, owner, other, partner, SharingScope.SUMMARY)
        got = await until(ws, op, "sharedInnovationEvents", sentinel, app)
    assert [position_of(app, e) for e in got] == [during, sentinel]


async def test_a_partner_of_another_organisation_receives_nothing(
        app: LifecycleApplication, live: LiveServer) -> None:
    owner = member(new_organisation(app, "Owner Trust E"), Role.INNOVATION_LEAD)
    partner = member(new_organisation(app, "Partner Trust E"), Role.STAFF)
    stranger = member(new_organisation(app, "Stranger Trust E"), Role.STAFF)
    innovation = submit(app, owner)
    start = share(app, owner, innovation, partner, SharingScope.FULL)
    async with connected(live.url, live.token(stranger)) as ws:
        op = await ws.subscribe(SHARED, after=cursor(app, start))
        refused = await ws.subscribe(ONE, id=str(innovation))
        message = await ws.receive()
        assert message["id"] == refused, message
        assert message["type"] == "error", message
        assert message["payload"][0]["extensions"]["code"] == "NOT_FOUND"
        comment(app, owner, innovation, "not for strangers")
        other = submit(app, owner, "Sentinel")
        sentinel = share(app, owner, other, stranger, SharingScope.SUMMARY)
        got = await until(ws, op, "sharedInnovationEvents", sentinel, app)
    assert [position_of(app, e) for e in got] == [sentinel]


DETAIL = """subscription($id: ID!, $after: String) { innovationEvents(id: $id, after: $after) {
  position type innovation { id title problem proposal stage fundingTotal endorsements } } }"""
DETAIL_QUERY = """query($id: ID!) { innovation(id: $id) {
  id title problem proposal stage fundingTotal endorsements } }"""


async def test_own_full_summary_and_unshared_subscribers_receive_what_each_can_query(
        app: LifecycleApplication, live: LiveServer) -> None:
    owner = member(new_organisation(app, "Owner Trust F"), Role.INNOVATION_LEAD)
    full = member(new_organisation(app, "Full Partner F"), Role.STAFF)
    summary = member(new_organisation(app, "Summary Partner F"), Role.STAFF)
    unshared = member(new_organisation(app, "Unshared F"), Role.STAFF)
    innovation = submit(app, owner)
    share(app, owner, innovation, full, SharingScope.FULL)
    start = share(app, owner, innovation, summary, SharingScope.SUMMARY)
    written = [comment(app, owner, innovation, f"note {n}") for n in range(3)]
    for viewer in (owner, full, summary):
        async with connected(live.url, live.token(viewer)) as ws:
            op = await ws.subscribe(DETAIL, id=str(innovation), after=cursor(app, start))
            got = await until(ws, op, "innovationEvents", written[-1], app)
        assert [position_of(app, e) for e in got] == written
        queried = data_of(live, viewer, DETAIL_QUERY, id=str(innovation))["innovation"]
        assert all(e["innovation"] == queried for e in got), (viewer, got, queried)
    assert got[0]["innovation"]["problem"] is None  # the summary partner's
    assert data_of(live, unshared, DETAIL_QUERY, id=str(innovation))["innovation"] is None
    async with connected(live.url, live.token(unshared)) as ws:
        op = await ws.subscribe(DETAIL, id=str(innovation), after=cursor(app, start))
        message = await ws.receive()
    assert message["type"] == "error", message
    assert message["id"] == op
    assert [e["extensions"]["code"] for e in message["payload"]] == ["NOT_FOUND"]


PIPELINE = """subscription($after: String) { pipelineChanges(after: $after) {
  position type innovationId fromStage toStage } }"""


async def test_the_pipeline_carries_each_stage_move_of_the_organisations_own_innovations(
        app: LifecycleApplication, live: LiveServer) -> None:
    from lifecycle import commands as c
    from lifecycle.actor import CommandContext

    owner = member(new_organisation(app, "Owner Trust G"), Role.INNOVATION_LEAD)
    partner = member(new_organisation(app, "Partner Trust G"), Role.INNOVATION_LEAD)
    start = comment(app, owner, submit(app, owner, "Earlier"), "before")
    innovation = submit(app, owner)
    comment(app, owner, innovation, "no move")
    share(app, owner, innovation, partner, SharingScope.FULL)
    accepted = app.execute(c.AcceptIdea(innovation_id=innovation, reason="Worth a trial"),
                           CommandContext(owner)).position
    async with connected(live.url, live.token(owner)) as ws:
        op = await ws.subscribe(PIPELINE, after=cursor(app, start))
        got = await until(ws, op, "pipelineChanges", accepted, app)
    assert [(e["type"], e["fromStage"], e["toStage"]) for e in got] == [
        ("IdeaSubmitted", None, "SUBMITTED"), ("IdeaAccepted", "SUBMITTED", "CONCEPT")]
    async with connected(live.url, live.token(partner)) as ws:  # not its pipeline
        op = await ws.subscribe(PIPELINE, after=cursor(app, start))
        own = submit(app, partner, "Partner's own")
        got = await nexts(ws, op, 1)
    assert [g["pipelineChanges"]["innovationId"] for g in got] == [str(own)]


MEASURE = """subscription($id: ID!, $after: String) { measureEvents(id: $id, after: $after) {
  position type measureId measure { id name } } }"""


async def test_a_measures_new_observations_reach_whom_the_measure_is_visible_to(
        app: LifecycleApplication, live: LiveServer) -> None:
    from datetime import date

    from lifecycle import commands as c
    from lifecycle.actor import CommandContext
    from lifecycle.vocabulary import BetterDirection, ChartType

    owner = member(new_organisation(app, "Owner Trust H"), Role.INNOVATION_LEAD)
    full = member(new_organisation(app, "Full Partner H"), Role.STAFF)
    summary = member(new_organisation(app, "Summary Partner H"), Role.STAFF)
    innovation = submit(app, owner)
    app.execute(c.AcceptIdea(innovation_id=innovation, reason="Worth a trial"),
                CommandContext(owner))
    share(app, owner, innovation, full, SharingScope.FULL)
    share(app, owner, innovation, summary, SharingScope.SUMMARY)
    outcome = app.execute(c.DefineMeasure(innovation, name="Falls", unit="falls",
                                          better=BetterDirection.LOWER, chart=ChartType.XMR),
                          CommandContext(owner))
    measure = outcome.aggregate_id
    recorded = app.execute(c.RecordObservations(measure, (
        c.ObservationInput(date(2026, 1, 5), 3.0), c.ObservationInput(date(2026, 1, 12), 2.0))),
        CommandContext(owner)).position
    async with connected(live.url, live.token(full)) as ws:
        op = await ws.subscribe(MEASURE, id=str(measure), after=cursor(app, outcome.position))
        got = await until(ws, op, "measureEvents", recorded, app)
    assert [(e["type"], e["measure"]["id"]) for e in got] == [
        ("ObservationsRecorded", str(measure))]
    async with connected(live.url, live.token(summary)) as ws:
        op = await ws.subscribe(MEASURE, id=str(measure), after=cursor(app, outcome.position))
        message = await ws.receive()
    assert message["type"] == "error"
    assert message["payload"][0]["extensions"]["code"] == "NOT_FOUND"
