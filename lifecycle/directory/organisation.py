"""An organisation: a trust or health board, a university, industry, a charity, government."""

from __future__ import annotations

from uuid import UUID

from lifecycle.actor import CommandContext
from lifecycle.aggregate import LifecycleAggregate, NoFingerprint, stable_name, topic
from lifecycle.errors import InvalidState
from lifecycle.governance.authority import Thresholds


@stable_name("Organisation")
class Organisation(LifecycleAggregate):
    class OrganisationRegistered(NoFingerprint, LifecycleAggregate.Created):
        TOPIC = topic("OrganisationRegistered")
        name: str
        kind: str
        sites: list[str]
        thresholds: dict[str, str]

        def apply(self, agg: Organisation) -> None:
            agg.name = self.name
            agg.kind = self.kind
            agg.sites = list(self.sites)
            agg.thresholds = Thresholds.from_record(self.thresholds)

    class SiteAdded(LifecycleAggregate.Event):
        TOPIC = topic("SiteAdded")
        site: str

        def apply(self, agg: Organisation) -> None:
            agg.sites.append(self.site)

    class ThresholdsChanged(LifecycleAggregate.Event):
        TOPIC = topic("ThresholdsChanged")
        thresholds: dict[str, str]
        reason: str

        def apply(self, agg: Organisation) -> None:
            agg.thresholds = Thresholds.from_record(self.thresholds)

    name: str
    kind: str
    sites: list[str]
    thresholds: Thresholds

    def __init__(self) -> None:
        self.sites = []
        self.thresholds = Thresholds()

    @classmethod
    def register(cls, ctx: CommandContext, ident: UUID, *, name: str, kind: str,
                 sites: tuple[str, ...], thresholds: Thresholds) -> Organisation:
        return cls._begin(cls.OrganisationRegistered, ctx, ident, name=name, kind=kind,
                          sites=_distinct(sites), thresholds=thresholds.to_record())

    def add_site(self, ctx: CommandContext, *, site: str) -> None:
        if site.casefold() in (s.casefold() for s in self.sites):
            raise InvalidState(f"{self.name} already has a site called {site!r}")
        self._record(self.SiteAdded, ctx, site=site)

    def change_thresholds(self, ctx: CommandContext, *, thresholds: Thresholds,
                          reason: str) -> None:
        self._record(self.ThresholdsChanged, ctx, thresholds=thresholds.to_record(),
                     reason=reason)

    def has_site(self, site: str | None) -> bool:
        return site is None or site in self.sites


def _distinct(sites: tuple[str, ...]) -> list[str]:
    """Sites are told apart ignoring case (as ``add_site`` does): keep the first spelling."""
    seen: dict[str, str] = {}
    for site in sites:
        seen.setdefault(site.casefold(), site)
    return list(seen.values())
