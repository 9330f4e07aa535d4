"""One handler per command: load what the command addresses, ask the policy whether the caller
may act, and let the aggregate decide. Each returns the changed aggregate and the id of what the
command created; ``LifecycleApplication.execute`` stores it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID, uuid5

from lifecycle import commands as c
from lifecycle import policy, visibility
from lifecycle.actor import CommandContext, Role
from lifecycle.aggregate import LifecycleAggregate
from lifecycle.directory.challenge import Challenge
from lifecycle.directory.organisation import Organisation
from lifecycle.errors import InvalidState, NotFound, ValidationFailed
from lifecycle.improvement.measure import Measure, Observation
from lifecycle.innovations.innovation import Innovation

if TYPE_CHECKING:
    from lifecycle.application import LifecycleApplication

C = TypeVar("C", bound=c.Command)


@dataclass
class Change:
    aggregate: LifecycleAggregate
    created_id: UUID


Handler = Callable[["LifecycleApplication", Any, CommandContext], Change]
HANDLERS: dict[type[c.Command], Handler] = {}


def handles(command_type: type[C]) -> Callable[[Callable[[LifecycleApplication, C,
                                                           CommandContext], Change]], Handler]:
    def register(func: Callable[[LifecycleApplication, C, CommandContext], Change]) -> Handler:
        HANDLERS[command_type] = func
        return func
    return register


def _sub_id(aggregate: LifecycleAggregate) -> UUID:
    """A new id for something inside an aggregate (a prototype, a decision), fixed by the
    aggregate and the version of the event that creates it."""
    return uuid5(aggregate.id, str(aggregate.version + 1))


def _today() -> date:
    return datetime.now(UTC).date()


# -- organisations and challenges -----------------------------------------------------------------
@handles(c.RegisterOrganisation)
def _register_organisation(app: LifecycleApplication, cmd: c.RegisterOrganisation,
                           ctx: CommandContext) -> Change:
    # The platform's administrator, not an organisation's: registering one is platform-wide.
    policy.require_role(ctx.actor, frozenset({Role.PLATFORM_ADMIN}), "register an organisation")
    org = Organisation.register(ctx, app.new_id(cmd, ctx), name=cmd.name, kind=cmd.kind.value,
                                sites=cmd.sites, thresholds=cmd.thresholds,
                                request_fingerprint=cmd.fingerprint())
    return Change(org, org.id)


def _own_organisation(app: LifecycleApplication, ident: UUID, ctx: CommandContext,
                      doing: str) -> Organisation:
    org = app.load(Organisation, ident, ctx)
    policy.require_role(ctx.actor, frozenset({Role.ADMIN}), doing)
    policy.require_member(ctx.actor, org.id, doing)
    return org


@handles(c.AddSite)
def _add_site(app: LifecycleApplication, cmd: c.AddSite, ctx: CommandContext) -> Change:
    org = _own_organisation(app, cmd.organisation_id, ctx, "add a site")
    org.add_site(ctx, site=cmd.site)
    return Change(org, org.id)


@handles(c.ChangeThresholds)
def _change_thresholds(app: LifecycleApplication, cmd: c.ChangeThresholds,
                       ctx: CommandContext) -> Change:
    org = _own_organisation(app, cmd.organisation_id, ctx, "change governance thresholds")
    org.change_thresholds(ctx, thresholds=cmd.thresholds, reason=cmd.reason)
    return Change(org, org.id)


@handles(c.OpenChallenge)
def _open_challenge(app: LifecycleApplication, cmd: c.OpenChallenge,
                    ctx: CommandContext) -> Change:
    policy.require_role(ctx.actor, policy.LEADS, "open a challenge")
    challenge = Challenge.open(ctx, app.new_id(cmd, ctx), organisation_id=ctx.actor.organisation,
                               title=cmd.title, problem=cmd.problem, opens_on=cmd.opens_on,
                               closes_on=cmd.closes_on, request_fingerprint=cmd.fingerprint())
    return Change(challenge, challenge.id)


@handles(c.CloseChallenge)
def _close_challenge(app: LifecycleApplication, cmd: c.CloseChallenge,
                     ctx: CommandContext) -> Change:
    challenge = app.load(Challenge, cmd.challenge_id, ctx)
    policy.require_role(ctx.actor, policy.LEADS, "close a challenge")
    challenge.close(ctx, reason=cmd.reason)
    return Change(challenge, challenge.id)


# -- ideas ----------------------------------------------------------------------------------------
@handles(c.SubmitIdea)
def _submit_idea(app: LifecycleApplication, cmd: c.SubmitIdea, ctx: CommandContext) -> Change:
    policy.require_role(ctx.actor, policy.CONTRIBUTORS, "submit an idea")
    org = app.load(Organisation, ctx.actor.organisation)
    if not org.has_site(cmd.site):
        raise ValidationFailed("site", f"{org.name} has no site called {cmd.site!r}")
    if cmd.challenge_id is not None:
        challenge = app.load(Challenge, cmd.challenge_id, seen_by=ctx.actor)
        if not challenge.accepts_ideas_on(_today()):
            raise InvalidState(f"the challenge {challenge.title!r} is not open for ideas")
    innovation = Innovation.submit(
        ctx, app.new_id(cmd, ctx), organisation_id=org.id, site=cmd.site,
        challenge_id=cmd.challenge_id, title=cmd.title, problem=cmd.problem,
        proposal=cmd.proposal, tags=cmd.tags, innovation_class=cmd.innovation_class.value,
        staff_group=cmd.staff_group or ctx.actor.staff_group,
        request_fingerprint=cmd.fingerprint())
    return Change(innovation, innovation.id)


def _innovation(app: LifecycleApplication, cmd: c.InnovationCommand,
                ctx: CommandContext) -> Innovation:
    """The innovation the command addresses, if it exists for the caller (then its version)."""
    return app.load(Innovation, cmd.innovation_id, ctx)


def _lead(app: LifecycleApplication, cmd: c.InnovationCommand, ctx: CommandContext,
          doing: str) -> Innovation:
    innovation = _innovation(app, cmd, ctx)
    policy.owner_action(ctx.actor, innovation, policy.LEADS, doing)
    return innovation


@handles(c.ReviseIdea)
def _revise(app: LifecycleApplication, cmd: c.ReviseIdea, ctx: CommandContext) -> Change:
    innovation = _innovation(app, cmd, ctx)
    policy.reviser(ctx.actor, innovation)
    innovation.revise(ctx, title=cmd.title, problem=cmd.problem, proposal=cmd.proposal,
                      tags=cmd.tags)
    return Change(innovation, innovation.id)


@handles(c.EndorseIdea)
def _endorse(app: LifecycleApplication, cmd: c.EndorseIdea, ctx: CommandContext) -> Change:
    innovation = _innovation(app, cmd, ctx)
    policy.contributor_action(ctx.actor, innovation, "endorse an idea")
    innovation.endorse(ctx)
    return Change(innovation, innovation.id)


@handles(c.CommentOnIdea)
def _comment(app: LifecycleApplication, cmd: c.CommentOnIdea, ctx: CommandContext) -> Change:
    innovation = _innovation(app, cmd, ctx)
    policy.contributor_action(ctx.actor, innovation, "comment on an idea")
    comment_id = _sub_id(innovation)
    innovation.comment(ctx, comment_id=comment_id, text=cmd.text)
    return Change(innovation, comment_id)


@handles(c.AcceptIdea)
def _accept(app: LifecycleApplication, cmd: c.AcceptIdea, ctx: CommandContext) -> Change:
    innovation = _lead(app, cmd, ctx, "triage an idea")
    innovation.accept(ctx, reason=cmd.reason)
    return Change(innovation, innovation.id)


@handles(c.RequestInformation)
def _request_information(app: LifecycleApplication, cmd: c.RequestInformation,
                         ctx: CommandContext) -> Change:
    innovation = _lead(app, cmd, ctx, "triage an idea")
    innovation.request_information(ctx, reason=cmd.reason)
    return Change(innovation, innovation.id)


@handles(c.MergeIdea)
def _merge(app: LifecycleApplication, cmd: c.MergeIdea, ctx: CommandContext) -> Change:
    innovation = _lead(app, cmd, ctx, "triage an idea")
    target = app.load(Innovation, cmd.into_id, seen_by=ctx.actor)
    innovation.merge_into(ctx, target=target, reason=cmd.reason)
    return Change(innovation, innovation.id)


@handles(c.DeclineIdea)
def _decline(app: LifecycleApplication, cmd: c.DeclineIdea, ctx: CommandContext) -> Change:
    innovation = _lead(app, cmd, ctx, "triage an idea")
    innovation.decline(ctx, reason=cmd.reason)
    return Change(innovation, innovation.id)


@handles(c.AssignOwner)
def _assign_owner(app: LifecycleApplication, cmd: c.AssignOwner, ctx: CommandContext) -> Change:
    innovation = _lead(app, cmd, ctx, "assign an owner")
    innovation.assign_owner(ctx, owner=cmd.owner, team=cmd.team)
    return Change(innovation, innovation.id)


@handles(c.RecordInvolvement)
def _involvement(app: LifecycleApplication, cmd: c.RecordInvolvement,
                 ctx: CommandContext) -> Change:
    innovation = _lead(app, cmd, ctx, "record involvement")
    innovation.record_involvement(ctx, kind=cmd.kind.value, group=cmd.group,
                                  description=cmd.description, involved_on=cmd.involved_on)
    return Change(innovation, innovation.id)


@handles(c.StartPrototype)
def _start_prototype(app: LifecycleApplication, cmd: c.StartPrototype,
                     ctx: CommandContext) -> Change:
    innovation = _lead(app, cmd, ctx, "start a prototype")
    prototype_id = _sub_id(innovation)
    innovation.start_prototype(ctx, prototype_id=prototype_id, title=cmd.title,
                               hypothesis=cmd.hypothesis, plan=cmd.plan,
                               started_on=cmd.started_on)
    return Change(innovation, prototype_id)


@handles(c.CompletePrototype)
def _complete_prototype(app: LifecycleApplication, cmd: c.CompletePrototype,
                        ctx: CommandContext) -> Change:
    innovation = _lead(app, cmd, ctx, "complete a prototype")
    innovation.complete_prototype(ctx, prototype_id=cmd.prototype_id, outcome=cmd.outcome.value,
                                  result=cmd.result, learning=cmd.learning,
                                  completed_on=cmd.completed_on)
    return Change(innovation, cmd.prototype_id)


@handles(c.RecordEvaluation)
def _evaluation(app: LifecycleApplication, cmd: c.RecordEvaluation,
                ctx: CommandContext) -> Change:
    innovation = _lead(app, cmd, ctx, "record an evaluation")
    evaluation_id = _sub_id(innovation)
    innovation.record_evaluation(
        ctx, evaluation_id=evaluation_id, method=cmd.method.value,
        scores={k.value: s for k, s in cmd.scores}, evidence=cmd.evidence,
        recommendation=cmd.recommendation, estimated_cost=cmd.estimated_cost, risk=cmd.risk,
        evaluated_on=cmd.evaluated_on)
    return Change(innovation, evaluation_id)


@handles(c.RecordFunding)
def _funding(app: LifecycleApplication, cmd: c.RecordFunding, ctx: CommandContext) -> Change:
    innovation = _lead(app, cmd, ctx, "record funding")
    funding_id = _sub_id(innovation)
    innovation.record_funding(ctx, funding_id=funding_id, source=cmd.source.value,
                              funder=cmd.funder, programme=cmd.programme, amount=cmd.amount,
                              starts_on=cmd.starts_on, ends_on=cmd.ends_on)
    return Change(innovation, funding_id)


# -- governance and spread ------------------------------------------------------------------------
@handles(c.DecideAdoption)
def _decide(app: LifecycleApplication, cmd: c.DecideAdoption, ctx: CommandContext) -> Change:
    innovation = _innovation(app, cmd, ctx)
    policy.decider(ctx.actor, innovation, cmd.authority)
    org = app.load(Organisation, innovation.organisation_id)
    decision_id = _sub_id(innovation)
    innovation.decide_adoption(ctx, decision_id=decision_id, outcome=cmd.outcome,
                               authority=cmd.authority, rationale=cmd.rationale,
                               conditions=cmd.conditions, evidence=cmd.evidence,
                               thresholds=org.thresholds)
    return Change(innovation, decision_id)


@handles(c.ShareInnovation)
def _share(app: LifecycleApplication, cmd: c.ShareInnovation, ctx: CommandContext) -> Change:
    innovation = _lead(app, cmd, ctx, "share an innovation")
    app.load(Organisation, cmd.organisation_id)
    innovation.share(ctx, organisation_id=cmd.organisation_id, scope=cmd.scope)
    return Change(innovation, innovation.id)


@handles(c.RevokeSharing)
def _revoke(app: LifecycleApplication, cmd: c.RevokeSharing, ctx: CommandContext) -> Change:
    innovation = _lead(app, cmd, ctx, "revoke sharing")
    innovation.revoke_sharing(ctx, organisation_id=cmd.organisation_id, reason=cmd.reason)
    return Change(innovation, innovation.id)


@handles(c.StartAdoption)
def _start_adoption(app: LifecycleApplication, cmd: c.StartAdoption,
                    ctx: CommandContext) -> Change:
    innovation = _innovation(app, cmd, ctx)
    policy.local_adopter(ctx.actor, innovation, cmd.organisation_id, "start an adoption")
    adopter = app.load(Organisation, cmd.organisation_id)
    if not adopter.has_site(cmd.site):
        raise ValidationFailed("site", f"{adopter.name} has no site called {cmd.site!r}")
    adoption_id = _sub_id(innovation)
    innovation.start_adoption(ctx, adoption_id=adoption_id, organisation_id=adopter.id,
                              site=cmd.site, adaptation=cmd.adaptation,
                              started_on=cmd.started_on)
    return Change(innovation, adoption_id)


def _adoption(app: LifecycleApplication, cmd: c.SustainAdoption | c.AbandonAdoption,
              ctx: CommandContext, doing: str) -> Innovation:
    innovation = _innovation(app, cmd, ctx)
    adoption = innovation.adoptions.get(cmd.adoption_id)
    if adoption is None or not visibility.sees_adoption(
            ctx.actor.organisation, adoption["organisation_id"], innovation):
        raise NotFound("adoption", cmd.adoption_id)
    policy.own_adoption(ctx.actor, innovation, adoption["organisation_id"], doing)
    return innovation


@handles(c.SustainAdoption)
def _sustain(app: LifecycleApplication, cmd: c.SustainAdoption, ctx: CommandContext) -> Change:
    innovation = _adoption(app, cmd, ctx, "sustain an adoption")
    innovation.sustain_adoption(ctx, adoption_id=cmd.adoption_id, reason=cmd.reason,
                                sustained_on=cmd.sustained_on)
    return Change(innovation, cmd.adoption_id)


@handles(c.AbandonAdoption)
def _abandon(app: LifecycleApplication, cmd: c.AbandonAdoption, ctx: CommandContext) -> Change:
    innovation = _adoption(app, cmd, ctx, "abandon an adoption")
    innovation.abandon_adoption(ctx, adoption_id=cmd.adoption_id, reason=cmd.reason,
                                abandoned_on=cmd.abandoned_on)
    return Change(innovation, cmd.adoption_id)


def _reasoned(action: Callable[[Innovation, CommandContext, str], None],
              doing: str) -> Handler:
    def handle(app: LifecycleApplication, cmd: c.ReasonedCommand, ctx: CommandContext) -> Change:
        innovation = _lead(app, cmd, ctx, doing)
        action(innovation, ctx, cmd.reason)
        return Change(innovation, innovation.id)
    return handle


HANDLERS[c.EmbedInnovation] = _reasoned(lambda i, x, r: i.embed(x, reason=r), "embed")
HANDLERS[c.ParkInnovation] = _reasoned(lambda i, x, r: i.park(x, reason=r), "park")
HANDLERS[c.ReopenInnovation] = _reasoned(lambda i, x, r: i.reopen(x, reason=r), "reopen")


@handles(c.CloseInnovation)
def _close(app: LifecycleApplication, cmd: c.CloseInnovation, ctx: CommandContext) -> Change:
    innovation = _lead(app, cmd, ctx, "close an innovation")
    innovation.close(ctx, reason=cmd.reason, learning=cmd.learning)
    return Change(innovation, innovation.id)


# -- measures -------------------------------------------------------------------------------------
@handles(c.DefineMeasure)
def _define_measure(app: LifecycleApplication, cmd: c.DefineMeasure,
                    ctx: CommandContext) -> Change:
    innovation = _innovation(app, cmd, ctx)
    policy.local_adopter(ctx.actor, innovation, ctx.actor.organisation, "define a measure")
    org = app.load(Organisation, ctx.actor.organisation)
    if not org.has_site(cmd.site):
        raise ValidationFailed("site", f"{org.name} has no site called {cmd.site!r}")
    measure = Measure.define(ctx, app.new_id(cmd, ctx), innovation_id=innovation.id,
                             organisation_id=org.id, site=cmd.site, name=cmd.name,
                             unit=cmd.unit, better=cmd.better.value, chart=cmd.chart.value,
                             request_fingerprint=cmd.fingerprint())
    return Change(measure, measure.id)


def _measure(app: LifecycleApplication, ident: UUID, ctx: CommandContext, doing: str) -> Measure:
    """A measure the caller's organisation records: the owner of the innovation sees an
    adopter's measures, and a FULL share the owner's, but only the measuring organisation
    records them."""
    measure = app.load(Measure, ident, ctx)
    policy.require_role(ctx.actor, policy.PARTNER_SIDE, doing)
    policy.require_member(ctx.actor, measure.organisation_id, doing)
    return measure


@handles(c.RecordObservations)
def _observations(app: LifecycleApplication, cmd: c.RecordObservations,
                  ctx: CommandContext) -> Change:
    measure = _measure(app, cmd.measure_id, ctx, "record observations")
    batch = [Observation.checked(measure.chart, o.on, o.value, o.numerator, o.denominator)
             for o in cmd.observations]
    measure.record_observations(ctx, batch)
    return Change(measure, measure.id)


@handles(c.StartPhase)
def _start_phase(app: LifecycleApplication, cmd: c.StartPhase, ctx: CommandContext) -> Change:
    measure = _measure(app, cmd.measure_id, ctx, "start a phase")
    measure.start_phase(ctx, starts_on=cmd.starts_on, description=cmd.description,
                        reason=cmd.reason)
    return Change(measure, measure.id)
