"""Innovation pages against real PostgreSQL: the viewer's own part and the shared part
(rm_innovation_shares) together.

Each answer is checked against the aggregates or against a computation of its own over the
read-model rows. The seeded database is tests/integration/conftest.py's ``seeded_db``; seeded
events are all stamped within seconds of each other, so the arithmetic of days is tested on rows
written directly into a separate, empty database (``blank``), with times the test controls
(tests/integration/read_rows.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest

from projections.innovations.queries import ORDERS, InnovationFilter, innovations_page
from tests.integration.read_rows import T0, add_innovation, blank_database, every_page, rows

blank = pytest.fixture(scope="module")(blank_database)


# Innovation pages: the viewer's own part and the shared part (rm_innovation_shares) together


async def add_shared(conn: asyncpg.Connection, org: UUID, shared_with: Sequence[UUID], *,
                     title: str, submitted_at: datetime, owner: str | None = None,
                     challenge: UUID | None = None, share_rows: Sequence[UUID] | None = None
                     ) -> UUID:
    """An innovation of ``org`` shared with ``shared_with``, with its share rows (by default
    one per organisation shared with; ``share_rows`` writes others, as if they had drifted)."""
    ident = await add_innovation(conn, org, submitted_at=submitted_at)
    await conn.execute(
        "UPDATE rm_innovations SET title = $2, shared_with = $3, owner = $4, challenge_id = $5 "
        "WHERE id = $1", ident, title, list(shared_with), owner, challenge)
    for viewer in shared_with if share_rows is None else share_rows:
        await conn.execute(
            "INSERT INTO rm_innovation_shares SELECT id, $2, submitted_at, updated_at, title, "
            "stage, site, innovation_class, tags FROM rm_innovations WHERE id = $1",
            ident, viewer)
    return ident


async def test_pages_interleave_own_and_shared_innovations_through_ties_in_every_order(
        blank: asyncpg.Connection) -> None:
    viewer, other, third = uuid4(), uuid4(), uuid4()
    challenge = uuid4()
    made = [await add_shared(blank, org, [viewer] if org != viewer else [],
                             title=["Same", "Other"][n % 2], submitted_at=T0 + timedelta(
                                 hours=n // 3), owner=f"p{n % 3}",
                             challenge=challenge if n % 2 else None)
            for n, org in enumerate([viewer, other, third] * 4)]
    hidden = await add_shared(blank, other, [], title="Same", submitted_at=T0,
                              share_rows=[viewer])  # a share row the innovation's row denies
    innovations = {r["id"]: r for r in await rows(blank, "rm_innovations")}
    visible = [innovations[i] for i in made]
    assert hidden not in {i["id"] for i in visible}
    cases: list[tuple[InnovationFilter, Callable[[dict[str, Any]], bool]]] = [
             (InnovationFilter(), lambda i: True),
             (InnovationFilter(organisation_id=other), lambda i: i["organisation_id"] == other),
             (InnovationFilter(challenge_id=challenge), lambda i: i["challenge_id"] == challenge),
             (InnovationFilter(owner="p1"), lambda i: i["owner"] == "p1")]
    for f, matches in cases:
        for order, (column, direction) in ORDERS.items():
            want = sorted(sorted((i for i in visible if matches(i)), key=lambda i: i["id"]),
                          key=lambda i: i[column], reverse=direction == "DESC")

            async def fetch(after: Any, order: str = order,
                            f: InnovationFilter = f) -> Sequence[asyncpg.Record]:
                page = await innovations_page(blank, viewer, f, order=order, after=after,
                                              first=1)
                return page[:1]

            found = await every_page(fetch, lambda r: (r["cursor_value"], r["id"]))
            assert [r["id"] for p in found for r in p] == [i["id"] for i in want], (f, order)
