"""What the demo data is made of: the plan of each organisation, challenge and story, the
summary a run returns, and the small word helpers the stories share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from lifecycle.actor import (
    Actor,
    Authority,
)
from lifecycle.governance.authority import Thresholds
from lifecycle.innovations.stage import Stage
from lifecycle.seed import areas as a
from lifecycle.vocabulary import (
    SharingScope,
)

NAMESPACE = uuid5(NAMESPACE_URL, "urn:lifecycle:seed")
WEEKS = 52
BATCH = 13  # a quarter's weekly points per batch, as a team catching up on its data would
# How often each stage ends a story, out of 100; closed includes declined, merged and rejected.
STAGE_WEIGHTS = {Stage.SUBMITTED: 11, Stage.CONCEPT: 9, Stage.PROTOTYPING: 11,
                 Stage.EVALUATING: 8, Stage.ADOPTED: 8, Stage.SPREADING: 13, Stage.EMBEDDED: 10,
                 Stage.PARKED: 11, Stage.CLOSED: 19}
ADOPTED_FAMILY = frozenset({Stage.ADOPTED, Stage.SPREADING, Stage.EMBEDDED})
AUTHORITIES = list(Authority)


class SeedConflict(RuntimeError):
    """The database already holds this seed's data made for a different ``today``."""


@dataclass(frozen=True)
class SeedSummary:
    seed: int
    organisations: int
    challenges: int
    innovations: int
    commands: int
    events: int  # events in the seeded aggregates, so a replayed run reports the same number
    measures: int
    observations: int
    by_stage: dict[str, int]


@dataclass(frozen=True)
class ChallengePlan:
    id: UUID
    areas: tuple[str, ...]
    opens_on: date
    closes_on: date


@dataclass
class OrgPlan:
    id: UUID
    name: str
    sites: tuple[str, ...]
    thresholds: Thresholds
    partner: Actor
    staff: list[Actor] = field(default_factory=list)
    leads: list[Actor] = field(default_factory=list)
    governors: dict[Authority, Actor] = field(default_factory=dict)
    challenges: list[ChallengePlan] = field(default_factory=list)
    ideas: list[tuple[UUID, str, str]] = field(default_factory=list)  # id, area, title


@dataclass
class Story:
    id: UUID
    org: OrgPlan
    area: a.Area
    title: str
    problem: str
    proposal: str
    tags: tuple[str, ...]
    change: str
    site: str
    ward: str
    lead: Actor
    correlation: UUID
    shared: dict[UUID, SharingScope] = field(default_factory=dict)

    @property
    def measure(self) -> str:
        """The area's main measure, as it reads inside a sentence."""
        return in_sentence(self.area.measures[0].name)


@dataclass(frozen=True)
class Plan:
    start: date  # triage; nothing in the story is dated before it
    rounds: list[tuple[list[tuple[date, date]], date]]  # prototypes (start, end), evaluated on
    golive: date | None


def quotas(n: int) -> list[Stage]:
    """``n`` target stages in the proportions of ``STAGE_WEIGHTS`` (largest remainder), with
    every stage present once there are enough stories, so even a small seed shows them all."""
    each = 1 if n >= len(STAGE_WEIGHTS) else 0
    rest, total = n - each * len(STAGE_WEIGHTS), sum(STAGE_WEIGHTS.values())
    counts = {s: each + w * rest // total for s, w in STAGE_WEIGHTS.items()}
    by_remainder = sorted(STAGE_WEIGHTS, key=lambda s: -(STAGE_WEIGHTS[s] * rest % total))
    for s in by_remainder[:n - sum(counts.values())]:
        counts[s] += 1
    return [s for s, k in counts.items() for _ in range(k)]


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def in_sentence(name: str) -> str:
    """Lower-case a name's first letter unless it starts an acronym (NEWS2, MUST)."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]
