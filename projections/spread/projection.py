"""Spread: every adoption of an innovation at a site or organisation, with its adaptation and
status over time (the diffusion timeline). Each adopting site's verdict comes from its own
measures (the improvement read model), joined at query time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from lifecycle.innovations.innovation import Innovation as I
from projections.engine.log import Recorded
from projections.engine.projection import Projection, Tables
from projections.engine.rows import fold_rows
from projections.engine.shape import declared

COLUMNS = ("adoption_id", "innovation_id", "organisation_id", "site", "status", "adaptation",
           "started_on", "sustained_on", "abandoned_on", "ended_reason", "started_at", "position")
ADOPTION_EVENTS = (I.AdoptionStarted, I.AdoptionSustained, I.AdoptionAbandoned)


def _adoption(rows: dict[Any, dict[str, Any]], r: Recorded) -> None:
    e = r.event
    match e:
        case I.AdoptionStarted():
            rows[e.adoption_id] = {
                "adoption_id": e.adoption_id, "innovation_id": e.originator_id,
                "organisation_id": e.organisation_id, "site": e.site, "status": "STARTED",
                "adaptation": e.adaptation, "started_on": e.started_on, "sustained_on": None,
                "abandoned_on": None, "ended_reason": None, "started_at": e.timestamp,
                "position": r.position}
        case I.AdoptionSustained():
            rows[e.adoption_id].update(status="SUSTAINED", sustained_on=e.sustained_on,
                                       position=r.position)
        case I.AdoptionAbandoned():
            rows[e.adoption_id].update(status="ABANDONED", abandoned_on=e.abandoned_on,
                                       ended_reason=e.reason, position=r.position)


class Spread(Projection):
    name = "spread"
    tables = ("rm_adoptions",)
    ddl = declared(__package__)
    version = 1

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        await fold_rows(conn, t["rm_adoptions"], "adoption_id", COLUMNS, batch,
                        ADOPTION_EVENTS, lambda r: (r.event.adoption_id,), _adoption)
