"""Bulk writes for projections: per table per batch, one COPY and one statement, never one
statement per event. A handful of rows (the live projector's usual batch) goes instead as one
pipelined ``executemany``, which costs fewer round trips than staging a COPY."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import asyncpg

SMALL = 64


def _placeholders(n: int) -> str:
    return ", ".join(f"${i}" for i in range(1, n + 1))


async def _stage(conn: asyncpg.Connection, table: str, columns: Sequence[str],
                 records: list[Sequence[Any]]) -> str:
    """COPY ``records`` into a temporary table shaped like ``table``; return its name."""
    stage = f"_stage_{table}"
    # CREATE TABLE AS copies the column types but no constraint, so a partial row (only the
    # columns being replaced) can be staged.
    await conn.execute(f'CREATE TEMP TABLE IF NOT EXISTS "{stage}" ON COMMIT DELETE ROWS '
                       f'AS SELECT * FROM "{table}" WITH NO DATA')
    await conn.copy_records_to_table(stage, records=records, columns=list(columns))
    return stage


async def upsert(conn: asyncpg.Connection, table: str, columns: Sequence[str],
                 key: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` into ``table``, replacing the non-key columns of rows already there."""
    records = list(rows)
    if not records:
        return
    cols = ", ".join(f'"{c}"' for c in columns)
    updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in columns if c not in key)
    conflict = ", ".join(f'"{k}"' for k in key)
    action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    if len(records) <= SMALL:
        await conn.executemany(f'INSERT INTO "{table}" ({cols}) VALUES '
                               f"({_placeholders(len(columns))}) ON CONFLICT ({conflict}) "
                               f"{action}", records)
        return
    stage = await _stage(conn, table, columns, records)
    await conn.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM "{stage}" '
                       f"ON CONFLICT ({conflict}) {action}")
    await conn.execute(f'DELETE FROM "{stage}"')


async def insert(conn: asyncpg.Connection, table: str, columns: Sequence[str],
                 rows: Iterable[Sequence[Any]]) -> None:
    records = list(rows)
    if len(records) > SMALL:
        await conn.copy_records_to_table(table, records=records, columns=list(columns))
    elif records:
        cols = ", ".join(f'"{c}"' for c in columns)
        await conn.executemany(f'INSERT INTO "{table}" ({cols}) VALUES '
                               f"({_placeholders(len(columns))})", records)


class Appends:
    """The rows a batch appends to several tables (``columns``: each table's columns), added
    as its events are read, then inserted one table after another, in the order ``columns``
    names them."""

    def __init__(self, columns: Mapping[str, Sequence[str]]) -> None:
        self.columns = columns
        self.rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in columns}

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows[table].append(row)

    async def insert(self, conn: asyncpg.Connection, tables: Mapping[str, str]) -> None:
        """Insert each table's rows (``insert``) into the table ``tables`` names for it: the
        live one, or a rebuild's."""
        for table, columns in self.columns.items():
            await insert(conn, tables[table], columns, self.rows[table])


async def fetch_by_keys(conn: asyncpg.Connection, table: str, key: str,
                        keys: Iterable[Any]) -> dict[Any, dict[str, Any]]:
    """The current rows for ``keys``, as mutable dicts keyed by ``key``."""
    wanted = list(set(keys))
    if not wanted:
        return {}
    rows = await conn.fetch(f'SELECT * FROM "{table}" WHERE "{key}" = ANY($1)', wanted)
    return {row[key]: dict(row) for row in rows}
