"""Spread: where an innovation was taken up, how it diffused, and whether it improved things at
each adopting site (that site's own measures)."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle.errors import DomainError
from lifecycle.vocabulary import AdoptionStatus
from projections.improvement.signals import Classification
from projections.spread import queries as spread_queries
from schema.context import Context
from schema.ids import uuid_or_none
from schema.improvement.statistics import Assurance, ChangeEffect, assurance_of, effects_of
from schema.reads import ConsistentWith, Refused
from schema.spread.types import AdoptionStatusChange


@strawberry.type(description="One local adoption, with its own adaptation.")
class Adoption:
    adoption_id: strawberry.ID
    organisation_id: strawberry.ID
    organisation_name: str | None
    site: str | None
    status: AdoptionStatus
    adaptation: str | None = strawberry.field(description=(
        "How the adopter adapted it: the adopter's own, seen by it and by the innovation's "
        "owner (and by a FULL share where the owner adopted it); null for anyone else."))
    started_on: date
    sustained_on: date | None
    abandoned_on: date | None
    history: list[AdoptionStatusChange] = strawberry.field(description=(
        "Each change of its status, oldest first: started, sustained, abandoned, with why."))


@strawberry.type(description="The state of the spread as of one day.")
class DiffusionPoint:
    day: date
    adoptions: int
    sites: int
    organisations: int
    sustained: int
    abandoned: int


@strawberry.type(description=(
    "An adopting site's own measure: did the innovation improve things there? Its current "
    "variation, the effect of every change, and the assurance of its target."))
class SiteVerdict:
    adoption_id: strawberry.ID
    organisation_id: strawberry.ID
    site: str | None
    measure_id: strawberry.ID
    measure: str
    verdict: Classification = strawberry.field(description=(
        "The current variation: the class of the latest point against its own phase's "
        "limits."))
    effects: list[ChangeEffect] = strawberry.field(description=(
        "The effect of every change at this site: its points after the change against the "
        "limits in force before it."))
    assurance: Assurance


@strawberry.type
class Spread:
    adoptions: list[Adoption]
    diffusion: list[DiffusionPoint]
    site_verdicts: list[SiteVerdict]


@strawberry.type
class SpreadQueries:
    @strawberry.field(description="An innovation's spread, as far as the caller may see it: who "
                      "adopted it, where, since when and with what status where it is yours or "
                      "shared with you in full (an adaptation and a site's verdicts only where "
                      "the adoption is yours or the innovation is); the diffusion counts alone "
                      "where it is shared as a summary; null where it does not exist for you.")
    async def spread(self, info: strawberry.Info[Context, None], innovation_id: strawberry.ID,
                     consistent_with: ConsistentWith = None) -> Spread | None:
        ctx = info.context
        viewer = ctx.actor.viewers
        try:
            ident = uuid_or_none("innovationId", innovation_id)
        except DomainError as error:
            raise Refused(error) from None
        assert ident is not None
        # Adoptions, the innovation they are of (visibility), adopters' names, sites' measures.
        await ctx.read_at(consistent_with, "spread", "innovations", "directory", "improvement")
        async with ctx.reads.pool.acquire() as conn:
            seen = await spread_queries.spread(conn, viewer, ident)
        if seen is None:
            return None
        return Spread(
            adoptions=[Adoption(adoption_id=strawberry.ID(str(a.adoption_id)),
                                organisation_id=strawberry.ID(str(a.organisation_id)),
                                organisation_name=a.organisation_name, site=a.site,
                                status=AdoptionStatus(a.status), adaptation=a.adaptation,
                                started_on=a.started_on, sustained_on=a.sustained_on,
                                abandoned_on=a.abandoned_on,
                                history=[AdoptionStatusChange.of(h)
                                         for h in seen.history.get(a.adoption_id, [])])
                       for a in seen.adoptions],
            diffusion=[DiffusionPoint(day=d.on, adoptions=d.adoptions, sites=d.sites,
                                      organisations=d.organisations, sustained=d.sustained,
                                      abandoned=d.abandoned) for d in seen.diffusion],
            site_verdicts=[SiteVerdict(adoption_id=strawberry.ID(str(v.adoption_id)),
                                       organisation_id=strawberry.ID(str(v.organisation_id)),
                                       site=v.site, measure_id=strawberry.ID(str(v.measure_id)),
                                       measure=v.measure, verdict=Classification(v.verdict),
                                       effects=effects_of(str(v.measure_id), v.unit,
                                                          v.effects),
                                       assurance=assurance_of(v.assurance, v.target))
                           for v in seen.site_verdicts])
