"""Every read model the product keeps, in the order the projector applies them."""

from __future__ import annotations

from projections.development.projection import Funding, Prototypes
from projections.directory.projection import Directory
from projections.engine.projection import Projection
from projections.governance.projection import Decisions
from projections.ideas.projection import Ideas
from projections.improvement.projection import Improvement
from projections.innovations.projection import Innovations
from projections.spread.projection import Spread


def all_projections() -> list[Projection]:
    return [Innovations(), Directory(), Spread(), Funding(), Decisions(), Improvement(), Ideas(),
            Prototypes()]


def by_name(name: str) -> Projection:
    for projection in all_projections():
        if projection.name == name:
            return projection
    known = ", ".join(p.name for p in all_projections())
    raise KeyError(f"no projection called {name!r}; known: {known}")
