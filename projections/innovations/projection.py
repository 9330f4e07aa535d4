"""Innovations: the current summary of each, with full-text search, and every stage transition.

Tables: ``rm_innovations`` (one row an innovation), ``rm_stage_transitions`` (one row a change
of stage, with the dimensions the pipeline is cut by, copied at the time of the change) and
``rm_innovation_shares`` (one row per other organisation an innovation is shared with, carrying its
sort values and most-used filters, so that a page of what is shared with an organisation is read
in order by index).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import asyncpg

from lifecycle.innovations.innovation import Innovation as I
from lifecycle.innovations.stage import Stage
from lifecycle.innovations.transitions import stage_after
from projections.engine import bulk as _bulk
from projections.engine.log import Recorded
from projections.engine.projection import Projection, Tables
from projections.engine.shape import declared

COLUMNS = (
    "id", "version", "position", "organisation_id", "site", "challenge_id", "title", "problem",
    "proposal", "tags", "innovation_class", "stage", "stage_entered_at", "parked_from",
    "submitted_at", "submitter", "staff_group", "owner", "team", "endorsements", "comments",
    "prototypes", "evaluations", "adoptions", "live_adoptions", "funding_total", "shared_with",
    "shared_full", "merged_into", "first_triaged_at", "latest_decision", "updated_at",
)
TRANSITION_COLUMNS = (
    "innovation_id", "position", "at", "from_stage", "to_stage", "actor", "organisation_id",
    "site", "challenge_id", "staff_group", "innovation_class",
)
SHARE_COLUMNS = ("innovation_id", "organisation_id", "submitted_at", "updated_at", "title", "stage",
                 "site", "innovation_class", "tags")
TRIAGE = (I.IdeaAccepted, I.InformationRequested, I.IdeaMerged, I.IdeaDeclined)
# The events ``fold`` changes a row by (the others change only the stage, version and time).
FOLDED = frozenset({
    I.IdeaRevised, I.IdeaEndorsed, I.CommentAdded, I.IdeaMerged, I.OwnerAssigned,
    I.PrototypeStarted, I.EvaluationRecorded, I.FundingRecorded, I.AdoptionDecided,
    I.SharedWith, I.SharingRevoked, I.AdoptionStarted, I.AdoptionAbandoned, *TRIAGE})


def _new(event: I.IdeaSubmitted, position: int) -> dict[str, Any]:
    return {
        "id": event.originator_id, "version": 0, "position": position,
        "organisation_id": event.organisation_id, "site": event.site,
        "challenge_id": event.challenge_id, "title": event.title, "problem": event.problem,
        "proposal": event.proposal, "tags": list(event.tags),
        "innovation_class": event.innovation_class, "stage": None, "stage_entered_at": None,
        "parked_from": None, "submitted_at": event.timestamp, "submitter": event.actor,
        "staff_group": event.staff_group, "owner": None, "team": [], "endorsements": 0,
        "comments": 0, "prototypes": 0, "evaluations": 0, "adoptions": 0, "live_adoptions": 0,
        "funding_total": Decimal(0), "shared_with": [], "shared_full": [], "merged_into": None,
        "first_triaged_at": None, "latest_decision": None, "updated_at": event.timestamp,
    }


def fold(row: dict[str, Any], event: Any) -> None:
    """Change ``row`` by one event (everything but the stage, which ``apply`` handles)."""
    match event:
        case I.IdeaRevised():
            row.update(title=event.title, problem=event.problem, proposal=event.proposal,
                       tags=list(event.tags))
        case I.IdeaEndorsed():
            row["endorsements"] += 1
        case I.CommentAdded():
            row["comments"] += 1
        case I.IdeaMerged():
            row["merged_into"] = event.into_id
        case I.OwnerAssigned():
            row.update(owner=event.owner, team=list(event.team))
        case I.PrototypeStarted():
            row["prototypes"] += 1
        case I.EvaluationRecorded():
            row["evaluations"] += 1
        case I.FundingRecorded():
            row["funding_total"] += event.amount
        case I.AdoptionDecided():
            row["latest_decision"] = event.outcome
        case I.SharedWith():
            if event.organisation_id not in row["shared_with"]:
                row["shared_with"] = [*row["shared_with"], event.organisation_id]
            full = [o for o in row["shared_full"] if o != event.organisation_id]
            row["shared_full"] = [*full, event.organisation_id] if event.scope == "FULL" else full
        case I.SharingRevoked():
            row["shared_with"] = [o for o in row["shared_with"] if o != event.organisation_id]
            row["shared_full"] = [o for o in row["shared_full"] if o != event.organisation_id]
        case I.AdoptionStarted():
            row["adoptions"] += 1
            row["live_adoptions"] += 1
        case I.AdoptionAbandoned():
            row["live_adoptions"] -= 1
    if isinstance(event, TRIAGE) and row["first_triaged_at"] is None:
        row["first_triaged_at"] = event.timestamp


class Innovations(Projection):
    name = "innovations"
    tables = ("rm_innovations", "rm_stage_transitions", "rm_innovation_shares")
    ddl = declared(__package__)
    version = 1

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        mine = [r for r in batch if isinstance(r.event, I.Event)]
        if not mine:
            return
        first: dict[Any, Any] = {}  # each innovation's first event in the batch
        for r in mine:
            first.setdefault(r.event.originator_id, r.event)
        # One submitted in this batch has no row yet: no need to ask (often the whole batch).
        rows = await _bulk.fetch_by_keys(conn, t["rm_innovations"], "id",
                                         (k for k, e in first.items()
                                          if not isinstance(e, I.IdeaSubmitted)))
        # Whom each innovation fetched was shared with before the batch.
        shared_before = {ident: _shared(row) for ident, row in rows.items() if row["shared_with"]}
        transitions: list[tuple[Any, ...]] = []
        # Each touched innovation's stage and the stage it was parked from, as Stages, taken
        # from its row once a batch rather than once an event.
        stages: dict[Any, tuple[Stage | None, Stage | None]] = {}
        for recorded in mine:
            event = recorded.event
            ident = event.originator_id
            if type(event) is I.IdeaSubmitted:
                row = rows[ident] = _new(event, recorded.position)
                stages[ident] = (None, None)
            else:
                row = rows[ident]
            if type(event) in FOLDED:
                fold(row, event)
            current = stages.get(ident)
            if current is None:
                current = stages[ident] = (Stage(row["stage"]) if row["stage"] else None,
                                           Stage(row["parked_from"]) if row["parked_from"]
                                           else None)
            before = current[0]
            after, parked_from = stage_after(event, before, current[1])
            if after is not before:
                transitions.append(_transition(row, recorded, before, after))
                row["stage"] = after.value if after else None
                row["stage_entered_at"] = event.timestamp
            if parked_from is not current[1]:
                row["parked_from"] = parked_from.value if parked_from else None
            stages[ident] = (after, parked_from)
            row["version"] = event.originator_version
            row["position"] = recorded.position
            row["updated_at"] = event.timestamp
        await _bulk.upsert(conn, t["rm_innovations"], COLUMNS, ("id",),
                           ([row[c] for c in COLUMNS] for row in rows.values()))
        await _bulk.insert(conn, t["rm_stage_transitions"], TRANSITION_COLUMNS, transitions)
        await _write_shares(conn, t["rm_innovation_shares"], rows.values(), shared_before)


def _shared(row: dict[str, Any]) -> set[Any]:
    """The other organisations ``row``'s innovation is shared with."""
    return {o for o in row["shared_with"] if o != row["organisation_id"]}


