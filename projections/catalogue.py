"""Every read model the product keeps, in the order the projector applies them."""

from __future__ import annotations

from projections.decisions import Decisions
from projections.directory import Directory
from projections.funding import Funding
from projections.improvement.projection import Improvement
from projections.innovations import Innovations
from projections.projection import Projection
from projections.spread import Spread


def all_projections() -> list[Projection]:
    return [Innovations(), Directory(), Spread(), Funding(), Decisions(), Improvement()]


def by_name(name: str) -> Projection:
    for projection in all_projections():
        if projection.name == name:
            return projection
    known = ", ".join(p.name for p in all_projections())
    raise KeyError(f"no projection called {name!r}; known: {known}")
