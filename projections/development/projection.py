"""The development read models: funding secured (grants and awards by source, organisation and
innovation), and prototypes as recorded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from lifecycle.innovations.innovation import Innovation as I
from projections.engine import bulk as _bulk
from projections.engine.log import Recorded
from projections.engine.projection import Projection, Tables
from projections.engine.shape import declared

COLUMNS = ("funding_id", "innovation_id", "organisation_id", "source", "funder", "programme",
           "amount", "starts_on", "ends_on", "recorded_by", "position")


class Funding(Projection):
    name = "funding"
    tables = ("rm_funding",)
    ddl = declared(__package__)
    version = 1

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        rows = [(e.funding_id, e.originator_id, e.actor_organisation, e.source, e.funder,
                 e.programme, e.amount, e.starts_on, e.ends_on, e.actor, r.position)
                for r in batch if isinstance(e := r.event, I.FundingRecorded)]
        await _bulk.insert(conn, t["rm_funding"], COLUMNS, rows)


PROTOTYPE_COLUMNS = ("prototype_id", "innovation_id", "title", "hypothesis", "plan",
                     "started_on", "started_by", "outcome", "result", "learning",
                     "completed_on", "completed_by", "position", "completed_position")


class Prototypes(Projection):
    """Prototypes (PDSA cycles) as recorded: the plan as started (title, hypothesis, plan, start)
    and, once completed, the study and act (outcome, result, learning, completion). Table:
    ``rm_prototypes``, one row a prototype; ``position`` is its start's log position."""

    name = "development"
    tables = ("rm_prototypes",)
    ddl = declared(__package__, "prototypes.sql")
    version = 1

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        started: dict[Any, dict[str, Any]] = {}
        completed: list[Recorded] = []
        for r in batch:
            e = r.event
            if isinstance(e, I.PrototypeStarted):
                started[e.prototype_id] = {
                    "prototype_id": e.prototype_id, "innovation_id": e.originator_id,
                    "title": e.title, "hypothesis": e.hypothesis, "plan": e.plan,
                    "started_on": e.started_on, "started_by": e.actor, "outcome": None,
                    "result": None, "learning": None, "completed_on": None,
                    "completed_by": None, "position": r.position, "completed_position": None}
            elif isinstance(e, I.PrototypeCompleted):
                completed.append(r)
        # Those completed in this batch but started before it: their rows as stored.
        rows = {**await _bulk.fetch_by_keys(
            conn, t["rm_prototypes"], "prototype_id",
            (r.event.prototype_id for r in completed if r.event.prototype_id not in started)),
            **started}
        for r in completed:
            e = r.event
            rows[e.prototype_id].update(outcome=e.outcome, result=e.result, learning=e.learning,
                                        completed_on=e.completed_on, completed_by=e.actor,
                                        completed_position=r.position)
        await _bulk.upsert(conn, t["rm_prototypes"], PROTOTYPE_COLUMNS, ("prototype_id",),
                           ([row[c] for c in PROTOTYPE_COLUMNS] for row in rows.values()))
