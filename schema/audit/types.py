"""The audit's types: history entries."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from lifecycle.audit.history import Entry


@strawberry.type(description="One event of a record's history, as the log recorded it.")
class HistoryEntry:
    position: str = strawberry.field(description=(
        "The event's position in the global log (decimal digits: a PostgreSQL bigint)."))
    recorded_at: datetime = strawberry.field(description=(
        "When the database recorded the event (its clock, in the event's transaction)."))
    version: int = strawberry.field(description="The record's version after this event.")
    type: str = strawberry.field(description="The event's stable name, e.g. IdeaSubmitted.")
    subject: strawberry.ID = strawberry.field(description="Who acted (an opaque person id).")
    organisation_id: strawberry.ID = strawberry.field(
        description="The organisation they acted for.")
    role: str = strawberry.field(description="The most senior role they acted with.")
    why: str | None = strawberry.field(description="The reason or rationale the event gives.")
    correlation_id: strawberry.ID = strawberry.field(
        description="The request that caused the event.")
    data: JSON = strawberry.field(description="The event's own fields (JSON).")

    @classmethod
    def of(cls, entry: Entry) -> HistoryEntry:
        return cls(position=str(entry.position), recorded_at=entry.recorded_at,
                   version=entry.version, type=entry.type,
                   subject=strawberry.ID(entry.subject),
                   organisation_id=strawberry.ID(str(entry.organisation_id)), role=entry.role,
                   why=entry.why, correlation_id=strawberry.ID(str(entry.correlation_id)),
                   data=cast(JSON, entry.data))
