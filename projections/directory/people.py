"""The people erased, as the read side knows them (``rm_erased_people``): which opaque ids, of
those a record shows (a submitter, an owner, a decision-maker), lead to no one any more."""

from __future__ import annotations

import asyncpg


async def erased(conn: asyncpg.Connection, subjects: list[str]) -> list[asyncpg.Record]:
    """The erasures of those of ``subjects`` who are erased, in the order of ``subjects``."""
    rows: list[asyncpg.Record] = await conn.fetch(
        "SELECT e.subject, e.erased_at FROM unnest($1::text[]) WITH ORDINALITY AS s (subject, n) "
        "JOIN rm_erased_people e USING (subject) ORDER BY s.n", subjects)
    return rows
