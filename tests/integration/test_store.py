"""The event store against real PostgreSQL: concurrency, gap-free tailing, idempotency, restart."""

from __future__ import annotations

import select
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from uuid import UUID

import psycopg
import pytest
from psycopg import Cursor
from psycopg.rows import DictRow

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.aggregate import LifecycleAggregate
from lifecycle.application import LifecycleApplication, Outcome
from lifecycle.command import Change
from lifecycle.errors import VersionConflict
from lifecycle.handlers import HANDLERS
from lifecycle.innovations.innovation import Innovation
from lifecycle.store.database import Database
from lifecycle.store.recorder import LifecycleRecorder
from tests.conftest import make_app, member, new_organisation

A = TypeVar("A", bound=LifecycleAggregate)


def submit(app: LifecycleApplication, actor: Actor, key: str | None = None,
           title: str = "Virtual ward for frailty") -> Outcome:
    return app.execute(c.SubmitIdea(title=title, problem="Long stays", proposal="Remote care"),
                       CommandContext(actor, idempotency_key=key))


class RendezvousApplication(LifecycleApplication):
    """Holds every command after it has loaded its aggregate until ``parties`` have loaded, so
    that concurrent commands are certain to act on the same version."""

    name = "lifecycle"
    barrier: threading.Barrier

    def load(self, kind: type[A], ident: UUID, ctx: CommandContext | None = None, *,
             seen_by: Actor | None = None) -> A:
        aggregate = super().load(kind, ident, ctx, seen_by=seen_by)
        if kind is Innovation:
            self.barrier.wait(timeout=60)  # generous: a loaded machine
        return aggregate


def test_two_concurrent_conflicting_commands_one_wins_one_conflicts(db: Database) -> None:
    # Two applications, as two processes: within one, commands on an aggregate take turns.
    app = RendezvousApplication(env=db.eventsourcing_env(4))
    other = RendezvousApplication(env=db.eventsourcing_env(4))
    try:
        org = new_organisation(app)
        idea = submit(app, member(org, Role.STAFF))
        lead = member(org, Role.INNOVATION_LEAD)
        app.barrier = threading.Barrier(2)
        commands: list[c.Command] = [
            c.AcceptIdea(idea.aggregate_id, reason="fits the clinical strategy"),
            c.DeclineIdea(idea.aggregate_id, reason="already done elsewhere"),
        ]

        other.barrier = app.barrier

        def run(on: LifecycleApplication, command: c.Command) -> Outcome | VersionConflict:
            try:  # a command that names no version would be tried again on a fresh load
                return on.execute(command, CommandContext(lead, expected_version=1))
            except VersionConflict as conflict:
                return conflict

        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(run, [app, other], commands))
        wins = [r for r in results if isinstance(r, Outcome)]
        conflicts = [r for r in results if isinstance(r, VersionConflict)]
        assert len(wins) == 1
        assert len(conflicts) == 1
        assert conflicts[0].expected == 1
        assert conflicts[0].actual == 2
        assert app.repository.get(idea.aggregate_id).version == 2
    finally:
        app.close()
        other.close()


def test_stale_expected_version_is_a_conflict_and_stores_nothing(
        app: LifecycleApplication) -> None:
    org = new_organisation(app)
    idea = submit(app, member(org, Role.STAFF))
    lead = member(org, Role.INNOVATION_LEAD)
    app.execute(c.RequestInformation(idea.aggregate_id, reason="which ward?"),
                CommandContext(lead, expected_version=1))
    head = app.store.head()
    with pytest.raises(VersionConflict, match="not the expected 1"):
        app.execute(c.AcceptIdea(idea.aggregate_id, reason="ok"),
                    CommandContext(lead, expected_version=1))
    assert app.store.head() == head


