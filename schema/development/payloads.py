"""What the development mutations (prototypes, evaluations, funding) return: a past-tense
fact carrying the innovation as it now is (``InnovationChange``), or a typed refusal."""

from __future__ import annotations

import strawberry

from schema.innovations.payloads import InnovationChange


@strawberry.type(description="A prototype was started (the innovation is PROTOTYPING).")
class PrototypeStarted(InnovationChange):
    created = "prototype_id"
    prototype_id: strawberry.ID


@strawberry.type(description="A prototype was completed with its result and learning.")
class PrototypeCompleted(InnovationChange):
    created = "prototype_id"
    prototype_id: strawberry.ID


@strawberry.type(description="An evaluation was recorded (the innovation is EVALUATING).")
class EvaluationRecorded(InnovationChange):
    created = "evaluation_id"
    evaluation_id: strawberry.ID


@strawberry.type(description="Funding was recorded.")
class FundingRecorded(InnovationChange):
    created = "funding_id"
    funding_id: strawberry.ID
