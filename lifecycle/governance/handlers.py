"""The handler of the adoption decision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lifecycle import policy
from lifecycle.actor import CommandContext
from lifecycle.command import Change
from lifecycle.directory.organisation import Organisation
from lifecycle.governance.commands import DecideAdoption
from lifecycle.innovations.handlers import addressed, sub_id

if TYPE_CHECKING:
    from lifecycle.application import LifecycleApplication


def decide_adoption(app: LifecycleApplication, cmd: DecideAdoption,
                    ctx: CommandContext) -> Change:
    innovation = addressed(app, cmd, ctx)
    policy.decider(ctx.actor, innovation, cmd.authority)
    org = app.load(Organisation, innovation.organisation_id)
    decision_id = sub_id(innovation)
    innovation.decide_adoption(ctx, decision_id=decision_id, outcome=cmd.outcome,
                               authority=cmd.authority, rationale=cmd.rationale,
                               conditions=cmd.conditions, evidence=cmd.evidence,
                               thresholds=org.thresholds)
    return Change(innovation, decision_id)
