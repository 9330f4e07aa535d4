"""Mutations on the directory: register an organisation (platform administrators), add a site or
change the governance thresholds (its administrators); open or close a challenge (innovation
leads)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from lifecycle import commands
from lifecycle.governance.authority import Thresholds as DomainThresholds
from schema.commands import CommandInput, command_input, mutation
from schema.directory.types import (
    ChallengeClosed,
    ChallengeOpened,
    OrganisationKind,
    OrganisationRegistered,
    Risk,
    SiteAdded,
    ThresholdsChanged,
)


@strawberry.input(description="The most each level may approve alone; limits rise from team to "
                              "executive.")
class ThresholdsInput:
    team_max_cost: Decimal
    team_max_risk: Risk
    directorate_max_cost: Decimal
    directorate_max_risk: Risk
    executive_max_cost: Decimal
    executive_max_risk: Risk

    def to_domain(self) -> DomainThresholds:
        return DomainThresholds(
            team_max_cost=self.team_max_cost, team_max_risk=self.team_max_risk,
            directorate_max_cost=self.directorate_max_cost,
            directorate_max_risk=self.directorate_max_risk,
            executive_max_cost=self.executive_max_cost,
            executive_max_risk=self.executive_max_risk)


@command_input(commands.RegisterOrganisation)
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


@command_input(commands.AddSite)
class AddSiteInput(CommandInput):
    site: str


@command_input(commands.ChangeThresholds)
class ChangeThresholdsInput(CommandInput):
    thresholds: ThresholdsInput
    reason: str


@strawberry.type
class OrganisationMutations:
    register_organisation = mutation(
        RegisterOrganisationInput, OrganisationRegistered,
        "Register an organisation (administrators).")
    add_site = mutation(AddSiteInput, SiteAdded,
                        "Add a site to your organisation (administrators).")
    change_thresholds = mutation(
        ChangeThresholdsInput, ThresholdsChanged,
        "Change your organisation's governance thresholds (administrators); say why.")


@command_input(commands.OpenChallenge)
class OpenChallengeInput(CommandInput):
    title: str
    problem: str
    opens_on: date
    closes_on: date


@command_input(commands.CloseChallenge)
class CloseChallengeInput(CommandInput):
    reason: str


@strawberry.type
class ChallengeMutations:
    open_challenge = mutation(OpenChallengeInput, ChallengeOpened,
                              "Open a challenge in your organisation (innovation leads).")
    close_challenge = mutation(CloseChallengeInput, ChallengeClosed,
                               "Close a challenge before its closing date; say why.")
