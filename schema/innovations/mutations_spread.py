"""Mutations that decide on an innovation and spread it: the adoption decision, sharing with
other organisations, adoptions at sites, embedding, and parking, reopening or closing it."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle import commands
from lifecycle.actor import Authority as DomainAuthority
from lifecycle.governance.authority import DecisionOutcome as DomainDecisionOutcome
from lifecycle.vocabulary import SharingScope as DomainSharingScope
from schema.commands import carry_out, key_field, version_field
from schema.context import Context
from schema.ids import required_id
from schema.innovations.payloads import (
    AbandonAdoptionPayload,
    AdoptionAbandoned,
    AdoptionDecided,
    AdoptionStarted,
    AdoptionSustained,
    CloseInnovationPayload,
    DecideAdoptionPayload,
    EmbedInnovationPayload,
    InnovationClosed,
    InnovationEmbedded,
    InnovationParked,
    InnovationReopened,
    InnovationShared,
    ParkInnovationPayload,
    ReopenInnovationPayload,
    RevokeSharingPayload,
    ShareInnovationPayload,
    SharingRevoked,
    StartAdoptionPayload,
    SustainAdoptionPayload,
    target,
)

DecisionOutcome = DomainDecisionOutcome
Authority = DomainAuthority
SharingScope = DomainSharingScope
Info = strawberry.Info[Context, None]


@strawberry.input
class DecideAdoptionInput:
    innovation_id: strawberry.ID
    outcome: DecisionOutcome
    authority: Authority = strawberry.field(
        description="The level deciding: at least the one the latest evaluation requires, and "
                    "no higher than your own.")
    rationale: str
    conditions: str | None = strawberry.field(default=None,
                                              description="Required for an ADAPT decision.")
    evidence: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Evaluation ids; omit for all of them.")
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input
class ShareInnovationInput:
    innovation_id: strawberry.ID
    organisation_id: strawberry.ID
    scope: SharingScope = SharingScope.SUMMARY
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input(description="A decision about an innovation, which must say why.")
class ReasonedInput:
    innovation_id: strawberry.ID
    reason: str
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input
class RevokeSharingInput(ReasonedInput):
    organisation_id: strawberry.ID


@strawberry.input
class StartAdoptionInput:
    innovation_id: strawberry.ID
    organisation_id: strawberry.ID = strawberry.field(
        description="The adopting organisation: yours, or (for its innovation leads) any.")
    adaptation: str
    started_on: date
    site: str | None = None
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input
class SustainAdoptionInput(ReasonedInput):
    adoption_id: strawberry.ID
    sustained_on: date


@strawberry.input
class AbandonAdoptionInput(ReasonedInput):
    adoption_id: strawberry.ID
    abandoned_on: date


@strawberry.input
class EmbedInnovationInput(ReasonedInput):
    pass


@strawberry.input
class ParkInnovationInput(ReasonedInput):
    pass


@strawberry.input
class ReopenInnovationInput(ReasonedInput):
    pass


@strawberry.input
class CloseInnovationInput(ReasonedInput):
    learning: str = strawberry.field(description="What was learned, kept for others.")


@strawberry.type
class SpreadMutations:
    @strawberry.mutation(description="Decide on adoption at a governance level (governance roles "
                                     "of the owning organisation).")
    async def decide_adoption(self, info: Info,
                              input: DecideAdoptionInput) -> DecideAdoptionPayload:
        return await carry_out(info.context, input, lambda: commands.DecideAdoption(
            target(input), outcome=input.outcome, authority=input.authority,
            rationale=input.rationale, conditions=input.conditions,
            evidence=tuple(required_id("evidence", e) for e in input.evidence)),
            AdoptionDecided.of)

    @strawberry.mutation(description="Share the innovation with another organisation.")
    async def share_innovation(self, info: Info,
                               input: ShareInnovationInput) -> ShareInnovationPayload:
        return await carry_out(info.context, input, lambda: commands.ShareInnovation(
            target(input), organisation_id=required_id("organisationId", input.organisation_id),
            scope=input.scope), InnovationShared.of)

    @strawberry.mutation(description="Stop sharing with an organisation that has no live "
                                     "adoption.")
    async def revoke_sharing(self, info: Info, input: RevokeSharingInput) -> RevokeSharingPayload:
        return await carry_out(info.context, input, lambda: commands.RevokeSharing(
            target(input), reason=input.reason,
            organisation_id=required_id("organisationId", input.organisation_id)),
            SharingRevoked.of)

    @strawberry.mutation(description="Start an adoption at an organisation (and site).")
    async def start_adoption(self, info: Info, input: StartAdoptionInput) -> StartAdoptionPayload:
        return await carry_out(info.context, input, lambda: commands.StartAdoption(
            target(input), organisation_id=required_id("organisationId", input.organisation_id),
            adaptation=input.adaptation, started_on=input.started_on, site=input.site),
            AdoptionStarted.of)

    @strawberry.mutation(description="Judge an adoption sustained.")
    async def sustain_adoption(self, info: Info,
                               input: SustainAdoptionInput) -> SustainAdoptionPayload:
        return await carry_out(info.context, input, lambda: commands.SustainAdoption(
            target(input), reason=input.reason,
            adoption_id=required_id("adoptionId", input.adoption_id),
            sustained_on=input.sustained_on), AdoptionSustained.of)

    @strawberry.mutation(description="Abandon an adoption.")
    async def abandon_adoption(self, info: Info,
                               input: AbandonAdoptionInput) -> AbandonAdoptionPayload:
        return await carry_out(info.context, input, lambda: commands.AbandonAdoption(
            target(input), reason=input.reason,
            adoption_id=required_id("adoptionId", input.adoption_id),
            abandoned_on=input.abandoned_on), AdoptionAbandoned.of)

    @strawberry.mutation(description="Declare the innovation embedded practice.")
    async def embed_innovation(self, info: Info,
                               input: EmbedInnovationInput) -> EmbedInnovationPayload:
        return await carry_out(info.context, input, lambda: commands.EmbedInnovation(
            target(input), reason=input.reason), InnovationEmbedded.of)

    @strawberry.mutation(description="Park the innovation; reopening returns it to its stage.")
    async def park_innovation(self, info: Info,
                              input: ParkInnovationInput) -> ParkInnovationPayload:
        return await carry_out(info.context, input, lambda: commands.ParkInnovation(
            target(input), reason=input.reason), InnovationParked.of)

    @strawberry.mutation(description="Reopen a parked innovation.")
    async def reopen_innovation(self, info: Info,
                                input: ReopenInnovationInput) -> ReopenInnovationPayload:
        return await carry_out(info.context, input, lambda: commands.ReopenInnovation(
            target(input), reason=input.reason), InnovationReopened.of)

    @strawberry.mutation(description="Close the innovation, recording what was learned.")
    async def close_innovation(self, info: Info,
                               input: CloseInnovationInput) -> CloseInnovationPayload:
        return await carry_out(info.context, input, lambda: commands.CloseInnovation(
            target(input), reason=input.reason, learning=input.learning), InnovationClosed.of)
