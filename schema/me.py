"""``me``: who the API takes the caller to be, from their token."""

from __future__ import annotations

import strawberry

from schema.context import Context


@strawberry.type(description="The caller, as their token presents them.")
class Me:
    subject: strawberry.ID = strawberry.field(description="The caller's opaque person id.")
    organisation_id: strawberry.ID
    roles: list[str]
    staff_group: str | None
    name: str | None


@strawberry.type
class MeQueries:
    @strawberry.field(description="The authenticated caller.")
    def me(self, info: strawberry.Info[Context, None]) -> Me:
        identity = info.context.identity
        actor = info.context.actor  # refuses anonymous callers
        return Me(subject=strawberry.ID(actor.subject),
                  organisation_id=strawberry.ID(str(actor.organisation)),
                  roles=sorted(r.value for r in actor.roles), staff_group=actor.staff_group,
                  name=identity.name if identity else None)
