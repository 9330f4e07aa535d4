"""The board's queries against real PostgreSQL: the pipeline and the culture.

Each answer is checked against the aggregates or against a computation of its own over the
read-model rows. The seeded database is tests/integration/conftest.py's ``seeded_db``; seeded
events are all stamped within seconds of each other, so the arithmetic of days is tested on rows
written directly into a separate, empty database (``blank``), with times the test controls
(tests/integration/read_rows.py).
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, datetime, timedelta
from uuid import UUID, uuid4

import asyncpg
import pytest

from lifecycle.innovations.stage import PROGRESSION, Stage
from lifecycle.seed import SeedSummary
from lifecycle.store.database import Database
from lifecycle.vocabulary import FRONTLINE_STAFF_GROUPS
from projections.board.culture import culture
from projections.board.pipeline import pipeline
from tests.integration.read_rows import (
    DIMENSIONS,
    T0,
    add_innovation,
    add_moves,
    blank_database,
    rows,
    seeded_connection,
)

conn = pytest.fixture(scope="module")(seeded_connection)
blank = pytest.fixture(scope="module")(blank_database)


# The pipeline


async def test_stage_counts_are_the_innovations_in_each_stage_as_the_aggregates_say(
        conn: asyncpg.Connection, seeded_db: tuple[Database, SeedSummary]) -> None:
    found = await pipeline(conn)
    assert [s.stage for s in found.stages] == list(Stage)
    assert {s.value: n for s, n in found.counts().items()} == seeded_db[1].by_stage


async def test_conversion_is_the_share_reaching_a_stage_that_reach_the_next(
        conn: asyncpg.Connection) -> None:
    reached: dict[str, set[UUID]] = {s.value: set() for s in Stage}
    for t in await rows(conn, "rm_stage_transitions"):
        reached[t["to_stage"]].add(t["innovation_id"])
    found = await pipeline(conn)
    assert [(c.from_stage, c.to_stage) for c in found.conversions] == list(
        itertools.pairwise(PROGRESSION))
    for c in found.conversions:
        assert c.reached == len(reached[c.from_stage])
        assert c.converted == len(reached[c.from_stage] & reached[c.to_stage])
        later = PROGRESSION[PROGRESSION.index(c.to_stage):]
        assert c.progressed == len(reached[c.from_stage] & set().union(
            *(reached[s] for s in later)))
        assert c.share == pytest.approx(c.converted / c.reached)
    assert found.conversions[0].reached == sum(found.counts().values())
    assert any(c.progressed > c.converted for c in found.conversions)  # some skip SPREADING


async def test_each_filter_narrows_the_pipeline_to_the_innovations_matching_it(
        conn: asyncpg.Connection) -> None:
    innovations = await rows(conn, "rm_innovations")
    argument = {"organisation": "organisation_id", "challenge": "challenge_id"}
    for dimension, column in DIMENSIONS.items():
        recorded = Counter(i[column] for i in innovations if i[column] is not None)
        value = recorded.most_common(1)[0][0]
        expected = Counter(i["stage"] for i in innovations if i[column] == value)
        found = await pipeline(conn, **{argument.get(dimension, dimension): value})
        assert {s.value: n for s, n in found.counts().items() if n} == expected
        assert sum(expected.values()) < len(innovations)


async def test_submission_dates_bound_the_pipeline_by_whole_utc_days_both_included(
        blank: asyncpg.Connection) -> None:
    org = uuid4()
    for at in ("2025-03-01T23:59:59+00:00", "2025-03-02T00:00:00+00:00",
               "2025-03-02T23:59:59+00:00", "2025-03-03T00:00:00+00:00"):
        await add_innovation(blank, org, submitted_at=datetime.fromisoformat(at))

    async def submitted(start: date | None, end: date | None) -> int:
        found = await pipeline(blank, organisation_id=org, submitted_from=start,
                               submitted_to=end)
        return found.stage(Stage.SUBMITTED).count

    assert await submitted(date(2025, 3, 2), date(2025, 3, 2)) == 2
    assert await submitted(date(2025, 3, 2), None) == 3
    assert await submitted(None, date(2025, 3, 1)) == 1
    assert await submitted(None, None) == 4


async def test_days_in_stage_are_percentiles_of_finished_stays_and_open_stays_so_far(
        blank: asyncpg.Connection) -> None:
    org = uuid4()
    a = await add_innovation(blank, org, stage="PROTOTYPING")
    await add_moves(blank, org, a, [(0, "SUBMITTED"), (2, "CONCEPT"), (5, "PROTOTYPING")])
    b = await add_innovation(blank, org, stage="CLOSED")
    await add_moves(blank, org, b, [(0, "SUBMITTED"), (4, "CONCEPT"), (6, "PARKED"),
                                    (10, "CONCEPT"), (11, "CLOSED")])
    c = await add_innovation(blank, org)
    await add_moves(blank, org, c, [(0, "SUBMITTED")])

    found = await pipeline(blank, organisation_id=org, now=T0 + timedelta(days=20))

    submitted = found.stage(Stage.SUBMITTED)  # stays of 2, 4 and 20 (open) days
    assert (submitted.count, submitted.stays) == (1, 3)
    assert submitted.median_days == pytest.approx(4)
    assert submitted.p90_days == pytest.approx(4 + 0.8 * (20 - 4))
    concept = found.stage(Stage.CONCEPT)  # 3 days for a; 2, then 1 after reopening, for b
    assert (concept.count, concept.stays) == (0, 3)
    assert concept.median_days == pytest.approx(2)
    assert concept.p90_days == pytest.approx(2.8)
    assert found.stage(Stage.PROTOTYPING).median_days == pytest.approx(15)
    assert found.stage(Stage.PARKED).median_days == pytest.approx(4)
    closed = found.stage(Stage.CLOSED)
    assert (closed.count, closed.median_days, closed.p90_days) == (1, None, None)
    assert found.stage(Stage.EMBEDDED).stays == 0
    assert [(c.reached, c.converted) for c in found.conversions[:3]] == [(3, 2), (2, 1), (1, 0)]
    on_the_clock = await pipeline(blank, organisation_id=org)  # open stays run until today
    assert (on_the_clock.stage(Stage.PROTOTYPING).median_days or 0) > 15


# Culture


async def test_culture_counts_ideas_per_staff_group_and_the_frontline_share(
        conn: asyncpg.Connection) -> None:
    innovations = await rows(conn, "rm_innovations")
    org = innovations[0]["organisation_id"]
    for scope in ({}, {"organisation_id": org}):
        mine = [i for i in innovations if i["organisation_id"] == scope.get(
            "organisation_id", i["organisation_id"])]
        found = await culture(conn, **scope)
        by_group = Counter(i["staff_group"] for i in mine)
        assert {g.staff_group: g.ideas for g in found.by_staff_group} == by_group
        frontline = sum(i["staff_group"] in FRONTLINE_STAFF_GROUPS for i in mine)
        assert found.frontline_share == pytest.approx(frontline / len(mine))
        assert found.awaiting_triage == sum(
            i["first_triaged_at"] is None and i["stage"] == "SUBMITTED" for i in mine)
        assert found.triaged == sum(i["first_triaged_at"] is not None for i in mine)


async def test_unknown_staff_group_counts_as_not_frontline(blank: asyncpg.Connection) -> None:
    org = uuid4()
    for group in ("nursing_and_midwifery", None, "administrative_and_clerical"):
        await add_innovation(blank, org, staff_group=group)
    found = await culture(blank, organisation_id=org)
    assert found.ideas == 3
    assert found.frontline_ideas == 1
    assert found.frontline_share == pytest.approx(1 / 3)


async def test_days_to_first_triage_are_percentiles_over_the_ideas_triaged(
        blank: asyncpg.Connection) -> None:
    org = uuid4()
    for days in (1, 2, 3, 10):
        await add_innovation(blank, org, stage="CONCEPT",
                             first_triaged_at=T0 + timedelta(days=days))
    await add_innovation(blank, org)  # still waiting
    await add_innovation(blank, org, stage="PARKED")  # parked before triage: not waiting
    await add_innovation(blank, org, submitted_at=T0 + timedelta(days=40))  # later period
    found = await culture(blank, organisation_id=org, submitted_to=T0.date())
    assert (found.ideas, found.triaged, found.awaiting_triage) == (6, 4, 1)
    assert found.median_days_to_triage == pytest.approx(2.5)
    assert found.p90_days_to_triage == pytest.approx(3 + 0.7 * (10 - 3))
    empty = await culture(blank, organisation_id=uuid4())
    assert (empty.ideas, empty.frontline_share, empty.median_days_to_triage) == (0, None, None)
