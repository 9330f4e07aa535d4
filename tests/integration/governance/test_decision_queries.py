"""The decisions' queries against real PostgreSQL: the register, its pages and filters, and the
governance summary.

Each answer is checked against the aggregates or against a computation of its own over the
read-model rows. The seeded database is tests/integration/conftest.py's ``seeded_db``; seeded
events are all stamped within seconds of each other, so the arithmetic of days is tested on rows
written directly into a separate, empty database (``blank``), with times the test controls
(tests/integration/read_rows.py).
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any
from uuid import uuid4

import asyncpg
import pytest

from lifecycle.actor import Authority
from projections.governance.queries import DecisionRow, decisions, governance_summary
from tests.integration.read_rows import (
    blank_database,
    every_page,
    insert_decision,
    rows,
    seeded_connection,
)

conn = pytest.fixture(scope="module")(seeded_connection)
blank = pytest.fixture(scope="module")(blank_database)


# Decisions


async def test_decision_pages_hold_every_decision_once_newest_first(
        conn: asyncpg.Connection) -> None:
    register = await rows(conn, "rm_decisions")
    assert register
    for escalated in (None, True):
        async def page(after: Any, e: bool | None = escalated) -> list[DecisionRow]:
            return await decisions(conn, escalated=e, after=after, first=3)

        pages = await every_page(page, lambda decision: decision.cursor)
        found = [d.decision_id for page in pages for d in page]
        expected = sorted((d for d in register if escalated is None or d["escalated"]),
                          key=lambda d: (-d["decided_at"].timestamp(), d["decision_id"]))
        assert found == [d["decision_id"] for d in expected]


async def test_decisions_taken_at_the_same_instant_are_paged_by_id_without_loss(
        blank: asyncpg.Connection) -> None:
    org, ids = uuid4(), sorted(uuid4() for _ in range(5))
    for ident in ids:
        await insert_decision(blank, org, decision_id=ident)
    pages = await every_page(
        lambda after: decisions(blank, organisation_id=org, after=after, first=2),
        lambda decision: decision.cursor)
    assert [d.decision_id for p in pages for d in p] == ids


async def test_decision_filters_narrow_the_register(conn: asyncpg.Connection) -> None:
    register = await rows(conn, "rm_decisions")
    first = register[0]
    filters: list[tuple[str, Any]] = [
        ("organisation_id", first["organisation_id"]), ("innovation_id", first["innovation_id"]),
        ("outcome", first["outcome"]), ("escalated", False)]
    for column, value in filters:
        found = await decisions(conn, first=1000, **{column: value})
        assert {d.decision_id for d in found} == {
            d["decision_id"] for d in register if d[column] == value}
    row = (await decisions(conn, innovation_id=first["innovation_id"], first=1))[0]
    assert (row.rationale, row.evidence) == (first["rationale"], tuple(first["evidence"]))
    day = first["decided_at"].astimezone(UTC).date()
    assert len(await decisions(conn, decided_from=day, decided_to=day, first=1000)) == sum(
        d["decided_at"].astimezone(UTC).date() == day for d in register)
    assert await decisions(conn, decided_to=day - timedelta(days=1), first=1000) == []


async def test_governance_summary_counts_decisions_escalations_and_requirements_per_level(
        conn: asyncpg.Connection) -> None:
    register = await rows(conn, "rm_decisions")
    found = await governance_summary(conn)
    assert [s.authority for s in found] == list(Authority)
    for s in found:
        taken = [d for d in register if d["authority"] == s.authority.value]
        assert s.decided == len(taken)
        assert s.escalated == sum(d["escalated"] for d in taken)
        assert s.required == sum(d["required_authority"] == s.authority.value
                                 for d in register)
    assert sum(s.decided for s in found) == len(register)


async def test_governance_days_from_evaluation_are_percentiles_per_level(
        blank: asyncpg.Connection) -> None:
    org = uuid4()
    for authority, required, days in (("team", "team", 1), ("team", "team", 3),
                                      ("team", "team", 5), ("team", "team", None),
                                      ("board", "executive", 10)):
        await insert_decision(blank, org, authority=authority, required=required, days=days)
    found = {s.authority: s for s in await governance_summary(blank, organisation_id=org)}
    team, board = found[Authority.TEAM], found[Authority.BOARD]
    assert (team.decided, team.escalated, team.required) == (4, 0, 4)
    assert team.median_days_from_evaluation == pytest.approx(3)
    assert team.p90_days_from_evaluation == pytest.approx(3 + 0.8 * 2)
    assert (board.decided, board.escalated, board.required) == (1, 1, 0)
    assert found[Authority.EXECUTIVE].required == 1
    assert found[Authority.DIRECTORATE].median_days_from_evaluation is None