def test_eight_concurrent_writers_and_a_tailing_reader_see_every_position_once(
        db: Database) -> None:
    writers, per_writer = 8, 40
    app = make_app(db, pool_size=writers + 2)
    try:
        org = new_organisation(app)
        staff = [member(org, Role.STAFF) for _ in range(writers)]
        start = app.store.head()
        done = threading.Event()
        seen: list[int] = []

        def tail() -> None:
            position = start
            while True:
                finished = done.is_set()
                batch = app.recorder.select_notifications(position + 1, 50)
                seen.extend(n.id for n in batch)
                if batch:
                    position = batch[-1].id
                elif finished:
                    return

        def write(actor: Actor) -> None:
            for n in range(per_writer):
                submit(app, actor, title=f"idea {n}")

        reader = threading.Thread(target=tail)
        reader.start()
        with ThreadPoolExecutor(writers) as pool:
            list(pool.map(write, staff))
        done.set()
        reader.join(timeout=60)

        with psycopg.connect(db.dsn) as conn:
            stored = [row[0] for row in conn.execute(
                "SELECT notification_id FROM lifecycle_events WHERE notification_id > %s "
                "ORDER BY notification_id", (start,))]
        assert len(stored) == writers * per_writer
        assert seen == stored  # every position, once, in order: none skipped, none repeated
    finally:
        app.close()


def test_same_idempotency_key_twice_stores_one_innovation(app: LifecycleApplication) -> None:
    actor = member(new_organisation(app), Role.STAFF)
    first = submit(app, actor, key="submit-once")
    head = app.store.head()
    second = submit(app, actor, key="submit-once")
    assert second.aggregate_id == first.aggregate_id
    assert second.position == first.position
    assert second.replayed
    assert not first.replayed
    assert app.store.head() == head


def test_same_key_sent_concurrently_stores_one_innovation(db: Database) -> None:
    app = make_app(db, pool_size=8)
    try:
        actor = member(new_organisation(app), Role.STAFF)
        head = app.store.head()
        with ThreadPoolExecutor(6) as pool:
            outcomes = list(pool.map(lambda _: submit(app, actor, key="racing-key"), range(6)))
        assert len({o.aggregate_id for o in outcomes}) == 1
        assert len({o.position for o in outcomes}) == 1
        assert app.store.head() == head + 1
    finally:
        app.close()


