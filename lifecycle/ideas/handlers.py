"""The handlers of the commands about ideas."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from lifecycle import policy
from lifecycle.actor import CommandContext
from lifecycle.command import Change
from lifecycle.directory.challenge import Challenge
from lifecycle.directory.organisation import Organisation
from lifecycle.errors import InvalidState, ValidationFailed
from lifecycle.ideas import commands
from lifecycle.innovations.handlers import addressed, lead, led, sub_id
from lifecycle.innovations.innovation import Innovation

if TYPE_CHECKING:
    from lifecycle.application import LifecycleApplication


def _today() -> date:
    return datetime.now(UTC).date()


def submit_idea(app: LifecycleApplication, cmd: commands.SubmitIdea, ctx: CommandContext) -> Change:
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
        staff_group=cmd.staff_group or ctx.actor.staff_group)
    return Change(innovation, innovation.id)


def revise(app: LifecycleApplication, cmd: commands.ReviseIdea, ctx: CommandContext) -> Change:
    innovation = addressed(app, cmd, ctx)
    policy.reviser(ctx.actor, innovation)
    innovation.revise(ctx, title=cmd.title, problem=cmd.problem, proposal=cmd.proposal,
                      tags=cmd.tags)
    return Change(innovation, innovation.id)


def endorse(app: LifecycleApplication, cmd: commands.EndorseIdea, ctx: CommandContext) -> Change:
    innovation = addressed(app, cmd, ctx)
    policy.contributor_action(ctx.actor, innovation, "endorse an idea")
    innovation.endorse(ctx)
    return Change(innovation, innovation.id)


def comment(app: LifecycleApplication, cmd: commands.CommentOnIdea, ctx: CommandContext) -> Change:
    innovation = addressed(app, cmd, ctx)
    policy.contributor_action(ctx.actor, innovation, "comment on an idea")
    comment_id = sub_id(innovation)
    innovation.comment(ctx, comment_id=comment_id, text=cmd.text)
    return Change(innovation, comment_id)


accept = led(commands.AcceptIdea, "triage an idea", Innovation.accept)
request_information = led(commands.RequestInformation, "triage an idea",
                          Innovation.request_information)
decline = led(commands.DeclineIdea, "triage an idea", Innovation.decline)
assign_owner = led(commands.AssignOwner, "assign an owner", Innovation.assign_owner)


def merge(app: LifecycleApplication, cmd: commands.MergeIdea, ctx: CommandContext) -> Change:
    innovation = lead(app, cmd, ctx, "triage an idea")
    target = app.load(Innovation, cmd.into_id, seen_by=ctx.actor)
    innovation.merge_into(ctx, target=target, reason=cmd.reason)
    return Change(innovation, innovation.id)


def record_involvement(app: LifecycleApplication, cmd: commands.RecordInvolvement,
                       ctx: CommandContext) -> Change:
    innovation = lead(app, cmd, ctx, "record involvement")
    innovation.record_involvement(ctx, kind=cmd.kind.value, group=cmd.group,
                                  description=cmd.description, involved_on=cmd.involved_on)
    return Change(innovation, innovation.id)
