"""Handling commands addressed to an innovation: loading it as the caller may see it, the leads'
check, the ids of what a command creates inside it, the handler of a reasoned move the leads
make; and the handlers of park, reopen, close."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol
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


class Move(Protocol):
    """An innovation's method for a move that only needs its reason (``Innovation.accept``)."""

    def __call__(self, innovation: Innovation, ctx: CommandContext, /, *, reason: str) -> None:
        ...


def reasoned(command: type[commands.ReasonedCommand], doing: str, move: Move
             ) -> Callable[[LifecycleApplication, commands.ReasonedCommand, CommandContext],
                           Change]:
    """The handler of ``command``, a move its owning organisation's leads make on the
    innovation, saying why: ``lead`` (refusing anyone else, naming ``doing``), then ``move``
    with the command's reason. The command → handler map (``lifecycle/handlers.py``) names
    what this makes like any other handler."""

    def handle(app: LifecycleApplication, cmd: commands.ReasonedCommand,
               ctx: CommandContext) -> Change:
        innovation = lead(app, cmd, ctx, doing)
        move(innovation, ctx, reason=cmd.reason)
        return Change(innovation, innovation.id)

    handle.__annotations__ = {**handle.__annotations__, "cmd": command}
    return handle


park = reasoned(commands.ParkInnovation, "park", Innovation.park)
reopen = reasoned(commands.ReopenInnovation, "reopen", Innovation.reopen)


def close(app: LifecycleApplication, cmd: commands.CloseInnovation, ctx: CommandContext) -> Change:
    innovation = lead(app, cmd, ctx, "close an innovation")
    innovation.close(ctx, reason=cmd.reason, learning=cmd.learning)
    return Change(innovation, innovation.id)
