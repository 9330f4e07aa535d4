"""The improvement read model: observations classified, phases, signals and the verdict."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import asyncpg
import pytest

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.governance.authority import Risk
from lifecycle.store.database import Database
from lifecycle.store.migrate import discover
from lifecycle.vocabulary import (
    BetterDirection,
    ChartType,
    Criterion,
    EvaluationMethod,
    PrototypeOutcome,
)
from projections.improvement.projection import Improvement
from projections.improvement.queries import points_of
from tests.conftest import drop_database, fresh_database, make_app, member, new_organisation
from tests.integration.test_projector import catch_up

START = date(2025, 1, 6)


@pytest.fixture
def fresh(server: Database) -> Iterator[Database]:
    db = fresh_database(server, "lifecycle_improvement")
    yield db
    drop_database(server, db)


def measured_innovation(app: LifecycleApplication) -> tuple[Actor, UUID]:
    org = new_organisation(app)
    lead = member(org, Role.INNOVATION_LEAD)
    ctx = CommandContext(lead)
    idea = app.execute(c.SubmitIdea(title="Falls mats", problem="p", proposal="q"),
                       CommandContext(member(org, Role.STAFF))).aggregate_id
    app.execute(c.AcceptIdea(idea, reason="r"), ctx)
    proto = app.execute(c.StartPrototype(idea, "PDSA", "h", "p", START), ctx).created_id
    app.execute(c.CompletePrototype(idea, proto, PrototypeOutcome.SUCCEEDED, "r", "l", START),
                ctx)
    app.execute(c.RecordEvaluation(idea, EvaluationMethod.SERVICE_EVALUATION,
                                   ((Criterion.SAFETY, 4),), "e", "adopt",
                                   estimated_cost=Decimal(100), risk=Risk.LOW,
                                   evaluated_on=START), ctx)
    measure = app.execute(c.DefineMeasure(idea, name="Falls per 1,000 bed days", unit="falls",
                                          better=BetterDirection.LOWER, chart=ChartType.XMR),
                          ctx).aggregate_id
    return lead, measure


def weeks(values: Sequence[float], first: int = 0) -> tuple[c.ObservationInput, ...]:
    return tuple(c.ObservationInput(START + timedelta(weeks=first + i), value=v)
                 for i, v in enumerate(values))


async def test_a_sustained_fall_after_a_change_is_special_cause_improvement(
        fresh: Database) -> None:
    app = make_app(fresh)
    try:
        lead, measure = measured_innovation(app)
        ctx = CommandContext(lead)
        baseline = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 12]
        app.execute(c.RecordObservations(measure, weeks(baseline)), ctx)
        app.execute(c.StartPhase(measure, START + timedelta(weeks=12), "Mats on every bed",
                                 "Pilot complete"), ctx)
        after = app.execute(c.RecordObservations(measure, weeks([9, 8, 9, 8, 9, 8, 9], 12)),
                            ctx)
    finally:
        app.close()
    await catch_up(fresh, [Improvement()])
    conn = await asyncpg.connect(fresh.url)
    try:
        row = await conn.fetchrow("SELECT * FROM rm_measures WHERE measure_id = $1", measure)
        signals = await conn.fetch("SELECT rule, direction, position, points FROM rm_signals "
                                   "WHERE measure_id = $1 ORDER BY first_on", measure)
        phases = await conn.fetch("SELECT reason, decided_by FROM rm_phases "
                                  "WHERE measure_id = $1", measure)
        points = (await points_of(conn, [measure]))[measure]
    finally:
        await conn.close()
    assert row is not None
    assert row["points"] == 19
    assert row["verdict"] == "SPECIAL_CAUSE_IMPROVEMENT"
    assert row["rule_set"] == "making-data-count"
    assert len(points) == 19
    assert points[-1]["classification"] == "SPECIAL_CAUSE_IMPROVEMENT"
    assert [tuple(p) for p in phases] == [("Pilot complete", lead.subject)]
    shift = [s for s in signals if s["rule"] == "SHIFT"]
    assert shift
    assert shift[0]["direction"] == "IMPROVEMENT"
    assert shift[0]["position"] == after.position  # the observation that completed it


async def test_a_baseline_too_short_gives_insufficient_data(fresh: Database) -> None:
    app = make_app(fresh)
    try:
        lead, measure = measured_innovation(app)
        app.execute(c.RecordObservations(measure, weeks([5, 6, 5, 7])), CommandContext(lead))
    finally:
        app.close()
    await catch_up(fresh, [Improvement()])
    conn = await asyncpg.connect(fresh.url)
    try:
        verdict = await conn.fetchval("SELECT verdict FROM rm_measures WHERE measure_id = $1",
                                      measure)
        signals = await conn.fetchval("SELECT count(*) FROM rm_signals WHERE measure_id = $1",
                                      measure)
    finally:
        await conn.close()
    assert verdict == "INSUFFICIENT_DATA"
    assert signals == 0


async def test_recordings_out_of_date_order_are_judged_as_one_series_in_date_order(
        fresh: Database) -> None:
    app = make_app(fresh)
    try:
        lead, measure = measured_innovation(app)
        ctx = CommandContext(lead)
        baseline = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 12]
        # The later weeks first, then the baseline filled in behind them, in two recordings.
        app.execute(c.StartPhase(measure, START + timedelta(weeks=12), "Mats on every bed",
                                 "Pilot complete"), ctx)
        after = app.execute(c.RecordObservations(measure, weeks([9, 8, 9, 8, 9, 8, 9], 12)),
                            ctx)
        app.execute(c.RecordObservations(measure, weeks(baseline[6:], 6)), ctx)
        app.execute(c.RecordObservations(measure, weeks(baseline[:6])), ctx)
    finally:
        app.close()
    await catch_up(fresh, [Improvement()])
    conn = await asyncpg.connect(fresh.url)
    try:
        row = await conn.fetchrow("SELECT * FROM rm_measures WHERE measure_id = $1", measure)
        shift = await conn.fetchrow("SELECT position FROM rm_signals WHERE measure_id = $1 "
                                    "AND rule = 'SHIFT'", measure)
        points = (await points_of(conn, [measure]))[measure]
    finally:
        await conn.close()
    assert row is not None
    assert row["points"] == 19
    assert row["verdict"] == "SPECIAL_CAUSE_IMPROVEMENT"
    assert [p["on"] for p in points] == [START + timedelta(weeks=i) for i in range(19)]
    assert [p["value"] for p in points] == [*baseline, 9, 8, 9, 8, 9, 8, 9]
    # A signal's position is the latest recording of its own points.
    assert shift is not None
    assert shift["position"] == after.position


async def test_migration_groups_stored_points_by_the_recording_that_made_them(
        fresh: Database) -> None:
    # Frozen: read models' numbered migrations no longer run (tests/fixtures/read_model_migrations).
    [migration] = [m for m in discover(("tests.fixtures.read_model_migrations",))
                   if m.version == 12]
    measure = UUID(int=1)
    conn = await asyncpg.connect(fresh.url)
    try:
        async with conn.transaction():  # the table as it was before, with points in it
            await conn.execute("DROP TABLE rm_observations")
            await conn.execute(
                'CREATE TABLE rm_observations (measure_id uuid NOT NULL, "on" date NOT NULL, '
                "value double precision NOT NULL, numerator double precision, "
                "denominator double precision, position bigint NOT NULL, "
                'PRIMARY KEY (measure_id, "on"))')
            await conn.executemany(
                "INSERT INTO rm_observations VALUES ($1, $2, $3, $4, $5, $6)",
                [(measure, START + timedelta(weeks=2), 3.0, 3.0, 4.0, 7),
                 (measure, START, 1.0, 1.0, 2.0, 7),
                 (measure, START + timedelta(weeks=1), 2.0, None, None, 9)])
            await conn.execute(migration.sql)
        rows = await conn.fetch("SELECT * FROM rm_observations ORDER BY position")
    finally:
        await conn.close()
    assert [tuple(r) for r in rows] == [
        (measure, 7, [START, START + timedelta(weeks=2)], [1.0, 3.0], [1.0, 3.0], [2.0, 4.0]),
        (measure, 9, [START + timedelta(weeks=1)], [2.0], [None], [None]),
    ]
