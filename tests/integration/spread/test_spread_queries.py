"""Spread's queries against real PostgreSQL: adoptions, diffusion and site verdicts.

Each answer is checked against the aggregates or against a computation of its own over the
read-model rows. The seeded database is tests/integration/conftest.py's ``seeded_db``; seeded
events are all stamped within seconds of each other, so the arithmetic of days is tested on rows
written directly into a separate, empty database (``blank``), with times the test controls
(tests/integration/read_rows.py).
"""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import asyncpg
import pytest

from projections.spread.queries import DiffusionPoint, adoptions, diffusion, site_verdicts
from tests.integration.read_rows import T0, blank_database, positions, rows, seeded_connection

conn = pytest.fixture(scope="module")(seeded_connection)
blank = pytest.fixture(scope="module")(blank_database)


# Spread


async def test_adoptions_filter_by_innovation_organisation_and_status(
        conn: asyncpg.Connection) -> None:
    every = await rows(conn, "rm_adoptions")
    assert every
    first = every[0]
    for column, value in (("innovation_id", first["innovation_id"]),
                          ("organisation_id", first["organisation_id"]),
                          ("status", first["status"])):
        found = await adoptions(conn, viewer=None, **{column: value})
        assert [a.adoption_id for a in found] == [
            a["adoption_id"] for a in sorted(every, key=lambda a: (a["started_on"],
                                                                   a["adoption_id"]))
            if a[column] == value]
    assert len(await adoptions(conn, viewer=None)) == len(every)


async def test_diffusion_ends_with_every_adoption_of_the_innovation(
        conn: asyncpg.Connection) -> None:
    every = await rows(conn, "rm_adoptions")
    for innovation in {a["innovation_id"] for a in every}:
        mine = [a for a in every if a["innovation_id"] == innovation]
        curve = await diffusion(conn, innovation, viewer=None)
        assert [p.on for p in curve] == sorted(p.on for p in curve)
        assert curve[0].on == min(a["started_on"] for a in mine)
        last = curve[-1]
        assert last.adoptions == len(mine)
        assert last.organisations == len({a["organisation_id"] for a in mine})
        assert last.abandoned == sum(a["status"] == "ABANDONED" for a in mine)
        assert last.sustained == sum(a["status"] == "SUSTAINED" for a in mine)
    assert await diffusion(conn, uuid4(), viewer=None) == []


async def test_diffusion_accumulates_sites_and_organisations_day_by_day(
        blank: asyncpg.Connection) -> None:
    innovation, trust, board = uuid4(), uuid4(), uuid4()
    d = [date(2025, 4, day) for day in range(1, 7)]
    for org, site, started, sustained, abandoned in (
            (trust, "Royal Glamorgan", d[0], d[3], d[5]),
            (trust, "Prince Charles", d[1], None, None),
            (board, None, d[1], None, None),
            (trust, "Royal Glamorgan", d[2], None, None)):
        await blank.execute(
            "INSERT INTO rm_adoptions (adoption_id, innovation_id, organisation_id, site, "
            "status, adaptation, started_on, sustained_on, abandoned_on, started_at, position) "
            "VALUES ($1, $2, $3, $4, 'STARTED', 'a', $5, $6, $7, $8, $9)",
            uuid4(), innovation, org, site, started, sustained, abandoned, T0,
            next(positions))
    assert await diffusion(blank, innovation, viewer=None) == [
        DiffusionPoint(d[0], 1, 1, 1, 0, 0),
        DiffusionPoint(d[1], 3, 3, 2, 0, 0),
        DiffusionPoint(d[2], 4, 3, 2, 0, 0),
        DiffusionPoint(d[3], 4, 3, 2, 1, 0),
        DiffusionPoint(d[5], 4, 3, 2, 0, 1),
    ]


async def test_site_verdicts_are_the_adopting_sites_own_measures(
        conn: asyncpg.Connection) -> None:
    measured = await conn.fetch(
        "SELECT DISTINCT a.innovation_id FROM rm_adoptions a JOIN rm_measures m "
        "ON m.innovation_id = a.innovation_id AND m.organisation_id = a.organisation_id "
        "AND m.site IS NOT DISTINCT FROM a.site")
    assert measured, "the seed measures some adoptions at their own sites"
    for row in measured:
        verdicts = await site_verdicts(conn, row["innovation_id"], viewer=None)
        assert verdicts
        for v in verdicts:
            expected = await conn.fetchrow(
                "SELECT organisation_id, site, verdict, innovation_id FROM rm_measures "
                "WHERE measure_id = $1", v.measure_id)
            assert expected is not None
            assert (expected["organisation_id"], expected["site"], expected["verdict"],
                    expected["innovation_id"]) == (v.organisation_id, v.site, v.verdict,
                                                   row["innovation_id"])
