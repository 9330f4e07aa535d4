"""Mutations that spread an innovation: sharing with other organisations, adoptions at sites,
embedding."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle import commands
from lifecycle.vocabulary import SharingScope as DomainSharingScope
from schema.commands import ReasonedInput, carry_out, key_field, version_field
from schema.context import Context
from schema.ids import required_id
from schema.innovations.payloads import target
from schema.spread.payloads import (
    AbandonAdoptionPayload,
    AdoptionAbandoned,
    AdoptionStarted,
    AdoptionSustained,
    EmbedInnovationPayload,
    InnovationEmbedded,
    InnovationShared,
    RevokeSharingPayload,
    ShareInnovationPayload,
    SharingRevoked,
    StartAdoptionPayload,
    SustainAdoptionPayload,
)

SharingScope = DomainSharingScope
Info = strawberry.Info[Context, None]


@strawberry.input
class ShareInnovationInput:
    innovation_id: strawberry.ID
    organisation_id: strawberry.ID
    scope: SharingScope = SharingScope.SUMMARY
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


@strawberry.type
class SpreadMutations:
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
