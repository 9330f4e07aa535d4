"""Handling commands addressed to an innovation: loading it as the caller may see it, the leads'
check, the ids of what a command creates inside it, the handler of a move the leads make with
the command's fields; and the handlers of park, reopen, close."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import UUID, uuid5

from lifecycle import policy
from lifecycle.actor import CommandContext
from lifecycle.aggregate import LifecycleAggregate
from lifecycle.command import Change, Command
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


def arguments(command: type[Command], move: Callable[..., None]) -> tuple[str, ...]:
    """The names of ``command``'s fields but its address: the keyword arguments of ``move``,
    the aggregate's method that carries it out (one name in every layer). Raises TypeError when
    they differ, so that a handler made from the two fails when it is made, not when it runs."""
    names = tuple(f.name for f in dataclasses.fields(command) if f.name != command.address)
    taken = tuple(p.name for p in inspect.signature(move).parameters.values()
                  if p.kind is p.KEYWORD_ONLY)
    if sorted(names) != sorted(taken):
        raise TypeError(f"{move.__qualname__} takes {taken}; {command.__name__} has {names}")
    return names


def led(command: type[commands.InnovationCommand], doing: str, move: Callable[..., None]
        ) -> Callable[[LifecycleApplication, commands.InnovationCommand, CommandContext], Change]:
    """The handler of ``command``, a move its owning organisation's leads make on the
    innovation: ``lead`` (refusing anyone else, naming ``doing``), then ``move`` (an
    ``Innovation`` method) with the command's fields as its keyword arguments (``arguments``).
    The command → handler map (``lifecycle/handlers.py``) names what this makes like any other
    handler."""
    names = arguments(command, move)

    def handle(app: LifecycleApplication, cmd: commands.InnovationCommand,
               ctx: CommandContext) -> Change:
        innovation = lead(app, cmd, ctx, doing)
        move(innovation, ctx, **{name: getattr(cmd, name) for name in names})
        return Change(innovation, innovation.id)

    handle.__annotations__ = {**handle.__annotations__, "cmd": command}
    return handle


park = led(commands.ParkInnovation, "park", Innovation.park)
reopen = led(commands.ReopenInnovation, "reopen", Innovation.reopen)
close = led(commands.CloseInnovation, "close an innovation", Innovation.close)
