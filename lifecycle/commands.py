"""Commands: what a person asks the system to do, in the imperative, validated on construction.

A command that constructs has well-formed input; whether the domain allows it is the aggregate's
question. ``fingerprint()`` identifies the request for idempotency.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar
from uuid import UUID

import orjson

from lifecycle import validation as v
from lifecycle.actor import Authority
from lifecycle.errors import ValidationFailed
from lifecycle.governance.authority import DecisionOutcome, Risk, Thresholds
from lifecycle.vocabulary import (
    BetterDirection,
    ChartType,
    Criterion,
    EvaluationMethod,
    FundingSource,
    InnovationClass,
    InvolvementKind,
    OrganisationKind,
    PrototypeOutcome,
    SharingScope,
)


@dataclass(frozen=True)
class Command:
    creates: ClassVar[bool] = False
    # The field naming the existing aggregate the command changes (None: it creates one).
    address: ClassVar[str | None] = None

    @property
    def addressed(self) -> UUID | None:
        """The existing aggregate this command changes, or None when it creates one."""
        return None if self.address is None else getattr(self, self.address)

    def _set(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def _text(self, name: str, limit: int, *, required: bool = True,
              multiline: bool = False) -> None:
        self._set(name, v.text(_camel(name), getattr(self, name), limit, required=required,
                               multiline=multiline))

    def _prose(self, name: str, limit: int) -> None:
        """Multi-line text: descriptions, reasons, comments (newline and tab kept)."""
        self._text(name, limit, multiline=True)

    def _optional(self, name: str, limit: int, *, multiline: bool = False) -> None:
        self._set(name, v.optional_text(_camel(name), getattr(self, name), limit,
                                        multiline=multiline))

    def _day(self, name: str) -> None:
        v.optional_day(_camel(name), getattr(self, name))

    def fingerprint(self) -> str:
        """A digest of the command's name and every field: equal requests, equal digests."""
        payload = {"command": type(self).__name__, **dataclasses.asdict(self)}
        raw = orjson.dumps(payload, default=_plain, option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(raw).hexdigest()


def _plain(value: object) -> object:
    if isinstance(value, Decimal | UUID | date):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset | set | tuple):
        return sorted(map(str, value))
    if isinstance(value, Thresholds):
        return value.to_record()
    raise TypeError(type(value))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


# -- organisations and challenges --------------------------------------------------------------
@dataclass(frozen=True)
class RegisterOrganisation(Command):
    creates = True
    name: str
    kind: OrganisationKind
    sites: tuple[str, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)

    def __post_init__(self) -> None:
        self._text("name", v.NAME_MAX)
        sites = tuple(v.text("sites", s, v.NAME_MAX) for s in self.sites)
        folded = [s.casefold() for s in sites]
        if len(set(folded)) != len(folded):
            raise ValidationFailed("sites", "each site must have a different name")
        self._set("sites", sites)
        self.thresholds.checked_money()


@dataclass(frozen=True)
class AddSite(Command):
    address: ClassVar[str | None] = "organisation_id"
    organisation_id: UUID
    site: str

    def __post_init__(self) -> None:
        self._text("site", v.NAME_MAX)


@dataclass(frozen=True)
class ChangeThresholds(Command):
    address: ClassVar[str | None] = "organisation_id"
    organisation_id: UUID
    thresholds: Thresholds
    reason: str

    def __post_init__(self) -> None:
        self._prose("reason", v.SHORT_TEXT_MAX)
        self.thresholds.checked_money()


@dataclass(frozen=True)
class OpenChallenge(Command):
    creates = True
    title: str
    problem: str
    opens_on: date
    closes_on: date

    def __post_init__(self) -> None:
        self._text("title", v.TITLE_MAX)
        self._prose("problem", v.LONG_TEXT_MAX)
        self._day("opens_on")
        self._day("closes_on")
        v.date_order("opensOn", self.opens_on, "closesOn", self.closes_on)


@dataclass(frozen=True)
class CloseChallenge(Command):
    address: ClassVar[str | None] = "challenge_id"
    challenge_id: UUID
    reason: str

    def __post_init__(self) -> None:
        self._prose("reason", v.SHORT_TEXT_MAX)


