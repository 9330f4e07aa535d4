"""As of, with snapshots (issue 13: "folded from the log, with snapshots so it stays fast"): a
record folded from its last snapshot at or before a version and the events after it is the
record folded from its first event; snapshots are taken by the first fold past their version,
stored once, and one that cannot be read back is passed over."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import project_aggregate

from lifecycle import commands as c
from lifecycle.actor import CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.audit import snapshots
from lifecycle.audit.as_of import recall
from lifecycle.audit.history import history
from lifecycle.store.database import Database
from lifecycle.vocabulary import SharingScope
from tests.conftest import drop_database, fresh_database, make_app, member
from tests.integration.audit_world import World, build

INTERVAL = 4  # small, so that the world's few events cross several snapshots


@pytest.fixture
def world_app(server: Database, monkeypatch: pytest.MonkeyPatch
              ) -> Iterator[tuple[LifecycleApplication, World]]:
    monkeypatch.setattr(snapshots, "INTERVAL", INTERVAL)
    db = fresh_database(server, "lifecycle_snapshots")
    app = make_app(db)
    try:
        world = build(app)
        ctx = CommandContext(world.lead)
        for n in range(9):  # comments, endorsements, a share narrowed and widened again
            app.execute(c.CommentOnIdea(world.innovation, f"comment {n}"), ctx)
        app.execute(c.EndorseIdea(world.innovation), CommandContext(
            member(world.lead, Role.STAFF)))
        app.execute(c.ShareInnovation(world.innovation, world.full.organisation,
                                      SharingScope.SUMMARY), ctx)
        yield app, world
    finally:
        app.close()
        drop_database(server, db)


def from_the_first_event(app: LifecycleApplication, ident: UUID, version: int) -> dict[str, object]:
    folded = project_aggregate(None, app.events.get(ident, lte=version))
    assert folded is not None
    return dict(vars(folded))


def stored(app: LifecycleApplication, ident: UUID) -> list[int]:
    with app.store.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute("SELECT originator_version FROM lifecycle_snapshots WHERE originator_id = %s "
                     "ORDER BY originator_version", (ident,))
        return [row["originator_version"] for row in curs.fetchall()]


def test_a_record_folded_from_its_snapshots_is_the_record_folded_from_its_first_event(
        world_app: tuple[LifecycleApplication, World]) -> None:
    app, world = world_app
    latest: int = app.repository.get(world.innovation).version
    assert latest > 3 * INTERVAL
    for _ in range(2):  # before any snapshot is stored, and from the stored ones
        for version in range(1, latest + 1):
            folded = snapshots.state_at(app, world.innovation, version)
            assert dict(vars(folded)) == from_the_first_event(app, world.innovation, version)
    assert stored(app, world.innovation) == list(range(INTERVAL, latest + 1, INTERVAL))


def test_as_of_a_moment_after_a_decision_behind_a_snapshot_still_names_it(
        world_app: tuple[LifecycleApplication, World]) -> None:
    app, world = world_app
    entries = history(app, None, world.innovation, first=100).entries
    snapshots.state_at(app, world.innovation, entries[-1].version)
    recalled = recall(app, world.innovation, entries[-1].recorded_at)
    assert recalled.latest_decision == "ADOPT"
    assert recalled.aggregate.version == entries[-1].version
    assert recalled.aggregate.comments == 9


def test_a_snapshot_that_cannot_be_read_back_is_passed_over(
        world_app: tuple[LifecycleApplication, World]) -> None:
    app, world = world_app
    latest: int = app.repository.get(world.innovation).version
    snapshots.state_at(app, world.innovation, latest)
    with app.store.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute("UPDATE lifecycle_snapshots SET state = '\\x7b7d'::bytea, "
                     "topic = 'lifecycle.nowhere:Gone' WHERE originator_id = %s",
                     (world.innovation,))
        conn.commit()
    folded = snapshots.state_at(app, world.innovation, latest)
    assert dict(vars(folded)) == from_the_first_event(app, world.innovation, latest)


def test_a_snapshot_taken_by_another_fold_is_passed_over(
        world_app: tuple[LifecycleApplication, World], monkeypatch: pytest.MonkeyPatch) -> None:
    app, world = world_app
    latest: int = app.repository.get(world.innovation).version
    snapshots.state_at(app, world.innovation, latest)  # snapshots stored under this fold
    # What a fold that counted differently would have stored: snapshots saying 999 comments.
    with app.store.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute("UPDATE lifecycle_snapshots SET state = convert_to(jsonb_set("
                     "convert_from(state, 'UTF8')::jsonb, '{state,comments}', '999')::text, "
                     "'UTF8') WHERE originator_id = %s", (world.innovation,))
        conn.commit()
    used = vars(snapshots.state_at(app, world.innovation, latest))
    assert used["comments"] >= 999  # they are used
    monkeypatch.setattr(snapshots, "FOLD", snapshots.FOLD + 1)  # a release with another fold
    for version in range(1, latest + 1):
        folded = snapshots.state_at(app, world.innovation, version)
        assert dict(vars(folded)) == from_the_first_event(app, world.innovation, version)


def test_a_version_the_record_does_not_have_is_refused(
        world_app: tuple[LifecycleApplication, World]) -> None:
    app, world = world_app
    latest: int = app.repository.get(world.innovation).version
    with pytest.raises(ValueError, match="no version"):
        snapshots.state_at(app, world.innovation, latest + 1)
    with pytest.raises(ValueError, match="no version"):
        snapshots.state_at(app, uuid4(), 1)
