"""Mutations on the directory: register an organisation (platform administrators), add a site or
change the governance thresholds (its administrators); open or close a challenge (innovation
leads)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from lifecycle import commands
from lifecycle.governance.authority import Thresholds as DomainThresholds
from schema.commands import carry_out, key_field, version_field
from schema.context import Context
from schema.directory.types import (
    AddSitePayload,
    ChallengeClosed,
    ChallengeOpened,
    ChangeThresholdsPayload,
    CloseChallengePayload,
    OpenChallengePayload,
    OrganisationKind,
    OrganisationRegistered,
    RegisterOrganisationPayload,
    Risk,
    SiteAdded,
    ThresholdsChanged,
)
from schema.ids import required_id

Info = strawberry.Info[Context, None]


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


@strawberry.input
class RegisterOrganisationInput:
    name: str
    kind: OrganisationKind
    sites: list[str] = strawberry.field(default_factory=list)
    thresholds: ThresholdsInput | None = strawberry.field(
        default=None, description="Omit for the default limits.")
    idempotency_key: str | None = key_field()

    def to_command(self) -> commands.RegisterOrganisation:
        limits = self.thresholds.to_domain() if self.thresholds else DomainThresholds()
        return commands.RegisterOrganisation(name=self.name, kind=self.kind,
                                             sites=tuple(self.sites), thresholds=limits)


@strawberry.input
class AddSiteInput:
    organisation_id: strawberry.ID
    site: str
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input
class ChangeThresholdsInput:
    organisation_id: strawberry.ID
    thresholds: ThresholdsInput
    reason: str
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.type
class OrganisationMutations:
    @strawberry.mutation(description="Register an organisation (administrators).")
    async def register_organisation(self, info: Info, input: RegisterOrganisationInput
                                    ) -> RegisterOrganisationPayload:
        return await carry_out(info.context, input, input.to_command, OrganisationRegistered.of)

    @strawberry.mutation(description="Add a site to your organisation (administrators).")
    async def add_site(self, info: Info, input: AddSiteInput) -> AddSitePayload:
        return await carry_out(info.context, input, lambda: commands.AddSite(
            required_id("organisationId", input.organisation_id), site=input.site), SiteAdded.of)

    @strawberry.mutation(description="Change your organisation's governance thresholds "
                                     "(administrators); say why.")
    async def change_thresholds(self, info: Info, input: ChangeThresholdsInput
                                ) -> ChangeThresholdsPayload:
        return await carry_out(info.context, input, lambda: commands.ChangeThresholds(
            required_id("organisationId", input.organisation_id),
            thresholds=input.thresholds.to_domain(), reason=input.reason), ThresholdsChanged.of)


@strawberry.input
class OpenChallengeInput:
    title: str
    problem: str
    opens_on: date
    closes_on: date
    idempotency_key: str | None = key_field()


@strawberry.input
class CloseChallengeInput:
    challenge_id: strawberry.ID
    reason: str
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.type
class ChallengeMutations:
    @strawberry.mutation(description="Open a challenge in your organisation (innovation leads).")
    async def open_challenge(self, info: Info, input: OpenChallengeInput) -> OpenChallengePayload:
        return await carry_out(info.context, input, lambda: commands.OpenChallenge(
            title=input.title, problem=input.problem, opens_on=input.opens_on,
            closes_on=input.closes_on), ChallengeOpened.of)

    @strawberry.mutation(description="Close a challenge before its closing date; say why.")
    async def close_challenge(self, info: Info,
                              input: CloseChallengeInput) -> CloseChallengePayload:
        return await carry_out(info.context, input, lambda: commands.CloseChallenge(
            required_id("challengeId", input.challenge_id), reason=input.reason),
            ChallengeClosed.of)