# -- ideas ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SubmitIdea(Command):
    creates = True
    title: str
    problem: str
    proposal: str
    innovation_class: InnovationClass = InnovationClass.IMPROVEMENT
    tags: tuple[str, ...] = ()
    site: str | None = None
    challenge_id: UUID | None = None
    staff_group: str | None = None

    def __post_init__(self) -> None:
        self._text("title", v.TITLE_MAX)
        self._prose("problem", v.LONG_TEXT_MAX)
        self._prose("proposal", v.LONG_TEXT_MAX)
        self._set("tags", v.tags("tags", self.tags))
        self._optional("site", v.NAME_MAX)
        v.staff_group("staffGroup", self.staff_group)


@dataclass(frozen=True)
class InnovationCommand(Command):
    """A command addressed to one existing innovation."""

    address: ClassVar[str | None] = "innovation_id"
    innovation_id: UUID


@dataclass(frozen=True)
class ReviseIdea(InnovationCommand):
    title: str
    problem: str
    proposal: str
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._text("title", v.TITLE_MAX)
        self._prose("problem", v.LONG_TEXT_MAX)
        self._prose("proposal", v.LONG_TEXT_MAX)
        self._set("tags", v.tags("tags", self.tags))


@dataclass(frozen=True)
class EndorseIdea(InnovationCommand):
    pass


@dataclass(frozen=True)
class CommentOnIdea(InnovationCommand):
    text: str

    def __post_init__(self) -> None:
        self._prose("text", v.LONG_TEXT_MAX)


@dataclass(frozen=True)
class ReasonedCommand(InnovationCommand):
    """A decision by a person about an innovation, which must say why."""

    reason: str

    def __post_init__(self) -> None:
        self._prose("reason", v.SHORT_TEXT_MAX)


@dataclass(frozen=True)
class AcceptIdea(ReasonedCommand):
    pass


@dataclass(frozen=True)
class RequestInformation(ReasonedCommand):
    pass


@dataclass(frozen=True)
class DeclineIdea(ReasonedCommand):
    pass


@dataclass(frozen=True)
class MergeIdea(ReasonedCommand):
    into_id: UUID = field(kw_only=True)


@dataclass(frozen=True)
class EmbedInnovation(ReasonedCommand):
    pass


@dataclass(frozen=True)
class ParkInnovation(ReasonedCommand):
    pass


@dataclass(frozen=True)
class ReopenInnovation(ReasonedCommand):
    pass


@dataclass(frozen=True)
class CloseInnovation(ReasonedCommand):
    learning: str = field(kw_only=True)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._prose("learning", v.LONG_TEXT_MAX)


@dataclass(frozen=True)
class AssignOwner(InnovationCommand):
    owner: str
    team: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._set("owner", v.subject("owner", self.owner))
        if len(self.team) > 50:
            raise ValidationFailed("team", "at most 50 members")
        self._set("team", tuple(dict.fromkeys(v.subject("team", t) for t in self.team)))


@dataclass(frozen=True)
class RecordInvolvement(InnovationCommand):
    kind: InvolvementKind
    group: str
    description: str
    involved_on: date

    def __post_init__(self) -> None:
        self._text("group", v.NAME_MAX)
        self._prose("description", v.LONG_TEXT_MAX)
        self._day("involved_on")


# -- prototypes, evaluation, funding -------------------------------------------------------------
@dataclass(frozen=True)
class StartPrototype(InnovationCommand):
    title: str
    hypothesis: str
    plan: str
    started_on: date

    def __post_init__(self) -> None:
        self._text("title", v.TITLE_MAX)
        self._prose("hypothesis", v.LONG_TEXT_MAX)
        self._prose("plan", v.LONG_TEXT_MAX)
        self._day("started_on")


@dataclass(frozen=True)
class CompletePrototype(InnovationCommand):
    prototype_id: UUID
    outcome: PrototypeOutcome
    result: str
    learning: str
    completed_on: date

    def __post_init__(self) -> None:
        self._prose("result", v.LONG_TEXT_MAX)
        self._prose("learning", v.LONG_TEXT_MAX)
        self._day("completed_on")


