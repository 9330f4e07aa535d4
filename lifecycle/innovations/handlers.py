"""Handling commands addressed to an innovation: loading it as the caller may see it, the leads'
check, the ids of what a command creates inside it; and the handlers of park, reopen, close."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID, uuid5

from lifecycle import policy
from lifecycle.actor import CommandContext
from lifecycle.aggregate import LifecycleAggregate
from lifecycle.command import Change
from lifecycle.innovations import commands
from lifecycle.innovations.innovation import Innovation

if TYPE_CHECKING:
    from lifecycle.application import LifecycleApplication


def sub_id(aggregate: LifecycleAggregate) -> UUID:
    """A new id for something inside an aggregate (a prototype, a decision), fixed by the
    aggregate and the version of the event that creates it."""
    return uuid5(aggregate.id, str(aggregate.version + 1))


def addressed(app: LifecycleApplication, cmd: commands.InnovationCommand,
              ctx: CommandContext) -> Innovation:
    """The innovation the command addresses, if it exists for the caller (then its version)."""
    return app.load(Innovation, cmd.innovation_id, ctx)


def lead(app: LifecycleApplication, cmd: commands.InnovationCommand, ctx: CommandContext,
         doing: str) -> Innovation:
    """The innovation addressed, for an action its owning organisation's leads take."""
    innovation = addressed(app, cmd, ctx)
    policy.owner_action(ctx.actor, innovation, policy.LEADS, doing)
    return innovation


def park(app: LifecycleApplication, cmd: commands.ParkInnovation, ctx: CommandContext) -> Change:
    innovation = lead(app, cmd, ctx, "park")
    innovation.park(ctx, reason=cmd.reason)
    return Change(innovation, innovation.id)


def reopen(app: LifecycleApplication, cmd: commands.ReopenInnovation,
           ctx: CommandContext) -> Change:
    innovation = lead(app, cmd, ctx, "reopen")
    innovation.reopen(ctx, reason=cmd.reason)
    return Change(innovation, innovation.id)


def close(app: LifecycleApplication, cmd: commands.CloseInnovation, ctx: CommandContext) -> Change:
    innovation = lead(app, cmd, ctx, "close an innovation")
    innovation.close(ctx, reason=cmd.reason, learning=cmd.learning)
    return Change(innovation, innovation.id)
