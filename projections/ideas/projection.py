"""What an innovation's people recorded about it, kept as recorded: comments, endorsements,
stakeholder and patient involvement, and every assignment of an owner and team (the current one is
the latest). The innovations read model keeps only their counts.

Tables: ``rm_comments``, ``rm_endorsements``, ``rm_involvement``, ``rm_owner_history``; each row
carries ``position``, the log position of the event that recorded it (the order they are read in).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from lifecycle.innovations.innovation import Innovation as I
from projections.engine import bulk as _bulk
from projections.engine.log import Recorded
from projections.engine.projection import Projection, Tables

COMMENT_COLUMNS = ("comment_id", "innovation_id", "author", "organisation_id", "text", "at",
                   "position")
ENDORSEMENT_COLUMNS = ("innovation_id", "endorser", "organisation_id", "at", "position")
INVOLVEMENT_COLUMNS = ("innovation_id", "position", "kind", "group_name", "description",
                       "involved_on", "recorded_by", "at")
OWNER_COLUMNS = ("innovation_id", "position", "owner", "team", "assigned_by", "at")


class Ideas(Projection):
    name = "ideas"
    tables = ("rm_comments", "rm_endorsements", "rm_involvement", "rm_owner_history")

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        comments: list[tuple[Any, ...]] = []
        endorsements: list[tuple[Any, ...]] = []
        involvement: list[tuple[Any, ...]] = []
        owners: list[tuple[Any, ...]] = []
        for r in batch:
            e = r.event
            match e:
                case I.CommentAdded():
                    comments.append((e.comment_id, e.originator_id, e.actor,
                                     e.actor_organisation, e.text, e.timestamp, r.position))
                case I.IdeaEndorsed():
                    endorsements.append((e.originator_id, e.actor, e.actor_organisation,
                                         e.timestamp, r.position))
                case I.InvolvementRecorded():
                    involvement.append((e.originator_id, r.position, e.kind, e.group,
                                        e.description, e.involved_on, e.actor, e.timestamp))
                case I.OwnerAssigned():
                    owners.append((e.originator_id, r.position, e.owner, list(e.team), e.actor,
                                   e.timestamp))
        await _bulk.insert(conn, t["rm_comments"], COMMENT_COLUMNS, comments)
        await _bulk.insert(conn, t["rm_endorsements"], ENDORSEMENT_COLUMNS, endorsements)
        await _bulk.insert(conn, t["rm_involvement"], INVOLVEMENT_COLUMNS, involvement)
        await _bulk.insert(conn, t["rm_owner_history"], OWNER_COLUMNS, owners)
