"""GraphQL types of what people record about an innovation, each built from its read model's row
(``projections/ideas``): one constructor a type."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import strawberry

from lifecycle.vocabulary import InvolvementKind as DomainInvolvementKind

InvolvementKind = DomainInvolvementKind


@strawberry.enum(description="A judgement made about an innovation.")
class JudgementKind(StrEnum):
    ACCEPTED = "ACCEPTED"
    INFORMATION_REQUESTED = "INFORMATION_REQUESTED"
    MERGED = "MERGED"
    DECLINED = "DECLINED"
    PARKED = "PARKED"
    REOPENED = "REOPENED"
    CLOSED = "CLOSED"
    EMBEDDED = "EMBEDDED"


@strawberry.type(description="A comment on the innovation.")
class Comment:
    comment_id: strawberry.ID
    text: str
    author: strawberry.ID = strawberry.field(description="The author's opaque person id.")
    at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Comment:
        return cls(comment_id=strawberry.ID(str(row["comment_id"])), text=row["text"],
                   author=strawberry.ID(row["author"]), at=row["at"])


@strawberry.type(description="Someone's endorsement of the idea.")
class Endorsement:
    endorser: strawberry.ID = strawberry.field(description="The endorser's opaque person id.")
    at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Endorsement:
        return cls(endorser=strawberry.ID(row["endorser"]), at=row["at"])


@strawberry.type(description="The idea's text as submitted, or as a revision left it.")
class Revision:
    title: str
    problem: str
    proposal: str
    tags: list[str]
    revised_by: strawberry.ID = strawberry.field(
        description="Who submitted or revised it: an opaque person id.")
    at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Revision:
        return cls(title=row["title"], problem=row["problem"], proposal=row["proposal"],
                   tags=list(row["tags"]), revised_by=strawberry.ID(row["revised_by"]),
                   at=row["at"])


@strawberry.type(description="Stakeholder, or patient and public, involvement in the innovation.")
class Involvement:
    kind: InvolvementKind
    group: str = strawberry.field(description="Who was involved.")
    description: str
    involved_on: date
    recorded_by: strawberry.ID = strawberry.field(description="An opaque person id.")
    recorded_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Involvement:
        return cls(kind=DomainInvolvementKind(row["kind"]), group=row["group_name"],
                   description=row["description"], involved_on=row["involved_on"],
                   recorded_by=strawberry.ID(row["recorded_by"]), recorded_at=row["at"])


@strawberry.type(description="An owner (and team) assigned to the innovation; the latest is the "
                             "current one.")
class OwnerAssignment:
    owner: strawberry.ID = strawberry.field(description="The owner's opaque person id.")
    team: list[strawberry.ID] = strawberry.field(description="Opaque person ids.")
    assigned_by: strawberry.ID = strawberry.field(description="An opaque person id.")
    at: datetime

    @classmethod
    def from_row(cls, row: Any) -> OwnerAssignment:
        return cls(owner=strawberry.ID(row["owner"]),
                   team=[strawberry.ID(t) for t in row["team"]],
                   assigned_by=strawberry.ID(row["assigned_by"]), at=row["at"])


@strawberry.type(description="A judgement made about the innovation, by whom and why: triage, "
                             "parking, reopening, closing (with what was learned), embedding.")
class Judgement:
    judgement: JudgementKind
    reason: str
    learning: str | None = strawberry.field(description="What was learned: a closing's.")
    into_id: strawberry.ID | None = strawberry.field(
        description="The innovation a merged idea was merged into.")
    judged_by: strawberry.ID = strawberry.field(description="An opaque person id.")
    at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Judgement:
        return cls(judgement=JudgementKind(row["judgement"]), reason=row["reason"],
                   learning=row["learning"],
                   into_id=strawberry.ID(str(row["into_id"])) if row["into_id"] else None,
                   judged_by=strawberry.ID(row["judged_by"]), at=row["at"])
