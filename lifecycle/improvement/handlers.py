"""The handlers of the commands about measures."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from lifecycle import policy
from lifecycle.actor import CommandContext
from lifecycle.command import Change
from lifecycle.directory.organisation import Organisation
from lifecycle.errors import ValidationFailed
from lifecycle.improvement import commands
from lifecycle.improvement.measure import Measure, Observation
from lifecycle.innovations.handlers import addressed

if TYPE_CHECKING:
    from lifecycle.application import LifecycleApplication


def define_measure(app: LifecycleApplication, cmd: commands.DefineMeasure,
                   ctx: CommandContext) -> Change:
    innovation = addressed(app, cmd, ctx)
    policy.local_adopter(ctx.actor, innovation, ctx.actor.organisation, "define a measure")
    org = app.load(Organisation, ctx.actor.organisation)
    if not org.has_site(cmd.site):
        raise ValidationFailed("site", f"{org.name} has no site called {cmd.site!r}")
    measure = Measure.define(ctx, app.new_id(cmd, ctx), innovation_id=innovation.id,
                             organisation_id=org.id, site=cmd.site, name=cmd.name,
                             unit=cmd.unit, better=cmd.better.value, chart=cmd.chart.value,
                             rule_set=cmd.rule_set.describe() if cmd.rule_set else None,
                             target=cmd.target)
    return Change(measure, measure.id)


def _measure(app: LifecycleApplication, ident: UUID, ctx: CommandContext, doing: str) -> Measure:
    """A measure the caller's organisation records: the owner of the innovation sees an
    adopter's measures, and a FULL share the owner's, but only the measuring organisation
    records them."""
    measure = app.load(Measure, ident, ctx)
    policy.require_role(ctx.actor, policy.PARTNER_SIDE, doing)
    policy.require_member(ctx.actor, measure.organisation_id, doing)
    return measure


def record_observations(app: LifecycleApplication, cmd: commands.RecordObservations,
                        ctx: CommandContext) -> Change:
    measure = _measure(app, cmd.measure_id, ctx, "record observations")
    batch = [Observation.checked(measure.chart, o.on, o.value, o.numerator, o.denominator)
             for o in cmd.observations]
    measure.record_observations(ctx, batch)
    return Change(measure, measure.id)


def correct_observation(app: LifecycleApplication, cmd: commands.CorrectObservation,
                        ctx: CommandContext) -> Change:
    measure = _measure(app, cmd.measure_id, ctx, "correct an observation")
    o = cmd.observation
    measure.correct_observation(
        ctx, Observation.checked(measure.chart, o.on, o.value, o.numerator, o.denominator),
        cmd.reason)
    return Change(measure, measure.id)


def withdraw_observation(app: LifecycleApplication, cmd: commands.WithdrawObservation,
                         ctx: CommandContext) -> Change:
    measure = _measure(app, cmd.measure_id, ctx, "withdraw an observation")
    measure.withdraw_observation(ctx, cmd.on, cmd.reason)
    return Change(measure, measure.id)


def set_target(app: LifecycleApplication, cmd: commands.SetMeasureTarget,
               ctx: CommandContext) -> Change:
    measure = _measure(app, cmd.measure_id, ctx, "set a target")
    measure.set_target(ctx, cmd.target, cmd.reason)
    return Change(measure, measure.id)


def start_phase(app: LifecycleApplication, cmd: commands.StartPhase, ctx: CommandContext) -> Change:
    measure = _measure(app, cmd.measure_id, ctx, "start a phase")
    measure.start_phase(ctx, starts_on=cmd.starts_on, description=cmd.description,
                        reason=cmd.reason)
    return Change(measure, measure.id)
