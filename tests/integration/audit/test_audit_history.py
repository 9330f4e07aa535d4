"""A record's history: every event, in log order, with who acted, for whom, in which role and
why; read only by those the visibility rule lets see the record's detail."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from uuid import uuid4

import pytest

from lifecycle.application import LifecycleApplication
from lifecycle.audit.history import history
from lifecycle.errors import NotFound
from lifecycle.store.database import Database
from tests.conftest import drop_database, fresh_database, make_app
from tests.integration.audit_world import World, build


@pytest.fixture(scope="module")
def world_app(server: Database) -> Iterator[tuple[LifecycleApplication, World]]:
    db = fresh_database(server, "lifecycle_history")
    app = make_app(db)
    try:
        yield app, build(app)
    finally:
        app.close()
        drop_database(server, db)


def test_history_lists_every_event_in_order_with_who_acted_and_why(
        world_app: tuple[LifecycleApplication, World]) -> None:
    app, world = world_app
    entries = history(app, world.lead, world.innovation, first=100).entries
    assert [e.type for e in entries] == [
        "IdeaSubmitted", "IdeaAccepted", "PrototypeStarted", "PrototypeCompleted",
        "EvaluationRecorded", "AdoptionDecided", "SharedWith", "SharedWith"]
    positions = [e.position for e in entries]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)
    assert [e.version for e in entries] == list(range(1, len(entries) + 1))
    accepted, decided = entries[1], entries[5]
    assert (accepted.subject, accepted.organisation_id, accepted.role, accepted.why) == (
        world.lead.subject, world.lead.organisation, "innovation_lead", "worth a trial")
    assert (decided.subject, decided.role, decided.why) == (
        world.governance.subject, "governance_team", "safe and cheap")
    assert decided.data["outcome"] == "ADOPT"
    assert decided.data["authority"] == "team"
    assert entries[0].data["title"] == "A ward handover board"
    assert all(a.recorded_at <= b.recorded_at for a, b in itertools.pairwise(entries))


def test_history_pages_after_a_position(world_app: tuple[LifecycleApplication, World]) -> None:
    app, world = world_app
    whole = history(app, world.auditor, world.innovation, first=100).entries
    first = history(app, world.auditor, world.innovation, first=3)
    rest = history(app, world.auditor, world.innovation, after=first.entries[-1].position,
                   first=100)
    assert first.has_next
    assert not rest.has_next
    assert first.entries + rest.entries == whole


def test_the_owners_auditor_and_a_full_share_read_it_a_summary_share_does_not(
        world_app: tuple[LifecycleApplication, World]) -> None:
    app, world = world_app
    assert history(app, world.auditor, world.innovation).entries
    assert history(app, world.full, world.innovation).entries
    for outsider in (world.summary, world.stranger):
        with pytest.raises(NotFound):
            history(app, outsider, world.innovation)


def test_an_unknown_record_is_not_found(world_app: tuple[LifecycleApplication, World]) -> None:
    app, world = world_app
    with pytest.raises(NotFound):
        history(app, world.lead, uuid4())


def test_an_organisations_history_is_public_as_the_directory_is(
        world_app: tuple[LifecycleApplication, World]) -> None:
    app, world = world_app
    entries = history(app, world.stranger, world.lead.organisation).entries
    assert entries[0].type == "OrganisationRegistered"
