"""Issue 11 in the read model: the effect of a change survives recalculated limits, signals once
reported stay as history, corrections show on the chart, and all of it is the same however the
log was batched (live, a batch at a time, or rebuilt)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import asyncpg
import orjson
import pytest

from lifecycle import commands as c
from lifecycle.actor import CommandContext
from lifecycle.store.database import Database
from projections.engine.rebuild import rebuild
from projections.improvement.projection import Improvement
from projections.improvement.queries import points_of
from tests.conftest import drop_database, fresh_database, make_app
from tests.integration.improvement.test_improvement_projection import (
    START,
    measured_innovation,
    weeks,
)
from tests.integration.test_projector import catch_up

BASELINE = [62, 58, 61, 57, 63, 59, 60, 64, 56, 61, 59, 62, 58, 60, 63, 57, 61, 59, 62, 58]
AFTER = [41, 39, 42, 38, 40, 43, 37, 41, 39, 40, 42, 38]


@pytest.fixture
def fresh(server: Database) -> Iterator[Database]:
    db = fresh_database(server, "lifecycle_improvement_history")
    yield db
    drop_database(server, db)


async def rows(db: Database, sql: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(db.url)
    try:
        found: list[asyncpg.Record] = await conn.fetch(sql, *args)
        return found
    finally:
        await conn.close()


SIGNALS = ("SELECT evidence, rule, direction, phase, limits_from, points, current, position, "
           "rules FROM rm_signals ORDER BY evidence, phase, first_on, rule, last_on, current")


async def test_signals_reported_before_limits_were_recalculated_stay_as_history(
        fresh: Database) -> None:
    app = make_app(fresh)
    try:
        lead, measure = measured_innovation(app)
        ctx = CommandContext(lead)
        app.execute(c.RecordObservations(measure, weeks(BASELINE)), ctx)
        app.execute(c.StartPhase(measure, START + timedelta(weeks=20), "Nurse-led clinic",
                                 "Clinic opened"), ctx)
        await catch_up(fresh, [Improvement()])
        for i, value in enumerate(AFTER):  # each week its own recording and its own batch
            app.execute(c.RecordObservations(measure, weeks([value], 20 + i)), ctx)
            await catch_up(fresh, [Improvement()])
    finally:
        app.close()
    [row] = await rows(fresh, "SELECT verdict, effects FROM rm_measures")
    signals = await rows(fresh, SIGNALS)

    # The current variation: the new phase has its own limits, and is common cause.
    assert row["verdict"] == "COMMON_CAUSE"
    # The effect of the change is still improvement, with its evidence.
    [effect] = orjson.loads(row["effects"])
    assert effect["verdict"] == "IMPROVEMENT"
    assert (effect["beforeCentre"], effect["afterCentre"], effect["difference"]) == (60, 40, -20)
    effect_rules = {s["rule"] for s in signals if s["evidence"] == "EFFECT" and s["current"]}
    assert {"OUTSIDE_LIMITS", "SHIFT"} <= effect_rules
    # The signals reported while the new phase was judged by the baseline's limits are kept,
    # no longer current; none is silently withdrawn.
    history = [s for s in signals if s["evidence"] == "VARIATION" and not s["current"]]
    assert {s["rule"] for s in history} >= {"OUTSIDE_LIMITS", "SHIFT"}
    assert all(s["phase"] == 1 and s["limits_from"] == 0 for s in history)
    assert all(s["direction"] == "IMPROVEMENT" for s in history)
    shift = next(s for s in history if s["rule"] == "SHIFT")
    assert len(shift["points"]) == 11  # the longest it grew to before the recalculation
    assert all(orjson.loads(s["rules"])["name"] == "making-data-count" for s in signals)

    # The same rows when the read model is rebuilt from the log in other batches.
    await rebuild(fresh.url, [Improvement()], batch_size=5)
    assert [tuple(s) for s in await rows(fresh, SIGNALS)] == [tuple(s) for s in signals]


async def test_a_corrected_or_withdrawn_observation_shows_on_the_chart_as_corrected(
        fresh: Database) -> None:
    app = make_app(fresh)
    try:
        lead, measure = measured_innovation(app)
        ctx = CommandContext(lead)
        app.execute(c.RecordObservations(measure, weeks([5, 6, 5, 7])), ctx)
        app.execute(c.CorrectObservation(measure, c.ObservationInput(START, 9.0),
                                         reason="misread the tally"), ctx)
        app.execute(c.WithdrawObservation(measure, START + timedelta(weeks=1),
                                          reason="wrong ward"), ctx)
    finally:
        app.close()
    await catch_up(fresh, [Improvement()])
    conn = await asyncpg.connect(fresh.url)
    try:
        points = (await points_of(conn, [measure]))[measure]
        corrections = await conn.fetch("SELECT kind, \"on\", value, was_value, reason, "
                                       "decided_by FROM rm_corrections ORDER BY position")
        count = await conn.fetchval("SELECT points FROM rm_measures")
    finally:
        await conn.close()
    assert [(p["on"], p["value"]) for p in points] == [
        (START, 9.0), (START + timedelta(weeks=2), 5.0), (START + timedelta(weeks=3), 7.0)]
    assert count == 3
    assert [tuple(r) for r in corrections] == [
        ("CORRECTED", START, 9.0, 5.0, "misread the tally", lead.subject),
        ("WITHDRAWN", START + timedelta(weeks=1), None, 6.0, "wrong ward", lead.subject)]
