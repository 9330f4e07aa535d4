"""The innovation: one identity from idea to embedded practice (or to a closure with its learning).

Each public method is a command: it checks the stage machine and the aggregate's invariants, then
records one event. Inputs arrive already validated for shape (``lifecycle.commands``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from lifecycle.actor import Authority, CommandContext
from lifecycle.aggregate import LifecycleAggregate, stable_name, topic
from lifecycle.errors import InvalidState, NotFound, ValidationFailed
from lifecycle.governance.authority import DecisionOutcome, Risk, Thresholds, check_authority
from lifecycle.governance.authority import required_authority as minimum_authority
from lifecycle.innovations import stage as stages
from lifecycle.innovations.stage import Stage
from lifecycle.vocabulary import AdoptionStatus, SharingScope

_DECISION_STAGE = {
    DecisionOutcome.ADOPT: Stage.ADOPTED,
    DecisionOutcome.ADAPT: Stage.ADOPTED,
    DecisionOutcome.PILOT_FURTHER: Stage.PROTOTYPING,
    DecisionOutcome.REJECT: Stage.CLOSED,
    DecisionOutcome.DEFER: Stage.PARKED,
}


@stable_name("Innovation")
class Innovation(LifecycleAggregate):

    # -- events -----------------------------------------------------------------------------
    class IdeaSubmitted(LifecycleAggregate.Created):
        TOPIC = topic("IdeaSubmitted")
        organisation_id: UUID
        site: str | None
        challenge_id: UUID | None
        title: str
        problem: str
        proposal: str
        tags: list[str]
        innovation_class: str
        staff_group: str | None
        request_fingerprint: str

        def apply(self, agg: Innovation) -> None:
            agg.organisation_id = self.organisation_id
            agg.site = self.site
            agg.challenge_id = self.challenge_id
            agg.title = self.title
            agg.problem = self.problem
            agg.proposal = self.proposal
            agg.tags = list(self.tags)
            agg.innovation_class = self.innovation_class
            agg.submitter = self.actor
            agg.staff_group = self.staff_group

    class IdeaRevised(LifecycleAggregate.Event):
        TOPIC = topic("IdeaRevised")
        title: str
        problem: str
        proposal: str
        tags: list[str]

        def apply(self, agg: Innovation) -> None:
            agg.title, agg.problem, agg.proposal = self.title, self.problem, self.proposal
            agg.tags = list(self.tags)
            agg.awaiting_information = False

    class IdeaEndorsed(LifecycleAggregate.Event):
        TOPIC = topic("IdeaEndorsed")

        def apply(self, agg: Innovation) -> None:
            agg.endorsers.add(self.actor)

    class CommentAdded(LifecycleAggregate.Event):
        TOPIC = topic("CommentAdded")
        comment_id: UUID
        text: str

        def apply(self, agg: Innovation) -> None:
            agg.comments += 1

    class IdeaAccepted(LifecycleAggregate.Event):
        TOPIC = topic("IdeaAccepted")
        reason: str

        def apply(self, agg: Innovation) -> None:
            agg.stage = Stage.CONCEPT
            agg.awaiting_information = False

    class InformationRequested(LifecycleAggregate.Event):
        TOPIC = topic("InformationRequested")
        reason: str

        def apply(self, agg: Innovation) -> None:
            agg.awaiting_information = True

    class IdeaMerged(LifecycleAggregate.Event):
        TOPIC = topic("IdeaMerged")
        into_id: UUID
        reason: str

        def apply(self, agg: Innovation) -> None:
            agg.stage = Stage.CLOSED
            agg.merged_into = self.into_id

    class IdeaDeclined(LifecycleAggregate.Event):
        TOPIC = topic("IdeaDeclined")
        reason: str

        def apply(self, agg: Innovation) -> None:
            agg.stage = Stage.CLOSED

    class OwnerAssigned(LifecycleAggregate.Event):
        TOPIC = topic("OwnerAssigned")
        owner: str
        team: list[str]

        def apply(self, agg: Innovation) -> None:
            agg.owner = self.owner
            agg.team = list(self.team)

    class InvolvementRecorded(LifecycleAggregate.Event):
        TOPIC = topic("InvolvementRecorded")
        kind: str
        group: str
        description: str
        involved_on: date

    class PrototypeStarted(LifecycleAggregate.Event):
        TOPIC = topic("PrototypeStarted")
        prototype_id: UUID
        title: str
        hypothesis: str
        plan: str
        started_on: date

        def apply(self, agg: Innovation) -> None:
            agg.stage = Stage.PROTOTYPING
            agg.prototypes[self.prototype_id] = {"started_on": self.started_on, "done": False}

    class PrototypeCompleted(LifecycleAggregate.Event):
        TOPIC = topic("PrototypeCompleted")
        prototype_id: UUID
        outcome: str
        result: str
        learning: str
        completed_on: date

        def apply(self, agg: Innovation) -> None:
            agg.prototypes[self.prototype_id]["done"] = True

    class EvaluationRecorded(LifecycleAggregate.Event):
        TOPIC = topic("EvaluationRecorded")
        evaluation_id: UUID
        method: str
        scores: dict[str, int]
        evidence: str
        recommendation: str
        estimated_cost: Decimal
        risk: str
        evaluated_on: date

        def apply(self, agg: Innovation) -> None:
            agg.stage = Stage.EVALUATING
            agg.evaluations[self.evaluation_id] = self.evaluated_on
            agg.latest_evaluation = (self.estimated_cost, Risk(self.risk), self.evaluated_on)

    class FundingRecorded(LifecycleAggregate.Event):
        TOPIC = topic("FundingRecorded")
        funding_id: UUID
        source: str
        funder: str
        programme: str | None
        amount: Decimal
        starts_on: date
        ends_on: date | None

        def apply(self, agg: Innovation) -> None:
            agg.funding[self.funding_id] = self.amount

    class AdoptionDecided(LifecycleAggregate.Event):
        TOPIC = topic("AdoptionDecided")
        decision_id: UUID
        outcome: str
        authority: str
        required_authority: str
        escalated: bool
        rationale: str
        conditions: str | None
        evidence: list[UUID]
        estimated_cost: Decimal
        risk: str

        def apply(self, agg: Innovation) -> None:
            agg.decisions.append(self.decision_id)
            new_stage = _DECISION_STAGE[DecisionOutcome(self.outcome)]
            if new_stage is Stage.PARKED:
                agg.stage_before_park = agg.stage
            agg.stage = new_stage

    class SharedWith(LifecycleAggregate.Event):
        TOPIC = topic("SharedWith")
        organisation_id: UUID
        scope: str

        def apply(self, agg: Innovation) -> None:
            agg.shared_with[self.organisation_id] = self.scope

    class SharingRevoked(LifecycleAggregate.Event):
        TOPIC = topic("SharingRevoked")
        organisation_id: UUID
        reason: str

        def apply(self, agg: Innovation) -> None:
            agg.shared_with.pop(self.organisation_id, None)

    class AdoptionStarted(LifecycleAggregate.Event):
        TOPIC = topic("AdoptionStarted")
        adoption_id: UUID
        organisation_id: UUID
        site: str | None
        adaptation: str
        started_on: date

        def apply(self, agg: Innovation) -> None:
            if agg.stage is Stage.ADOPTED:
                agg.stage = Stage.SPREADING
            agg.adoptions[self.adoption_id] = {
                "organisation_id": self.organisation_id,
                "site": self.site,
                "status": AdoptionStatus.STARTED,
                "started_on": self.started_on,
            }

    class AdoptionSustained(LifecycleAggregate.Event):
        TOPIC = topic("AdoptionSustained")
        adoption_id: UUID
        reason: str
        sustained_on: date

        def apply(self, agg: Innovation) -> None:
            agg.adoptions[self.adoption_id]["status"] = AdoptionStatus.SUSTAINED

    class AdoptionAbandoned(LifecycleAggregate.Event):
        TOPIC = topic("AdoptionAbandoned")
        adoption_id: UUID
        reason: str
        abandoned_on: date

        def apply(self, agg: Innovation) -> None:
            agg.adoptions[self.adoption_id]["status"] = AdoptionStatus.ABANDONED

    class InnovationEmbedded(LifecycleAggregate.Event):
        TOPIC = topic("InnovationEmbedded")
        reason: str

        def apply(self, agg: Innovation) -> None:
            agg.stage = Stage.EMBEDDED

    class InnovationParked(LifecycleAggregate.Event):
        TOPIC = topic("InnovationParked")
        reason: str

        def apply(self, agg: Innovation) -> None:
            agg.stage_before_park = agg.stage
            agg.stage = Stage.PARKED

    class InnovationReopened(LifecycleAggregate.Event):
        TOPIC = topic("InnovationReopened")
        reason: str

        def apply(self, agg: Innovation) -> None:
            agg.stage = agg.stage_before_park or Stage.SUBMITTED
            agg.stage_before_park = None

    class InnovationClosed(LifecycleAggregate.Event):
        TOPIC = topic("InnovationClosed")
        reason: str
        learning: str

        def apply(self, agg: Innovation) -> None:
            agg.stage = Stage.CLOSED

    # -- state (set by the events above) ------------------------------------------------------
    organisation_id: UUID
    site: str | None
    challenge_id: UUID | None
    title: str
    problem: str
    proposal: str
    tags: list[str]
    innovation_class: str
    submitter: str
    staff_group: str | None
    stage: Stage
    stage_before_park: Stage | None
    owner: str | None
    team: list[str]
    endorsers: set[str]
    comments: int
    prototypes: dict[UUID, dict[str, Any]]
    evaluations: dict[UUID, date]
    latest_evaluation: tuple[Decimal, Risk, date] | None
    decisions: list[UUID]
    adoptions: dict[UUID, dict[str, Any]]
    shared_with: dict[UUID, str]
    funding: dict[UUID, Decimal]
    awaiting_information: bool
    merged_into: UUID | None

    def __init__(self) -> None:
        self.stage = Stage.SUBMITTED
        self.stage_before_park = None
        self.owner = None
        self.team = []
        self.endorsers = set()
        self.comments = 0
        self.prototypes = {}
        self.evaluations = {}
        self.latest_evaluation = None
        self.decisions = []
        self.adoptions = {}
        self.shared_with = {}
        self.funding = {}
        self.awaiting_information = False
        self.merged_into = None

    # -- commands -----------------------------------------------------------------------------
    @classmethod
    def submit(cls, ctx: CommandContext, ident: UUID, *, organisation_id: UUID, site: str | None,
               challenge_id: UUID | None, title: str, problem: str, proposal: str,
               tags: tuple[str, ...], innovation_class: str, staff_group: str | None,
               request_fingerprint: str) -> Innovation:
        return cls._begin(
            cls.IdeaSubmitted, ctx, ident, organisation_id=organisation_id, site=site,
            challenge_id=challenge_id, title=title, problem=problem, proposal=proposal,
            tags=list(tags), innovation_class=innovation_class, staff_group=staff_group,
            request_fingerprint=request_fingerprint,
        )

    def revise(self, ctx: CommandContext, *, title: str, problem: str, proposal: str,
               tags: tuple[str, ...]) -> None:
        stages.require("revise", self.stage)
        self._record(self.IdeaRevised, ctx, title=title, problem=problem, proposal=proposal,
                     tags=list(tags))

    def endorse(self, ctx: CommandContext) -> None:
        stages.require("endorse", self.stage)
        if ctx.actor.subject in self.endorsers:
            raise InvalidState("you have already endorsed this innovation")
        self._record(self.IdeaEndorsed, ctx)

    def comment(self, ctx: CommandContext, *, comment_id: UUID, text: str) -> None:
        stages.require("comment", self.stage)
        self._record(self.CommentAdded, ctx, comment_id=comment_id, text=text)

    def accept(self, ctx: CommandContext, *, reason: str) -> None:
        stages.require("triage", self.stage)
        self._record(self.IdeaAccepted, ctx, reason=reason)

    def request_information(self, ctx: CommandContext, *, reason: str) -> None:
        stages.require("triage", self.stage)
        self._record(self.InformationRequested, ctx, reason=reason)

    def merge_into(self, ctx: CommandContext, *, target: Innovation, reason: str) -> None:
        stages.require("triage", self.stage)
        if target.id == self.id:
            raise ValidationFailed("intoId", "an idea cannot be merged into itself")
        if target.stage is Stage.CLOSED:
            raise InvalidState("cannot merge into an innovation that is closed")
        if target.organisation_id != self.organisation_id:
            raise ValidationFailed("intoId", "can only merge into an idea of the same organisation")
        self._record(self.IdeaMerged, ctx, into_id=target.id, reason=reason)

    def decline(self, ctx: CommandContext, *, reason: str) -> None:
        stages.require("triage", self.stage)
        self._record(self.IdeaDeclined, ctx, reason=reason)

    def assign_owner(self, ctx: CommandContext, *, owner: str, team: tuple[str, ...]) -> None:
        stages.require("assign owner", self.stage)
        self._record(self.OwnerAssigned, ctx, owner=owner, team=list(team))

    def record_involvement(self, ctx: CommandContext, *, kind: str, group: str,
                           description: str, involved_on: date) -> None:
        stages.require("record involvement", self.stage)
        self._record(self.InvolvementRecorded, ctx, kind=kind, group=group,
                     description=description, involved_on=involved_on)

    def start_prototype(self, ctx: CommandContext, *, prototype_id: UUID, title: str,
                        hypothesis: str, plan: str, started_on: date) -> None:
        stages.require("start a prototype", self.stage)
        self._record(self.PrototypeStarted, ctx, prototype_id=prototype_id, title=title,
                     hypothesis=hypothesis, plan=plan, started_on=started_on)

    def complete_prototype(self, ctx: CommandContext, *, prototype_id: UUID, outcome: str,
                           result: str, learning: str, completed_on: date) -> None:
        stages.require("complete a prototype", self.stage)
        prototype = self.prototypes.get(prototype_id)
        if prototype is None:
            raise NotFound("prototype", prototype_id)
        if prototype["done"]:
            raise InvalidState(f"prototype {prototype_id} is already completed")
        if completed_on < prototype["started_on"]:
            raise ValidationFailed("completedOn", "must not be before the prototype started")
        self._record(self.PrototypeCompleted, ctx, prototype_id=prototype_id, outcome=outcome,
                     result=result, learning=learning, completed_on=completed_on)

    def record_evaluation(self, ctx: CommandContext, *, evaluation_id: UUID, method: str,
                          scores: dict[str, int], evidence: str, recommendation: str,
                          estimated_cost: Decimal, risk: Risk, evaluated_on: date) -> None:
        stages.require("record an evaluation", self.stage)
        if not any(p["done"] for p in self.prototypes.values()):
            raise InvalidState("an evaluation needs at least one completed prototype")
        self._record(self.EvaluationRecorded, ctx, evaluation_id=evaluation_id, method=method,
                     scores=dict(scores), evidence=evidence, recommendation=recommendation,
                     estimated_cost=estimated_cost, risk=risk.value, evaluated_on=evaluated_on)

    def record_funding(self, ctx: CommandContext, *, funding_id: UUID, source: str, funder: str,
                       programme: str | None, amount: Decimal, starts_on: date,
                       ends_on: date | None) -> None:
        stages.require("record funding", self.stage)
        self._record(self.FundingRecorded, ctx, funding_id=funding_id, source=source,
                     funder=funder, programme=programme, amount=amount, starts_on=starts_on,
                     ends_on=ends_on)

    def required_authority(self, thresholds: Thresholds) -> Authority:
        """The least authority an adoption decision needs, from the latest evaluation."""
        if self.latest_evaluation is None:
            raise InvalidState("an adoption decision needs an evaluation")
        cost, risk, _ = self.latest_evaluation
        return minimum_authority(cost, risk, thresholds)

    def decide_adoption(self, ctx: CommandContext, *, decision_id: UUID,
                        outcome: DecisionOutcome, authority: Authority, rationale: str,
                        conditions: str | None, evidence: tuple[UUID, ...],
                        thresholds: Thresholds) -> None:
        stages.require("decide adoption", self.stage)
        required = self.required_authority(thresholds)
        escalated = check_authority(authority, required)
        unknown = [e for e in evidence if e not in self.evaluations]
        if unknown:
            raise NotFound("evaluation", unknown[0])
        if outcome is DecisionOutcome.ADAPT and not conditions:
            raise ValidationFailed("conditions", "an ADAPT decision must state its adaptations")
        assert self.latest_evaluation is not None
        cost, risk, _ = self.latest_evaluation
        self._record(self.AdoptionDecided, ctx, decision_id=decision_id, outcome=outcome.value,
                     authority=authority.value, required_authority=required.value,
                     escalated=escalated, rationale=rationale, conditions=conditions,
                     evidence=list(evidence or self.evaluations), estimated_cost=cost,
                     risk=risk.value)

    def share(self, ctx: CommandContext, *, organisation_id: UUID, scope: SharingScope) -> None:
        stages.require("share", self.stage)
        if organisation_id == self.organisation_id:
            raise ValidationFailed("organisationId", "an organisation already sees its own work")
        if self.shared_with.get(organisation_id) == scope.value:
            raise InvalidState("already shared with that organisation at that scope")
        self._record(self.SharedWith, ctx, organisation_id=organisation_id, scope=scope.value)

    def revoke_sharing(self, ctx: CommandContext, *, organisation_id: UUID, reason: str) -> None:
        stages.require("revoke sharing", self.stage)
        if organisation_id not in self.shared_with:
            raise InvalidState("not shared with that organisation")
        if any(a["organisation_id"] == organisation_id and a["status"] is not
               AdoptionStatus.ABANDONED for a in self.adoptions.values()):
            raise InvalidState("that organisation has a live adoption; abandon it first")
        self._record(self.SharingRevoked, ctx, organisation_id=organisation_id, reason=reason)

    def start_adoption(self, ctx: CommandContext, *, adoption_id: UUID, organisation_id: UUID,
                       site: str | None, adaptation: str, started_on: date) -> None:
        stages.require("start an adoption", self.stage)
        for a in self.adoptions.values():
            if (a["organisation_id"], a["site"]) == (organisation_id, site) and \
                    a["status"] is not AdoptionStatus.ABANDONED:
                raise InvalidState("that site already has a live adoption of this innovation")
        # Another organisation adopts only what its owner shared with it in full (it needs the
        # detail to adapt it). Adopting never shares: only the owner grants access. (Adoptions
        # recorded before this rule shared in full as they started; those SharedWith events
        # stay facts.)
        if organisation_id != self.organisation_id and \
                self.shared_with.get(organisation_id) != SharingScope.FULL.value:
            raise InvalidState("an organisation adopts only an innovation shared with it in "
                               "full; its owner must share it first")
        self._record(self.AdoptionStarted, ctx, adoption_id=adoption_id,
                     organisation_id=organisation_id, site=site, adaptation=adaptation,
                     started_on=started_on)

    def _live_adoption(self, adoption_id: UUID, on: date, field: str) -> None:
        adoption = self.adoptions.get(adoption_id)
        if adoption is None:
            raise NotFound("adoption", adoption_id)
        if adoption["status"] is AdoptionStatus.ABANDONED:
            raise InvalidState(f"adoption {adoption_id} was abandoned")
        if on < adoption["started_on"]:
            raise ValidationFailed(field, "must not be before the adoption started")

    def sustain_adoption(self, ctx: CommandContext, *, adoption_id: UUID, reason: str,
                         sustained_on: date) -> None:
        stages.require("sustain an adoption", self.stage)
        self._live_adoption(adoption_id, sustained_on, "sustainedOn")
        if self.adoptions[adoption_id]["status"] is AdoptionStatus.SUSTAINED:
            raise InvalidState(f"adoption {adoption_id} is already sustained")
        self._record(self.AdoptionSustained, ctx, adoption_id=adoption_id, reason=reason,
                     sustained_on=sustained_on)

    def abandon_adoption(self, ctx: CommandContext, *, adoption_id: UUID, reason: str,
                         abandoned_on: date) -> None:
        stages.require("abandon an adoption", self.stage)
        self._live_adoption(adoption_id, abandoned_on, "abandonedOn")
        self._record(self.AdoptionAbandoned, ctx, adoption_id=adoption_id, reason=reason,
                     abandoned_on=abandoned_on)

    def embed(self, ctx: CommandContext, *, reason: str) -> None:
        stages.require("embed", self.stage)
        self._record(self.InnovationEmbedded, ctx, reason=reason)

    def park(self, ctx: CommandContext, *, reason: str) -> None:
        stages.require("park", self.stage)
        self._record(self.InnovationParked, ctx, reason=reason)

    def reopen(self, ctx: CommandContext, *, reason: str) -> None:
        stages.require("reopen", self.stage)
        self._record(self.InnovationReopened, ctx, reason=reason)

    def close(self, ctx: CommandContext, *, reason: str, learning: str) -> None:
        stages.require("close", self.stage)
        self._record(self.InnovationClosed, ctx, reason=reason, learning=learning)


def stage_after(event: object, stage: Stage | None,
                parked_from: Stage | None) -> tuple[Stage | None, Stage | None]:
    """The stage (and the stage parked from) after ``event``: the stage machine's effect of each
    event, for readers that fold events without the aggregate (the read side)."""
    match event:
        case Innovation.IdeaSubmitted():
            return Stage.SUBMITTED, None
        case Innovation.IdeaAccepted():
            return Stage.CONCEPT, parked_from
        case Innovation.IdeaMerged() | Innovation.IdeaDeclined() | Innovation.InnovationClosed():
            return Stage.CLOSED, parked_from
        case Innovation.PrototypeStarted():
            return Stage.PROTOTYPING, parked_from
        case Innovation.EvaluationRecorded():
            return Stage.EVALUATING, parked_from
        case Innovation.AdoptionDecided():
            after = _DECISION_STAGE[DecisionOutcome(event.outcome)]
            return after, (stage if after is Stage.PARKED else parked_from)
        case Innovation.AdoptionStarted() if stage is Stage.ADOPTED:
            return Stage.SPREADING, parked_from
        case Innovation.InnovationEmbedded():
            return Stage.EMBEDDED, parked_from
        case Innovation.InnovationParked():
            return Stage.PARKED, stage
        case Innovation.InnovationReopened():
            return parked_from or Stage.SUBMITTED, None
    return stage, parked_from
