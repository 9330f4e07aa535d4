"""What the adoption decision return: a past-tense fact carrying the innovation
as it now is (``InnovationChange``), or a typed refusal."""

from __future__ import annotations

import strawberry

from schema.innovations.payloads import InnovationChange


@strawberry.type(description="An adoption decision was taken at sufficient authority.")
class AdoptionDecided(InnovationChange):
    created = "decision_id"
    decision_id: strawberry.ID
