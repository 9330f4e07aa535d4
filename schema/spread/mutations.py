"""Mutations that spread an innovation: sharing with other organisations, adoptions at sites,
embedding."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle import commands
from lifecycle.vocabulary import SharingScope
from schema.commands import CommandInput, ReasonedInput, command_input, mutations
from schema.innovations.payloads import InnovationChange


@command_input(commands.ShareInnovation,
               InnovationChange.fact("InnovationShared",
                                     "The innovation was shared with another organisation."),
               "Share the innovation with another organisation.")
class ShareInnovationInput(CommandInput):
    organisation_id: strawberry.ID
    scope: SharingScope = SharingScope.SUMMARY


@command_input(commands.RevokeSharing,
               InnovationChange.fact("SharingRevoked", "Sharing with an organisation was revoked."),
               "Stop sharing with an organisation that has no live adoption.")
class RevokeSharingInput(ReasonedInput):
    organisation_id: strawberry.ID


@command_input(commands.StartAdoption,
               InnovationChange.fact("AdoptionStarted",
                                     "An organisation started adopting the innovation at a site.",
                                     created="adoption_id"),
               "Start an adoption at an organisation (and site).")
class StartAdoptionInput(CommandInput):
    organisation_id: strawberry.ID = strawberry.field(
        description="The adopting organisation: yours, or (for its innovation leads) any.")
    adaptation: str
    started_on: date
    site: str | None = None


@command_input(commands.SustainAdoption,
               InnovationChange.fact("AdoptionSustained", "An adoption was judged sustained.",
                                     created="adoption_id"),
               "Judge an adoption sustained.")
class SustainAdoptionInput(ReasonedInput):
    adoption_id: strawberry.ID
    sustained_on: date


@command_input(commands.AbandonAdoption,
               InnovationChange.fact("AdoptionAbandoned", "An adoption was abandoned.",
                                     created="adoption_id"),
               "Abandon an adoption.")
class AbandonAdoptionInput(ReasonedInput):
    adoption_id: strawberry.ID
    abandoned_on: date


@command_input(commands.EmbedInnovation,
               InnovationChange.fact("InnovationEmbedded",
                                     "The innovation became embedded practice."),
               "Declare the innovation embedded practice.")
class EmbedInnovationInput(ReasonedInput):
    pass


@mutations(
    ShareInnovationInput, RevokeSharingInput, StartAdoptionInput, SustainAdoptionInput,
    AbandonAdoptionInput, EmbedInnovationInput)
class SpreadMutations:
    """The mutations declared with the inputs above, in the order listed."""