def test_a_twin_committed_between_the_key_lookup_and_the_save_is_replayed(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # The race the concurrent test can only sometimes hit, made certain: the second request's
    # lookups find no key (its twin had not committed yet), and its save meets the twin's key.
    app = make_app(db)
    try:
        actor = member(new_organisation(app), Role.STAFF)
        first = submit(app, actor, key="twin-key")
        head = app.store.head()
        found = app.store.find_idempotency
        lookups = {"n": 0}

        def late(scope: str) -> Any:
            lookups["n"] += 1
            return None if lookups["n"] <= 2 else found(scope)  # before and after the decision

        monkeypatch.setattr(app.store, "find_idempotency", late)
        again = submit(app, actor, key="twin-key")
        assert again.replayed
        assert (again.aggregate_id, again.position) == (first.aggregate_id, first.position)
        assert app.store.head() == head
    finally:
        app.close()


def _twin_between_lookup_and_save(first: LifecycleApplication, twin: Callable[[], None],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Run ``twin`` once, when ``first`` has looked its key up (and found nothing) and is
    deciding: between its lookups and its save."""
    decide = HANDLERS[c.SubmitIdea]
    ran: list[bool] = []

    def then_twin(app: LifecycleApplication, command: Any, ctx: CommandContext) -> Change:
        if app is first and not ran:
            ran.append(True)
            twin()
        return decide(app, command, ctx)

    monkeypatch.setitem(HANDLERS, c.SubmitIdea, then_twin)


def _answer_arrives_before_the_next_statement(recorder: LifecycleRecorder,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold each save of ``recorder`` just before it sends the table lock (the statement after
    the key's) until the server has answered something it sent before (the key refused): a
    client slower than the server, as on a loaded machine (where the six concurrent requests
    failed). Read there, before the pipeline's sync, the unique index's error was swallowed
    and the commit raised "pipeline aborted", retried ten times, never replayed. A recorder
    that reads its key's answer at once refuses the key before the save gets here."""
    lock_table = recorder._lock_table

    def when_answered(curs: Cursor[DictRow]) -> None:
        readable, _, _ = select.select([curs.connection.fileno()], [], [], 60)
        assert readable, "the server never answered"
        lock_table(curs)

    monkeypatch.setattr(recorder, "_lock_table", when_answered)


def test_a_twin_committed_after_the_key_lookup_is_replayed_through_the_pipeline(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # Request A looks its key up (nothing), request B (another process) saves with the same
    # key and commits, then A saves: its key is refused while its pipeline is still being sent.
    first, second = make_app(db), make_app(db)
    try:
        actor = member(new_organisation(first), Role.STAFF)
        head = first.store.head()
        twin: list[Outcome] = []
        _twin_between_lookup_and_save(
            first, lambda: twin.append(submit(second, actor, key="twin-after-lookup")),
            monkeypatch)
        _answer_arrives_before_the_next_statement(first.store, monkeypatch)
        outcome = submit(first, actor, key="twin-after-lookup")
        assert len(twin) == 1
        assert not twin[0].replayed
        assert outcome.replayed
        assert (outcome.aggregate_id, outcome.position) == (twin[0].aggregate_id, twin[0].position)
        assert first.store.head() == head + 1
    finally:
        first.close()
        second.close()


def _until(db: Database, query: str, *params: Any) -> None:
    """Poll ``query`` (on a connection of its own) until its first column is true."""
    with psycopg.connect(db.dsn, autocommit=True) as watch:
        for _ in range(6000):
            row = watch.execute(query, params).fetchone()
            if row is not None and row[0]:
                return
            threading.Event().wait(0.01)
    raise AssertionError(f"never true: {query} {params}")


def test_a_twin_committing_while_the_key_waits_on_it_is_replayed_through_the_pipeline(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # Request A looks its key up (nothing); request B saves with the same key and holds its
    # transaction open until A's save waits on B's key; then B commits.
    first, second = make_app(db), make_app(db)
    try:
        actor = member(new_organisation(first), Role.STAFF)
        head = first.store.head()
        saved = threading.Event()
        twin: list[Outcome] = []
        fetch_ids = second.store._fetch_ids_after_insert_events

        def hold_until_waited_on(curs: Cursor[DictRow], *args: Any, **kwargs: Any) -> Any:
            ids = fetch_ids(curs, *args, **kwargs)  # B's key and events inserted, uncommitted
            saved.set()
            _until(db, "SELECT count(*) FROM pg_stat_activity "
                       "WHERE %s = ANY(pg_blocking_pids(pid)) "
                       "AND query LIKE 'INSERT INTO lifecycle_idempotency%%'",
                   curs.connection.info.backend_pid)
            return ids

        monkeypatch.setattr(second.store, "_fetch_ids_after_insert_events",
                            hold_until_waited_on)
        twin_request = threading.Thread(
            target=lambda: twin.append(submit(second, actor, key="twin-in-flight")))

        def start_twin() -> None:
            twin_request.start()
            assert saved.wait(60)

        _twin_between_lookup_and_save(first, start_twin, monkeypatch)
        _answer_arrives_before_the_next_statement(first.store, monkeypatch)
        outcome = submit(first, actor, key="twin-in-flight")
        twin_request.join(60)
        assert len(twin) == 1
        assert not twin[0].replayed
        assert outcome.replayed
        assert (outcome.aggregate_id, outcome.position) == (twin[0].aggregate_id, twin[0].position)
        assert first.store.head() == head + 1
    finally:
        first.close()
        second.close()


def test_idempotency_key_on_a_non_creating_command_records_once(
        app: LifecycleApplication) -> None:
    org = new_organisation(app)
    idea = submit(app, member(org, Role.STAFF))
    endorser = member(org, Role.STAFF)
    command = c.CommentOnIdea(idea.aggregate_id, text="We tried this on ward 3")
    first = app.execute(command, CommandContext(endorser, idempotency_key="comment-1"))
    again = app.execute(command, CommandContext(endorser, idempotency_key="comment-1"))
    assert again.replayed
    assert (again.created_id, again.position) == (first.created_id, first.position)
    assert app.repository.get(idea.aggregate_id).comments == 1


def test_repeated_batch_of_observations_does_not_double_any_point(
        app: LifecycleApplication) -> None:
    from datetime import date, timedelta

    from lifecycle.governance.authority import Risk
    from lifecycle.vocabulary import (
        BetterDirection,
        ChartType,
        Criterion,
        EvaluationMethod,
        PrototypeOutcome,
    )

    org = new_organisation(app)
    lead = member(org, Role.INNOVATION_LEAD)
    idea = submit(app, member(org, Role.STAFF)).aggregate_id
    ctx = CommandContext(lead)
    app.execute(c.AcceptIdea(idea, reason="yes"), ctx)
    proto = app.execute(c.StartPrototype(idea, title="PDSA 1", hypothesis="h", plan="p",
                                         started_on=date(2026, 1, 5)), ctx).created_id
    app.execute(c.CompletePrototype(idea, proto, PrototypeOutcome.SUCCEEDED, "r", "l",
                                    date(2026, 2, 1)), ctx)
    app.execute(c.RecordEvaluation(idea, EvaluationMethod.SERVICE_EVALUATION,
                                   ((Criterion.SAFETY, 4),), "audit", "adopt",
                                   estimated_cost=500, risk=Risk.LOW,  # type: ignore[arg-type]
                                   evaluated_on=date(2026, 3, 1)), ctx)
    measure = app.execute(c.DefineMeasure(idea, name="Falls per 1,000 bed days", unit="falls",
                                          better=BetterDirection.LOWER, chart=ChartType.XMR),
                          ctx).aggregate_id
    weeks = tuple(c.ObservationInput(date(2026, 1, 5) + timedelta(weeks=n), value=5.0 + n % 3)
                  for n in range(10))
    app.execute(c.RecordObservations(measure, weeks), ctx)
    head = app.store.head()
    app.execute(c.RecordObservations(measure, weeks), ctx)  # no key: the dates dedupe it
    assert app.store.head() == head
    assert len(app.repository.get(measure).observations) == 10


def test_data_survives_a_restart_of_the_application(db: Database) -> None:
    first = make_app(db)
    actor = member(new_organisation(first), Role.STAFF)
    outcome = submit(first, actor, title="Survives restarts")
    first.close()

    second = make_app(db)
    try:
        restored: Any = second.repository.get(outcome.aggregate_id)
        assert restored.title == "Survives restarts"
        assert second.store.head() >= outcome.position
    finally:
        second.close()


def test_events_carry_who_acted_and_the_recorded_time(app: LifecycleApplication,
                                                      db: Database) -> None:
    actor = member(new_organisation(app), Role.STAFF)
    outcome = submit(app, actor, key="provenance")
    innovation: Any = app.repository.get(outcome.aggregate_id)
    assert innovation.submitter == actor.subject
    with psycopg.connect(db.dsn) as conn:
        row = conn.execute("SELECT topic, recorded_at FROM lifecycle_events "
                           "WHERE notification_id = %s", (outcome.position,)).fetchone()
    assert row is not None
    assert row[0] == "lifecycle/IdeaSubmitted"
    assert row[1] is not None
    notification = app.recorder.select_notifications(outcome.position, 1)[0]
    decoded = app.mapper.to_domain_event(notification)
    assert decoded.actor == actor.subject  # type: ignore[attr-defined]
    assert decoded.actor_organisation == actor.organisation  # type: ignore[attr-defined]
    assert decoded.actor_role == "staff"  # type: ignore[attr-defined]
    assert decoded.idempotency_key == "provenance"  # type: ignore[attr-defined]


