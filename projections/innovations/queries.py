"""Innovations as a viewer may see them: filtered, searched, ordered, paged by keyset.

Visibility is part of every query, not a filter applied afterwards, and comes from one place
(``projections/visibility.py``): an organisation sees its own innovations and those shared with
it, nothing else exists for it, and each row carries ``scope``, how much of it the viewer sees.
A filter or search can test only what the viewer could read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from projections import visibility
from projections.visibility import Viewer, viewer_ids

# Each order: its column, direction, and how its value is carried in a cursor.
ORDERS: dict[str, tuple[str, str]] = {
    "SUBMITTED_DESC": ("submitted_at", "DESC"),
    "SUBMITTED_ASC": ("submitted_at", "ASC"),
    "UPDATED_DESC": ("updated_at", "DESC"),
    "TITLE_ASC": ("title", "ASC"),
}


@dataclass(frozen=True)
class InnovationFilter:
    stages: tuple[str, ...] = ()
    organisation_id: UUID | None = None
    site: str | None = None
    challenge_id: UUID | None = None
    innovation_class: str | None = None
    tag: str | None = None
    owner: str | None = None
    search: str | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None


# The filtered columns that rm_innovation_shares carries (in its indexes).
SHARE_FILTERS = frozenset({"stage", "site", "innovation_class", "tags", "submitted_at"})
# The filters that ask for a column equal to the value given.
EQUAL_FILTERS = ("organisation_id", "site", "challenge_id", "innovation_class", "owner")


def _where(f: InnovationFilter, args: list[Any], shares: bool = False) -> str:
    """The filter's conditions, its values appended to ``args`` (``$1`` is the viewer); with
    ``shares``, on the columns of ``rm_innovation_shares s`` where it has them, else on the
    viewer's own innovations. Every column filtered on is one a summary shows, but for search,
    which matches only the words the viewer may read."""
    clauses = ["TRUE"]

    def col(name: str) -> str:
        return f"s.{name}" if shares and name in SHARE_FILTERS else f"i.{name}"

    def arg(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    if f.stages:
        clauses.append(f"{col('stage')} = ANY({arg(list(f.stages))}::text[])")
    for name in EQUAL_FILTERS:
        if (value := getattr(f, name)) is not None:
            clauses.append(f"{col(name)} = {arg(value)}")
    if f.tag is not None:
        clauses.append(f"{arg(f.tag.lower())} = ANY({col('tags')})")
    if f.search:
        words = visibility.search_vector("i", "$1", owned=not shares)
        clauses.append(f"{words} @@ websearch_to_tsquery('english', {arg(f.search)})")
    if f.submitted_from is not None:
        clauses.append(f"{col('submitted_at')} >= {arg(f.submitted_from)}::date")
    if f.submitted_to is not None:
        clauses.append(f"{col('submitted_at')} < ({arg(f.submitted_to)}::date + 1)")
    return " AND ".join(clauses)


async def innovations_page(conn: asyncpg.Connection, viewer: Viewer, f: InnovationFilter, *,
                           order: str = "SUBMITTED_DESC", after: tuple[Any, UUID] | None = None,
                           first: int = 20) -> list[asyncpg.Record]:
    """Up to ``first + 1`` rows after the keyset ``after`` (the extra row says a next page
    exists), each with ``cursor_value``: the sort value to put in its cursor."""
    column, direction = ORDERS[order]
    args: list[Any] = [viewer_ids(viewer)]
    where = _where(f, args)
    shared_where = _where(f, args[:1], shares=True)  # the same placeholders, on s where it can
    after_at: tuple[int, int] | None = None
    if after is not None:
        args.extend(after)
        after_at = (len(args) - 1, len(args))

    def keyset(sort: str, ident: str) -> str:
        """Rows after the cursor; ties on the sort value are broken by id, always ascending."""
        if after_at is None:
            return ""
        value, at_id = after_at
        op = "<" if direction == "DESC" else ">"
        return f" AND ({sort} {op} ${value} OR ({sort} = ${value} AND {ident} > ${at_id}))"

    args.append(first + 1)
    limit = f"LIMIT ${len(args)}"
    # Two disjoint parts, each read in order through a b-tree and stopping at the page size,
    # for each of the viewer's organisations (one, but an auditor's several): the viewer's own
    # innovations, and those shared with it (rm_innovation_shares carries the sort values, so
    # the filters are checked row by row along that order). Visibility itself is decided by
    # the innovation's row, checked again here, never by the share row alone. An innovation
    # owned by one of several viewer organisations, or shared with more than one of them, is
    # read once: as owned, else through the share of the first of them.
    scope = visibility.scope("i", "$1")
    once = ""
    if len(viewer_ids(viewer)) > 1:
        once = (f" AND NOT {visibility.one_of('i.organisation_id', '$1')} "
                "AND s.organisation_id = (SELECT o FROM unnest(i.shared_with) o "
                "WHERE o = ANY($1::uuid[]) ORDER BY o LIMIT 1)")
    own = (f"SELECT i.*, i.{column} AS cursor_value, {scope} AS scope FROM rm_innovations i "
           f"WHERE i.organisation_id = v.org AND {where}{keyset(f'i.{column}', 'i.id')} "
           f"ORDER BY i.{column} {direction}, i.id ASC {limit}")
    shared = (f"SELECT i.*, s.{column} AS cursor_value, {scope} AS scope "
              "FROM rm_innovation_shares s JOIN rm_innovations i ON i.id = s.innovation_id "
              f"WHERE s.organisation_id = v.org AND {visibility.sees('i', '$1')}{once} "
              f"AND {shared_where}"
              f"{keyset(f's.{column}', 's.innovation_id')} "
              f"ORDER BY s.{column} {direction}, s.innovation_id ASC {limit}")
    each = "FROM unnest($1::uuid[]) AS v(org) CROSS JOIN LATERAL"
    rows: list[asyncpg.Record] = await conn.fetch(
        f"SELECT * FROM ((SELECT own.* {each} ({own}) own) "
        f"UNION ALL (SELECT shared.* {each} ({shared}) shared)) page "
        f"ORDER BY cursor_value {direction}, id ASC {limit}", *args)
    return rows


async def innovations_by_id(conn: asyncpg.Connection, viewer: Viewer,
                            ids: list[UUID]) -> dict[UUID, asyncpg.Record]:
    """The innovations of ``ids`` that exist for ``viewer``, each with its ``scope``."""
    rows = await conn.fetch(f"SELECT i.*, {visibility.scope('i', '$1')} AS scope "
                            f"FROM rm_innovations i WHERE i.id = ANY($2) "
                            f"AND {visibility.sees('i', '$1')}", viewer_ids(viewer),
                            ids)
    return {row["id"]: row for row in rows}


async def latest_verdicts(conn: asyncpg.Connection, viewer: Viewer,
                          ids: list[UUID]) -> dict[UUID, asyncpg.Record]:
    """For each innovation, its own organisation's measure with the most recent point, where
    ``viewer`` sees that measure (the owner, and a FULL share: a summary shows no verdict)."""
    rows = await conn.fetch(
        "SELECT DISTINCT ON (m.innovation_id) m.innovation_id, m.measure_id, m.name, m.verdict, "
        "m.latest_on FROM rm_measures m JOIN rm_innovations i ON i.id = m.innovation_id "
        "AND i.organisation_id = m.organisation_id WHERE m.innovation_id = ANY($2) "
        f"AND {visibility.sees_record('m.organisation_id', 'i', '$1')} "
        "ORDER BY m.innovation_id, m.latest_on DESC NULLS LAST, m.measure_id",
        viewer_ids(viewer), ids)
    return {row["innovation_id"]: row for row in rows}


async def organisations_by_id(conn: asyncpg.Connection,
                              ids: list[UUID]) -> dict[UUID, asyncpg.Record]:
    rows = await conn.fetch("SELECT * FROM rm_organisations "
                            "WHERE id = ANY($1)", ids)
    return {row["id"]: row for row in rows}
