"""Funding's queries against real PostgreSQL: totals and pages of awards.

Each answer is checked against the aggregates or against a computation of its own over the
read-model rows. The seeded database is tests/integration/conftest.py's ``seeded_db``; seeded
events are all stamped within seconds of each other, so the arithmetic of days is tested on rows
written directly into a separate, empty database (``blank``), with times the test controls
(tests/integration/read_rows.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import uuid4

import asyncpg
import pytest

from projections.development.queries import funding_awards, funding_summary
from tests.integration.read_rows import (
    blank_database,
    every_page,
    positions,
    rows,
    seeded_connection,
)

conn = pytest.fixture(scope="module")(seeded_connection)
blank = pytest.fixture(scope="module")(blank_database)


# Funding


async def test_funding_totals_by_source_and_organisation_are_the_sums_of_the_awards(
        conn: asyncpg.Connection) -> None:
    awards = await rows(conn, "rm_funding")
    assert awards
    for scope in ({}, {"source": awards[0]["source"]},
                  {"organisation_id": awards[0]["organisation_id"]},
                  {"innovation_id": awards[0]["innovation_id"]}):
        mine = [a for a in awards if all(a[k] == v for k, v in scope.items())]
        found = await funding_summary(conn, **scope)
        assert (found.amount, found.awards) == (sum(a["amount"] for a in mine), len(mine))
        for totals, column in ((found.by_source, "source"),
                               (found.by_organisation, "organisation_id")):
            expected: dict[Any, Decimal] = {}
            for a in mine:
                expected[a[column]] = expected.get(a[column], Decimal(0)) + a["amount"]
            assert {t.key: t.amount for t in totals} == expected
            assert [t.amount for t in totals] == sorted(expected.values(), reverse=True)
    nothing = await funding_summary(conn, innovation_id=uuid4())
    assert (nothing.amount, nothing.awards, nothing.by_source) == (Decimal(0), 0, ())


async def test_funding_award_pages_hold_every_award_once_newest_first(
        conn: asyncpg.Connection) -> None:
    awards = await rows(conn, "rm_funding")
    pages = await every_page(lambda after: funding_awards(conn, after=after, first=4),
                             lambda award: award.cursor)
    assert all(len(page) == 4 for page in pages[:-2])
    found = [a.funding_id for page in pages for a in page]
    newest_first = sorted(awards, key=lambda a: (-a["starts_on"].toordinal(), a["funding_id"]))
    assert found == [a["funding_id"] for a in newest_first]
    source = awards[0]["source"]
    assert {a.source for a in await funding_awards(conn, source=source, first=1000)} == {source}


async def test_funding_awards_starting_the_same_day_are_paged_by_id_without_loss(
        blank: asyncpg.Connection) -> None:
    org, ids = uuid4(), sorted(uuid4() for _ in range(5))
    for i, ident in enumerate(ids):
        await blank.execute(
            "INSERT INTO rm_funding (funding_id, innovation_id, organisation_id, source, "
            "funder, amount, starts_on, recorded_by, position) "
            "VALUES ($1, $2, $3, 'CHARITY', 'f', 100, $4, 'x', $5)",
            ident, uuid4(), org, date(2025, 1, 1) if i else date(2025, 2, 1), next(positions))
    pages = await every_page(
        lambda after: funding_awards(blank, organisation_id=org, after=after, first=2),
        lambda award: award.cursor)
    assert [len(p) for p in pages] == [2, 2, 1, 0]
    assert [a.funding_id for p in pages for a in p] == ids  # the later start first, then by id
