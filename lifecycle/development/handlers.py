"""The handlers of the commands that develop an innovation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lifecycle.actor import CommandContext
from lifecycle.command import Change
from lifecycle.development import commands
from lifecycle.innovations.handlers import lead, sub_id

if TYPE_CHECKING:
    from lifecycle.application import LifecycleApplication


def start_prototype(app: LifecycleApplication, cmd: commands.StartPrototype,
                    ctx: CommandContext) -> Change:
    innovation = lead(app, cmd, ctx, "start a prototype")
    prototype_id = sub_id(innovation)
    innovation.start_prototype(ctx, prototype_id=prototype_id, title=cmd.title,
                               hypothesis=cmd.hypothesis, plan=cmd.plan,
                               started_on=cmd.started_on)
    return Change(innovation, prototype_id)


def complete_prototype(app: LifecycleApplication, cmd: commands.CompletePrototype,
                       ctx: CommandContext) -> Change:
    innovation = lead(app, cmd, ctx, "complete a prototype")
    innovation.complete_prototype(ctx, prototype_id=cmd.prototype_id, outcome=cmd.outcome.value,
                                  result=cmd.result, learning=cmd.learning,
                                  completed_on=cmd.completed_on)
    return Change(innovation, cmd.prototype_id)


def record_evaluation(app: LifecycleApplication, cmd: commands.RecordEvaluation,
                      ctx: CommandContext) -> Change:
    innovation = lead(app, cmd, ctx, "record an evaluation")
    evaluation_id = sub_id(innovation)
    innovation.record_evaluation(
        ctx, evaluation_id=evaluation_id, method=cmd.method.value,
        scores={k.value: s for k, s in cmd.scores}, evidence=cmd.evidence,
        recommendation=cmd.recommendation, estimated_cost=cmd.estimated_cost, risk=cmd.risk,
        evaluated_on=cmd.evaluated_on)
    return Change(innovation, evaluation_id)


def record_funding(app: LifecycleApplication, cmd: commands.RecordFunding,
                   ctx: CommandContext) -> Change:
    innovation = lead(app, cmd, ctx, "record funding")
    funding_id = sub_id(innovation)
    innovation.record_funding(ctx, funding_id=funding_id, source=cmd.source.value,
                              funder=cmd.funder, programme=cmd.programme, amount=cmd.amount,
                              starts_on=cmd.starts_on, ends_on=cmd.ends_on)
    return Change(innovation, funding_id)
