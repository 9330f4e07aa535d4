"""Funding secured: grants and awards by source, organisation and innovation."""

from __future__ import annotations

from collections.abc import Sequence

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
