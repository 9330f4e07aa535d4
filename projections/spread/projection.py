"""Spread: every adoption of an innovation at a site or organisation, with its adaptation and
status over time (the diffusion timeline), each change of status with who judged it and why
(``rm_adoption_history``), and every share and revocation of the innovation
(``rm_share_history``). Each adopting site's verdict comes from its own measures (the
improvement read model), joined at query time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from lifecycle.innovations.innovation import Innovation as I
from projections.engine import bulk as _bulk
from projections.engine.log import Recorded
from projections.engine.projection import Projection, Tables
from projections.engine.rows import fold_rows
from projections.engine.shape import declared

COLUMNS = ("adoption_id", "innovation_id", "organisation_id", "site", "status", "adaptation",
           "started_on", "sustained_on", "abandoned_on", "ended_reason", "started_at", "position")
ADOPTION_EVENTS = (I.AdoptionStarted, I.AdoptionSustained, I.AdoptionAbandoned)
HISTORY_COLUMNS = ("adoption_id", "position", "innovation_id", "organisation_id", "status", "on",
                   "reason", "decided_by", "at")
SHARE_COLUMNS = ("innovation_id", "position", "organisation_id", "change", "scope", "reason",
                 "decided_by", "at")


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
    tables = ("rm_adoptions", "rm_adoption_history", "rm_share_history")
    ddl = declared(__package__)
    version = 2  # 2: rm_adoption_history and rm_share_history

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        await fold_rows(conn, t["rm_adoptions"], "adoption_id", COLUMNS, batch,
                        ADOPTION_EVENTS, lambda r: (r.event.adoption_id,), _adoption)
        history: list[list[Any]] = []
        shares: list[tuple[Any, ...]] = []
        adopters: dict[Any, Any] = {}  # a batch's new adoptions' adopters
        for r in batch:
            e = r.event
            match e:
                case I.SharedWith():
                    shares.append((e.originator_id, r.position, e.organisation_id, "SHARED",
                                   e.scope, None, e.actor, e.timestamp))
                case I.SharingRevoked():
                    shares.append((e.originator_id, r.position, e.organisation_id, "REVOKED",
                                   None, e.reason, e.actor, e.timestamp))
                case I.AdoptionStarted():
                    adopters[e.adoption_id] = e.organisation_id
                    history.append([e.adoption_id, r.position, e.originator_id,
                                    e.organisation_id, "STARTED", e.started_on, None, e.actor,
                                    e.timestamp])
                case I.AdoptionSustained():
                    history.append([e.adoption_id, r.position, e.originator_id, None,
                                    "SUSTAINED", e.sustained_on, e.reason, e.actor,
                                    e.timestamp])
                case I.AdoptionAbandoned():
                    history.append([e.adoption_id, r.position, e.originator_id, None,
                                    "ABANDONED", e.abandoned_on, e.reason, e.actor,
                                    e.timestamp])
        if history:
            unknown = {h[0] for h in history if h[0] not in adopters}
            if unknown:  # started in an earlier batch: its adopter is on its row
                adopters.update({row[0]: row[1] for row in await conn.fetch(
                    f'SELECT adoption_id, organisation_id FROM "{t["rm_adoptions"]}" '
                    "WHERE adoption_id = ANY($1)", list(unknown))})
            for h in history:
                h[3] = adopters[h[0]]
        await _bulk.insert(conn, t["rm_adoption_history"], HISTORY_COLUMNS, history)
        await _bulk.insert(conn, t["rm_share_history"], SHARE_COLUMNS, shares)
