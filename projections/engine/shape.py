"""A read model's declared tables: its ``tables.sql``, rendered for live or fresh tables, and
compared with tables a database already has.

A declaration is the CREATE statements of a read model's current shape, next to its folding code
(``projections/<capability>/tables.sql``), with every name the read model owns (tables, indexes)
written ``{name}``. Rendered with no suffix it creates the live tables; with a suffix, a
rebuild's fresh ones beside them (``{rm_adoptions}`` becomes ``rm_adoptions__rebuild``). What is
not a name it owns (a shared function, created ``OR REPLACE``) is written as is.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from importlib import resources
from typing import NamedTuple

import asyncpg

NAME = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
DECLARED = "__declared"  # the suffix of the tables a comparison creates and rolls back


def declared(package: str | None, file: str = "tables.sql") -> str:
    """The text of ``package``'s ``tables.sql`` (its read model's declaration); a read model's
    module passes its ``__package__``, and ``file`` where its capability has a second read model
    (``projections/development``: funding and prototypes). Raises ``FileNotFoundError`` if there
    is none."""
    if not package:
        raise ValueError("a declaration belongs to a package (pass __package__)")
    return resources.files(package).joinpath(file).read_text()


def render(ddl: str, suffix: str = "") -> str:
    """``ddl`` with each ``{name}`` written ``name`` + ``suffix``."""
    return NAME.sub(lambda match: match[1] + suffix, ddl)


def digest(ddl: str) -> str:
    """A hex SHA-256 of the declaration as written (a change to it, comments included, is a
    change of shape as far as ``projections.engine.upgrade`` is concerned)."""
    return hashlib.sha256(ddl.encode()).hexdigest()


class Shape(NamedTuple):
    """What matters of a table's shape: its columns in order (name, type, not null, default or
    generation expression), its constraints and its indexes (definitions without their own or
    their table's name). Names of constraints and indexes do not matter, nor storage details."""

    columns: tuple[tuple[str, str, bool, str, str], ...]
    constraints: tuple[str, ...]
    indexes: tuple[str, ...]


COLUMNS = """
SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       coalesce(pg_get_expr(d.adbin, d.adrelid), ''), a.attgenerated::text
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
"""
# NOT NULL is a column property above; PostgreSQL 18 also lists it as a named constraint.
CONSTRAINTS = """
SELECT contype::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = $1::regclass AND contype <> 'n'
"""
INDEXES = """
SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
WHERE i.indrelid = $1::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""
_INDEX_HEAD = re.compile(r"^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ ")


async def describe(conn: asyncpg.Connection, table: str) -> Shape:
    """The shape of ``table`` (which must exist)."""
    columns = tuple((r[0], r[1], r[2], r[3], r[4])
                    for r in await conn.fetch(COLUMNS, f'"{table}"'))
    constraints = tuple(sorted(r[0] for r in await conn.fetch(CONSTRAINTS, f'"{table}"')))
    indexes = tuple(sorted(_INDEX_HEAD.sub(lambda m: f"{m[1] or ''}INDEX ", r[0])
                           for r in await conn.fetch(INDEXES, f'"{table}"')))
    return Shape(columns, constraints, indexes)


async def matches(conn: asyncpg.Connection, ddl: str, tables: Sequence[str]) -> bool:
    """Whether the live ``tables`` have the shape ``ddl`` declares. The declaration is created
    beside them (suffix ``__declared``) in a transaction that is rolled back, so this leaves
    nothing behind."""
    transaction = conn.transaction()
    await transaction.start()
    try:
        await conn.execute(render(ddl, DECLARED))
        for table in tables:
            if await describe(conn, table) != await describe(conn, table + DECLARED):
                return False
        return True
    finally:
        await transaction.rollback()
