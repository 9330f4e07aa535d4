"""A record as it was recorded at a past moment, folded from the log up to the last event
recorded by then."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from uuid import uuid4

import pytest

from lifecycle.application import LifecycleApplication
from lifecycle.audit.as_of import NotYetRecorded, position_at, recall
from lifecycle.audit.history import history
from lifecycle.errors import NotFound
from lifecycle.innovations.stage import Stage
from lifecycle.store.database import Database
from tests.conftest import drop_database, fresh_database, make_app
from tests.integration.audit_world import World, build


@pytest.fixture(scope="module")
def world_app(server: Database) -> Iterator[tuple[LifecycleApplication, World]]:
    db = fresh_database(server, "lifecycle_as_of")
    app = make_app(db)
    try:
        yield app, build(app)
    finally:
        app.close()
        drop_database(server, db)


def test_the_state_before_a_decision_excludes_it_and_after_includes_it(
        world_app: tuple[LifecycleApplication, World]) -> None:
    app, world = world_app
    entries = history(app, None, world.innovation, first=100).entries
    decided = next(e for e in entries if e.type == "AdoptionDecided")
    evaluated = entries[entries.index(decided) - 1]
    before = recall(app, world.innovation, evaluated.recorded_at)
    assert before.latest_decision is None
    assert before.aggregate.decisions == []
    assert before.aggregate.version == evaluated.version
    assert before.position == evaluated.position
    assert before.aggregate.stage is Stage.EVALUATING
    after = recall(app, world.innovation, decided.recorded_at)
    assert after.latest_decision == "ADOPT"
    assert len(after.aggregate.decisions) == 1
    assert after.aggregate.stage is Stage.ADOPTED
    now = recall(app, world.innovation, entries[-1].recorded_at + timedelta(days=1))
    assert now.aggregate.version == app.repository.get(world.innovation).version
    assert now.counts["evaluations"] == 1
    assert now.counts["prototypes"] == 1


def test_a_time_before_the_first_event_is_not_found_at_that_time(
        world_app: tuple[LifecycleApplication, World]) -> None:
    app, world = world_app
    first = history(app, None, world.innovation, first=1).entries[0]
    with pytest.raises(NotYetRecorded) as refused:
        recall(app, world.innovation, first.recorded_at - timedelta(microseconds=1))
    assert refused.value.first_recorded == first.recorded_at
    with pytest.raises(NotFound):
        recall(app, uuid4(), first.recorded_at)


def test_a_time_maps_to_the_last_position_recorded_by_then(
        world_app: tuple[LifecycleApplication, World]) -> None:
    app, world = world_app
    entries = history(app, None, world.innovation, first=100).entries
    for entry in entries:
        assert position_at(app, entry.recorded_at) == entry.position
    assert position_at(app, entries[0].recorded_at - timedelta(days=3650)) == 0
