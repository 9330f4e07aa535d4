"""Mutations that spread an innovation: sharing with other organisations, adoptions at sites,
embedding."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle import commands
from lifecycle.vocabulary import SharingScope as DomainSharingScope
from schema.commands import CommandInput, ReasonedInput, command_input, mutation
from schema.spread.payloads import (
    AdoptionAbandoned,
    AdoptionStarted,
    AdoptionSustained,
    InnovationEmbedded,
    InnovationShared,
    SharingRevoked,
)

SharingScope = DomainSharingScope


@command_input(commands.ShareInnovation)
class ShareInnovationInput(CommandInput):
    organisation_id: strawberry.ID
    scope: SharingScope = SharingScope.SUMMARY


@command_input(commands.RevokeSharing)
class RevokeSharingInput(ReasonedInput):
    organisation_id: strawberry.ID


@command_input(commands.StartAdoption)
class StartAdoptionInput(CommandInput):
    organisation_id: strawberry.ID = strawberry.field(
        description="The adopting organisation: yours, or (for its innovation leads) any.")
    adaptation: str
    started_on: date
    site: str | None = None


@command_input(commands.SustainAdoption)
class SustainAdoptionInput(ReasonedInput):
    adoption_id: strawberry.ID
    sustained_on: date


@command_input(commands.AbandonAdoption)
class AbandonAdoptionInput(ReasonedInput):
    adoption_id: strawberry.ID
    abandoned_on: date


@command_input(commands.EmbedInnovation)
class EmbedInnovationInput(ReasonedInput):
    pass


@strawberry.type
class SpreadMutations:
    share_innovation = mutation(ShareInnovationInput, InnovationShared,
                                "Share the innovation with another organisation.")
    revoke_sharing = mutation(RevokeSharingInput, SharingRevoked,
                              "Stop sharing with an organisation that has no live adoption.")
    start_adoption = mutation(StartAdoptionInput, AdoptionStarted,
                              "Start an adoption at an organisation (and site).")
    sustain_adoption = mutation(SustainAdoptionInput,
                                AdoptionSustained, "Judge an adoption sustained.")
    abandon_adoption = mutation(AbandonAdoptionInput,
                                AdoptionAbandoned, "Abandon an adoption.")
    embed_innovation = mutation(EmbedInnovationInput,
                                InnovationEmbedded, "Declare the innovation embedded practice.")
