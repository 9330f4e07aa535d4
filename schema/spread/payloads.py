"""What the spread mutations (sharing, adoptions, embedding) return: a past-tense fact
carrying the innovation as it now is (``InnovationChange``), or a typed refusal."""

from __future__ import annotations

import strawberry

from schema.innovations.payloads import InnovationChange


@strawberry.type(description="The innovation was shared with another organisation.")
class InnovationShared(InnovationChange):
    pass


@strawberry.type(description="Sharing with an organisation was revoked.")
class SharingRevoked(InnovationChange):
    pass


@strawberry.type(description="An organisation started adopting the innovation at a site.")
class AdoptionStarted(InnovationChange):
    created = "adoption_id"
    adoption_id: strawberry.ID


@strawberry.type(description="An adoption was judged sustained.")
class AdoptionSustained(InnovationChange):
    created = "adoption_id"
    adoption_id: strawberry.ID


@strawberry.type(description="An adoption was abandoned.")
class AdoptionAbandoned(InnovationChange):
    created = "adoption_id"
    adoption_id: strawberry.ID


@strawberry.type(description="The innovation became embedded practice.")
class InnovationEmbedded(InnovationChange):
    pass