@dataclass(frozen=True)
class RecordEvaluation(InnovationCommand):
    method: EvaluationMethod
    scores: tuple[tuple[Criterion, int], ...]
    evidence: str
    recommendation: str
    estimated_cost: Decimal
    risk: Risk
    evaluated_on: date

    def __post_init__(self) -> None:
        seen: set[Criterion] = set()
        for criterion, score in self.scores:
            if criterion in seen:
                raise ValidationFailed("scores", f"{criterion.value} is scored twice")
            seen.add(criterion)
            if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5:
                raise ValidationFailed("scores", f"{criterion.value} must be scored 0 to 5, "
                                                 f"not {score!r}")
        if not self.scores:
            raise ValidationFailed("scores", "score at least one criterion")
        self._set("scores", tuple(sorted(self.scores, key=lambda s: s[0].value)))
        self._prose("evidence", v.LONG_TEXT_MAX)
        self._prose("recommendation", v.SHORT_TEXT_MAX)
        self._set("estimated_cost", v.money("estimatedCost", self.estimated_cost))
        self._day("evaluated_on")


@dataclass(frozen=True)
class RecordFunding(InnovationCommand):
    source: FundingSource
    funder: str
    amount: Decimal
    starts_on: date
    programme: str | None = None
    ends_on: date | None = None

    def __post_init__(self) -> None:
        self._text("funder", v.NAME_MAX)
        self._optional("programme", v.NAME_MAX)
        self._set("amount", v.money("amount", self.amount))
        if self.amount == 0:
            raise ValidationFailed("amount", "funding must be more than zero")
        self._day("starts_on")
        self._day("ends_on")
        v.date_order("startsOn", self.starts_on, "endsOn", self.ends_on)


# -- governance and spread -------------------------------------------------------------------
@dataclass(frozen=True)
class DecideAdoption(InnovationCommand):
    outcome: DecisionOutcome
    authority: Authority
    rationale: str
    conditions: str | None = None
    evidence: tuple[UUID, ...] = ()

    def __post_init__(self) -> None:
        self._prose("rationale", v.LONG_TEXT_MAX)
        self._optional("conditions", v.LONG_TEXT_MAX, multiline=True)


@dataclass(frozen=True)
class ShareInnovation(InnovationCommand):
    organisation_id: UUID
    scope: SharingScope = SharingScope.SUMMARY


@dataclass(frozen=True)
class RevokeSharing(ReasonedCommand):
    organisation_id: UUID = field(kw_only=True)


@dataclass(frozen=True)
class StartAdoption(InnovationCommand):
    organisation_id: UUID
    adaptation: str
    started_on: date
    site: str | None = None

    def __post_init__(self) -> None:
        self._prose("adaptation", v.LONG_TEXT_MAX)
        self._optional("site", v.NAME_MAX)
        self._day("started_on")


@dataclass(frozen=True)
class SustainAdoption(ReasonedCommand):
    adoption_id: UUID = field(kw_only=True)
    sustained_on: date = field(kw_only=True)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._day("sustained_on")


@dataclass(frozen=True)
class AbandonAdoption(ReasonedCommand):
    adoption_id: UUID = field(kw_only=True)
    abandoned_on: date = field(kw_only=True)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._day("abandoned_on")


# -- measures ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DefineMeasure(InnovationCommand):
    creates = True
    # It reads the innovation, and changes only the measure it creates.
    address: ClassVar[str | None] = None
    name: str
    unit: str
    better: BetterDirection
    chart: ChartType
    site: str | None = None

    def __post_init__(self) -> None:
        self._text("name", v.NAME_MAX)
        self._text("unit", v.NAME_MAX)
        self._optional("site", v.NAME_MAX)


@dataclass(frozen=True)
class ObservationInput:
    on: date
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class RecordObservations(Command):
    address: ClassVar[str | None] = "measure_id"
    measure_id: UUID
    observations: tuple[ObservationInput, ...]

    def __post_init__(self) -> None:
        dates = [v.day("observations", o.on) for o in self.observations]
        if len(set(dates)) != len(dates):
            raise ValidationFailed("observations", "a date appears twice in one batch")


@dataclass(frozen=True)
class StartPhase(Command):
    address: ClassVar[str | None] = "measure_id"
    measure_id: UUID
    starts_on: date
    description: str
    reason: str

    def __post_init__(self) -> None:
        self._prose("description", v.SHORT_TEXT_MAX)
        self._prose("reason", v.SHORT_TEXT_MAX)
        self._day("starts_on")
