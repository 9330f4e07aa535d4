"""GraphQL types of spread read back from its history: each share and revocation of an
innovation, and each change of an adoption's status."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import strawberry

from lifecycle.vocabulary import AdoptionStatus, SharingScope
from projections.spread.queries import AdoptionChange


@strawberry.enum(description="What a change of sharing did.")
class ShareChangeKind(StrEnum):
    SHARED = "SHARED"
    REVOKED = "REVOKED"


@strawberry.type(description=(
    "The innovation was shared with an organisation (or its scope changed), or the sharing was "
    "revoked: with whom, at which scope, who did it, when and why. Its owner sees every one; a "
    "partner that sees the detail sees only those about itself."))
class ShareChange:
    organisation_id: strawberry.ID = strawberry.field(description="The partner organisation.")
    change: ShareChangeKind
    scope: SharingScope | None = strawberry.field(description="As shared; null: revoked.")
    reason: str | None = strawberry.field(description="A revocation's reason.")
    decided_by: strawberry.ID = strawberry.field(description="An opaque person id.")
    at: datetime

    @classmethod
    def from_row(cls, row: Any) -> ShareChange:
        return cls(organisation_id=strawberry.ID(str(row["organisation_id"])),
                   change=ShareChangeKind(row["change"]),
                   scope=SharingScope(row["scope"]) if row["scope"] else None,
                   reason=row["reason"], decided_by=strawberry.ID(row["decided_by"]),
                   at=row["at"])


@strawberry.type(description=(
    "An adoption started, was judged sustained, or was abandoned: on which day, when it was "
    "recorded, and (seen by the adopter and the innovation's owner, as its adaptation) who "
    "judged it and why."))
class AdoptionStatusChange:
    status: AdoptionStatus
    on: date
    reason: str | None = strawberry.field(description=(
        "Why it was sustained or abandoned (null for a start, or where the caller does not "
        "see the adopter's own record)."))
    decided_by: strawberry.ID | None = strawberry.field(description=(
        "An opaque person id; null where the caller does not see the adopter's own record."))
    at: datetime

    @classmethod
    def of(cls, change: AdoptionChange) -> AdoptionStatusChange:
        return cls(status=AdoptionStatus(change.status), on=change.on, reason=change.reason,
                   decided_by=strawberry.ID(change.decided_by) if change.decided_by else None,
                   at=change.at)
