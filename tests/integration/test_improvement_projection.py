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
from lifecycle.database import Database
from lifecycle.governance import Risk
from lifecycle.vocabulary import (
    BetterDirection,
    ChartType,
    Criterion,
    EvaluationMethod,
    PrototypeOutcome,
)
from projections.improvement.projection import Improvement
from projections.measure_queries import points_of
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
