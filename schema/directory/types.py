"""GraphQL types of the directory (organisations, challenges), built from the aggregates, and what
their mutations return."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self
from uuid import UUID

import orjson
import strawberry

from lifecycle.application import Outcome
from lifecycle.errors import NotFound
from lifecycle.governance.authority import Risk as DomainRisk
from lifecycle.governance.authority import Thresholds as DomainThresholds
from lifecycle.vocabulary import OrganisationKind as DomainOrganisationKind
from projections.directory import queries as directory_queries
from schema.commands import Change, now_description, read_position
from schema.context import Context
from schema.node import Node

OrganisationKind = DomainOrganisationKind
Risk = DomainRisk


@dataclass
class Limits:
    """The fields of the governance thresholds, the same as the domain's
    (``lifecycle.governance.authority.Thresholds``), read as ``Thresholds`` and written as
    ``ThresholdsInput``."""

    team_max_cost: Decimal
    team_max_risk: Risk
    directorate_max_cost: Decimal
    directorate_max_risk: Risk
    executive_max_cost: Decimal
    executive_max_risk: Risk

    @classmethod
    def from_domain(cls, limits: DomainThresholds) -> Self:
        return cls(**{f.name: getattr(limits, f.name) for f in fields(Limits)})

    def to_domain(self) -> DomainThresholds:
        return DomainThresholds(**{f.name: getattr(self, f.name) for f in fields(Limits)})


@strawberry.type(description="The most each governance level may approve alone; anything above "
                             "the executive's limits goes to the board.")
class Thresholds(Limits):
    pass


@strawberry.input(description="The most each level may approve alone; limits rise from team to "
                              "executive.")
class ThresholdsInput(Limits):
    pass


@strawberry.type(description="A trust, health board, university, company, charity or government "
                             "body.")
class Organisation(Node):
    id: strawberry.ID
    version: int
    name: str
    kind: OrganisationKind
    sites: list[str]
    thresholds: Thresholds

    @strawberry.field(description=(
        "Each change of its governance thresholds after its registration, oldest first: to "
        "what, who changed them and why. The organisation's own; null for any other."))
    async def threshold_changes(self, info: strawberry.Info[Context, None]
                                ) -> list[ThresholdsChange] | None:
        ident = UUID(str(self.id))
        if info.context.actor.organisation != ident:
            return None
        rows = await info.context.loaders.threshold_changes.load(ident)
        return [ThresholdsChange(
            thresholds=Thresholds.from_domain(DomainThresholds.from_record(
                orjson.loads(r["thresholds"]))),
            reason=r["reason"], decided_by=strawberry.ID(r["decided_by"]),
            decided_at=r["decided_at"]) for r in rows or []]


@strawberry.type(description="An organisation's governance thresholds were changed: to what, "
                             "who changed them and why.")
class ThresholdsChange:
    thresholds: Thresholds
    reason: str
    decided_by: strawberry.ID = strawberry.field(description="An opaque person id.")
    decided_at: datetime


def organisation_from_row(row: Any) -> Organisation:
    """From the directory read model: the one way an ``Organisation`` is built (queries and
    payloads alike)."""
    return Organisation(
        id=strawberry.ID(str(row["id"])), version=row["version"], name=row["name"],
        kind=DomainOrganisationKind(row["kind"]), sites=list(row["sites"]),
        thresholds=Thresholds.from_domain(DomainThresholds.from_record(
            orjson.loads(row["thresholds"]))))


@strawberry.interface(description="A command changed an organisation.")
class OrganisationChange(Change):
    organisation: Organisation = strawberry.field(description=now_description("organisation"))

    @classmethod
    async def of(cls, ctx: Context, outcome: Outcome) -> Self:
        """The payload, the organisation read from the directory once it holds the command's
        events (as a following query reads it)."""
        await ctx.reads.consistent_with("directory", await read_position(ctx, outcome))
        async with ctx.reads.pool.acquire() as conn:
            row = await directory_queries.organisation(conn, outcome.aggregate_id)
        if row is None:
            raise NotFound("organisation", outcome.aggregate_id)
        return cls(organisation=organisation_from_row(row), **Change.receipt(ctx, outcome))


@strawberry.type(description="An organisation's call for ideas on a problem, open for a while.")
class Challenge(Node):
    id: strawberry.ID
    version: int
    organisation_id: strawberry.ID
    title: str
    problem: str
    opens_on: date
    closes_on: date
    closed: bool = strawberry.field(description="Closed early, before its closing date.")
    closed_reason: str | None = strawberry.field(description="Why it was closed early.")


def challenge_from_row(row: Any) -> Challenge:
    """From the directory read model: the one way a ``Challenge`` is built (queries and
    payloads alike)."""
    return Challenge(id=strawberry.ID(str(row["id"])), version=row["version"],
                     organisation_id=strawberry.ID(str(row["organisation_id"])),
                     title=row["title"], problem=row["problem"], opens_on=row["opens_on"],
                     closes_on=row["closes_on"], closed=row["closed"],
                     closed_reason=row["closed_reason"])


@strawberry.interface(description="A command changed a challenge.")
class ChallengeChange(Change):
    challenge: Challenge = strawberry.field(description=now_description("challenge"))

    @classmethod
    async def of(cls, ctx: Context, outcome: Outcome) -> Self:
        """The payload, the challenge read from the directory once it holds the command's
        events, as the caller's organisation sees it (its own challenges)."""
        await ctx.reads.consistent_with("directory", await read_position(ctx, outcome))
        async with ctx.reads.pool.acquire() as conn:
            row = await directory_queries.challenge(conn, ctx.actor.organisation,
                                                    outcome.aggregate_id)
        if row is None:
            raise NotFound("challenge", outcome.aggregate_id)
        return cls(challenge=challenge_from_row(row), **Change.receipt(ctx, outcome))
