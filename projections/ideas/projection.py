"""What an innovation's people recorded about it, kept as recorded: comments, endorsements,
the idea's text as submitted and as each revision left it, stakeholder and patient involvement,
every assignment of an owner and team (the current one is the latest), and the judgements made
about it with their reasons (triage, parking, reopening, closing with its learning, embedding).
The innovations read model keeps only counts and stages.

Tables: ``rm_comments``, ``rm_endorsements``, ``rm_revisions``, ``rm_involvement``,
``rm_owner_history``, ``rm_judgements``; each row carries ``position``, the log position of the
event that recorded it (the order they are read in).
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from lifecycle.innovations.innovation import Innovation as I
from projections.engine import bulk as _bulk
from projections.engine.log import Recorded
from projections.engine.projection import Projection, Tables
from projections.engine.shape import declared

COMMENT_COLUMNS = ("comment_id", "innovation_id", "author", "organisation_id", "text", "at",
                   "position")
ENDORSEMENT_COLUMNS = ("innovation_id", "endorser", "organisation_id", "at", "position")
INVOLVEMENT_COLUMNS = ("innovation_id", "position", "kind", "group_name", "description",
                       "involved_on", "recorded_by", "at")
OWNER_COLUMNS = ("innovation_id", "position", "owner", "team", "assigned_by", "at")
REVISION_COLUMNS = ("innovation_id", "position", "title", "problem", "proposal", "tags",
                    "revised_by", "at")
JUDGEMENT_COLUMNS = ("innovation_id", "position", "judgement", "reason", "learning", "into_id",
                     "judged_by", "at")
# Each table a batch appends to, and its columns, in the order it inserts them.
APPENDED = {"rm_comments": COMMENT_COLUMNS, "rm_endorsements": ENDORSEMENT_COLUMNS,
            "rm_involvement": INVOLVEMENT_COLUMNS, "rm_owner_history": OWNER_COLUMNS,
            "rm_judgements": JUDGEMENT_COLUMNS, "rm_revisions": REVISION_COLUMNS}
# Each judgement's event and its name in the read model (``schema`` shows it as an enum).
JUDGEMENTS: dict[type, str] = {
    I.IdeaAccepted: "ACCEPTED", I.InformationRequested: "INFORMATION_REQUESTED",
    I.IdeaMerged: "MERGED", I.IdeaDeclined: "DECLINED", I.InnovationParked: "PARKED",
    I.InnovationReopened: "REOPENED", I.InnovationClosed: "CLOSED",
    I.InnovationEmbedded: "EMBEDDED"}


class Ideas(Projection):
    name = "ideas"
    tables = ("rm_comments", "rm_endorsements", "rm_revisions", "rm_involvement",
              "rm_owner_history", "rm_judgements")
    ddl = declared(__package__)
    version = 1

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        rows = _bulk.Appends(APPENDED)
        for r in batch:
            e = r.event
            judgement = JUDGEMENTS.get(type(e))
            if judgement is not None:
                rows.add("rm_judgements", (
                    e.originator_id, r.position, judgement, e.reason,
                    getattr(e, "learning", None), getattr(e, "into_id", None), e.actor,
                    e.timestamp))
                continue
            match e:
                case I.IdeaSubmitted() | I.IdeaRevised():
                    rows.add("rm_revisions", (e.originator_id, r.position, e.title, e.problem,
                                              e.proposal, list(e.tags), e.actor, e.timestamp))
                case I.CommentAdded():
                    rows.add("rm_comments", (e.comment_id, e.originator_id, e.actor,
                                             e.actor_organisation, e.text, e.timestamp,
                                             r.position))
                case I.IdeaEndorsed():
                    rows.add("rm_endorsements", (e.originator_id, e.actor, e.actor_organisation,
                                                 e.timestamp, r.position))
                case I.InvolvementRecorded():
                    rows.add("rm_involvement", (e.originator_id, r.position, e.kind, e.group,
                                                e.description, e.involved_on, e.actor,
                                                e.timestamp))
                case I.OwnerAssigned():
                    rows.add("rm_owner_history", (e.originator_id, r.position, e.owner,
                                                  list(e.team), e.actor, e.timestamp))
        await rows.insert(conn, t)