async def _write_shares(conn: asyncpg.Connection, table: str, rows: Iterable[dict[str, Any]],
                        shared_before: dict[Any, set[Any]]) -> None:
    """Bring the share rows of the innovations in ``rows`` up to date: every current share gets
    the innovation's sort values, and shares revoked in the batch are deleted."""
    current: list[tuple[Any, ...]] = []
    revoked: list[tuple[Any, Any]] = []
    for row in rows:
        shared = _shared(row)
        current.extend((row["id"], o, row["submitted_at"], row["updated_at"], row["title"],
                        row["stage"], row["site"], row["innovation_class"], row["tags"])
                       for o in shared)
        revoked.extend((row["id"], o) for o in shared_before.get(row["id"], set()) - shared)
    if revoked:
        await conn.execute(
            f'DELETE FROM "{table}" WHERE (innovation_id, organisation_id) IN '
            "(SELECT * FROM unnest($1::uuid[], $2::uuid[]))",
            [r[0] for r in revoked], [r[1] for r in revoked])
    await _bulk.upsert(conn, table, SHARE_COLUMNS, ("innovation_id", "organisation_id"), current)


def _transition(row: dict[str, Any], recorded: Recorded, before: Stage | None,
                after: Stage | None) -> tuple[Any, ...]:
    at: datetime = recorded.event.timestamp
    return (row["id"], recorded.position, at, before.value if before else None,
            after.value if after else None, recorded.event.actor, row["organisation_id"],
            row["site"], row["challenge_id"], row["staff_group"], row["innovation_class"])
