"""Mutations on the directory: register an organisation (platform administrators), add a site or
change the governance thresholds (its administrators); open or close a challenge (innovation
leads)."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle import commands
from lifecycle.governance.authority import Thresholds as DomainThresholds
from schema.commands import CommandInput, command_input, mutations
from schema.directory.types import (
    ChallengeChange,
    OrganisationChange,
    OrganisationKind,
    ThresholdsInput,
)


@command_input(commands.RegisterOrganisation,
               OrganisationChange.fact("OrganisationRegistered",
                                       "The organisation was registered."),
               "Register an organisation (administrators).")
class RegisterOrganisationInput(CommandInput):
    name: str
    kind: OrganisationKind
    sites: list[str] = strawberry.field(default_factory=list)
    thresholds: ThresholdsInput | None = strawberry.field(
        default=None, description="Omit for the default limits.")

    def to_command(self) -> commands.RegisterOrganisation:
        limits = self.thresholds.to_domain() if self.thresholds else DomainThresholds()
        return commands.RegisterOrganisation(name=self.name, kind=self.kind,
                                             sites=tuple(self.sites), thresholds=limits)


@command_input(commands.AddSite,
               OrganisationChange.fact("SiteAdded", "A site was added to the organisation."),
               "Add a site to your organisation (administrators).")
class AddSiteInput(CommandInput):
    site: str


@command_input(commands.ChangeThresholds,
               OrganisationChange.fact("ThresholdsChanged",
                                       "The organisation's governance thresholds were changed."),
               "Change your organisation's governance thresholds (administrators); say why.")
class ChangeThresholdsInput(CommandInput):
    thresholds: ThresholdsInput
    reason: str


@mutations(RegisterOrganisationInput, AddSiteInput, ChangeThresholdsInput)
class OrganisationMutations:
    """The mutations declared with the inputs above, in the order listed."""


@command_input(commands.OpenChallenge,
               ChallengeChange.fact("ChallengeOpened", "The challenge was opened for ideas."),
               "Open a challenge in your organisation (innovation leads).")
class OpenChallengeInput(CommandInput):
    title: str
    problem: str
    opens_on: date
    closes_on: date


@command_input(commands.CloseChallenge,
               ChallengeChange.fact("ChallengeClosed", "The challenge was closed."),
               "Close a challenge before its closing date; say why.")
class CloseChallengeInput(CommandInput):
    reason: str


@mutations(OpenChallengeInput, CloseChallengeInput)
class ChallengeMutations:
    """The mutations declared with the inputs above, in the order listed."""
