"""Measures as a viewer may see them (``projections/visibility.py``): a measure belongs to the
organisation that defined it (its adopter), and is seen by that organisation and by the
innovation's owner; a FULL share shows the owner's own measures; a summary shows none."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from projections import visibility
from projections.engine.projection import Tables
from projections.improvement.projection import Improvement, analysis_of
from projections.improvement.series import read_series
from projections.visibility import Viewer, viewer_ids

LIVE = Tables(Improvement.tables)
COLUMNS = ("m.*, coalesce((SELECT array_agg(p.starts_on ORDER BY p.starts_on) FROM rm_phases p "
           "WHERE p.measure_id = m.measure_id), '{}') AS phase_starts")
_SEEN = ("EXISTS (SELECT 1 FROM rm_innovations i WHERE i.id = m.innovation_id "
         f"AND {visibility.sees_record('m.organisation_id', 'i', '$1')})")


async def measures_by_id(conn: asyncpg.Connection, viewer: Viewer,
                         ids: list[UUID]) -> dict[UUID, asyncpg.Record]:
    rows = await conn.fetch(f"SELECT {COLUMNS} FROM rm_measures m WHERE m.measure_id = ANY($2) "
                            f"AND {_SEEN}", viewer_ids(viewer), ids)
    return {row["measure_id"]: row for row in rows}


async def measures_of(conn: asyncpg.Connection, viewer: Viewer,
                      innovation_id: UUID) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await conn.fetch(
        f"SELECT {COLUMNS} FROM rm_measures m WHERE m.innovation_id = $2 AND {_SEEN} "
        "ORDER BY m.organisation_id, m.site NULLS FIRST, m.name, m.measure_id",
        viewer_ids(viewer),
        innovation_id)
    return rows


async def points_of(conn: asyncpg.Connection,
                    ids: list[UUID]) -> dict[UUID, list[dict[str, Any]]]:
    """Every observation of each measure, classified by the analysis the read model stores its
    verdict and signals from (computed here, from the same rows, rather than stored)."""
    found: dict[UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    for series in await read_series(conn, LIVE, ids):
        found[series.measure_id] = [
            {"on": p.on, "value": p.value, "numerator": point.numerator,
             "denominator": point.denominator, "phase": p.phase, "centre": p.centre,
             "lower": p.lower, "upper": p.upper, "classification": p.classification.value,
             "rules": [r.value for r in p.rules]}
            for p, point in zip(analysis_of(series).points, series.as_of().points,
                                strict=True)]
    return found


async def _by_measure(conn: asyncpg.Connection, table: str, order: str,
                      ids: list[UUID]) -> dict[UUID, list[asyncpg.Record]]:
    """The rows of ``table`` (a read model's, named in code) for each of the measures ``ids``,
    in ``order`` (SQL, after ``measure_id``); an empty list for a measure with none."""
    found: dict[UUID, list[asyncpg.Record]] = {i: [] for i in ids}
    for row in await conn.fetch(f"SELECT * FROM {table} WHERE measure_id = ANY($1) "
                                f"ORDER BY measure_id, {order}", ids):
        found[row["measure_id"]].append(row)
    return found


async def signals_of(conn: asyncpg.Connection,
                     ids: list[UUID]) -> dict[UUID, list[asyncpg.Record]]:
    return await _by_measure(conn, "rm_signals", "phase, first_on, rule, last_on, current DESC",
                             ids)


async def phases_of(conn: asyncpg.Connection,
                    ids: list[UUID]) -> dict[UUID, list[asyncpg.Record]]:
    return await _by_measure(conn, "rm_phases", "starts_on", ids)


async def corrections_of(conn: asyncpg.Connection,
                         ids: list[UUID]) -> dict[UUID, list[asyncpg.Record]]:
    """Each measure's corrections and withdrawals of observations, in the order made."""
    return await _by_measure(conn, "rm_corrections", "position", ids)


async def targets_of(conn: asyncpg.Connection,
                     ids: list[UUID]) -> dict[UUID, list[asyncpg.Record]]:
    """Each measure's settings of its target after its definition, in the order made."""
    return await _by_measure(conn, "rm_targets", "position", ids)
