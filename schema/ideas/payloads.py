"""What the ideas' mutations return: a past-tense fact carrying the innovation
as it now is (``InnovationChange``), or a typed refusal."""

from __future__ import annotations

import strawberry

from schema.innovations.payloads import InnovationChange


@strawberry.type(description="The idea's text was revised.")
class IdeaRevised(InnovationChange):
    pass


@strawberry.type(description="The caller endorsed the idea.")
class IdeaEndorsed(InnovationChange):
    pass


@strawberry.type(description="A comment was added to the idea.")
class CommentAdded(InnovationChange):
    created = "comment_id"
    comment_id: strawberry.ID


@strawberry.type(description="The idea was accepted for development (now a CONCEPT).")
class IdeaAccepted(InnovationChange):
    pass


@strawberry.type(description="The submitter was asked for more information.")
class InformationRequested(InnovationChange):
    pass


@strawberry.type(description="The idea was merged into another and closed.")
class IdeaMerged(InnovationChange):
    pass


@strawberry.type(description="The idea was declined and closed.")
class IdeaDeclined(InnovationChange):
    pass


@strawberry.type(description="An owner (and team) was assigned.")
class OwnerAssigned(InnovationChange):
    pass


@strawberry.type(description="Stakeholder or patient and public involvement was recorded.")
class InvolvementRecorded(InnovationChange):
    pass
