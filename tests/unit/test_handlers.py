"""The one command -> handler map (``lifecycle/handlers.py``): every command has a handler, and
each handler takes the command it is mapped from."""

from __future__ import annotations

import inspect

import pytest

from lifecycle.command import Command
from lifecycle.commands import (
    AssignOwner,
    InnovationCommand,
    MeasureCommand,
    OrganisationCommand,
    ReasonedCommand,
)
from lifecycle.handlers import HANDLERS
from lifecycle.innovations.handlers import led
from lifecycle.innovations.innovation import Innovation

BASES = {InnovationCommand, MeasureCommand, OrganisationCommand, ReasonedCommand}


def every_command() -> set[type[Command]]:
    found: set[type[Command]] = set()
    todo = [Command]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            found.add(sub)
    return found - BASES


def test_every_command_has_a_handler() -> None:
    assert set(HANDLERS) == every_command()


def test_each_handler_takes_the_command_it_is_mapped_from() -> None:
    for command, handler in HANDLERS.items():
        # (annotations are text, and the application's type is imported only for mypy: the
        # command's annotation alone is resolved, in the handler's module)
        # (a handler made by ``led`` carries its command's class itself)
        annotation = inspect.signature(handler).parameters["cmd"].annotation
        if isinstance(annotation, str):
            annotation = eval(annotation, handler.__globals__)  # noqa: S307
        assert annotation is command, (command, handler)


def test_a_move_whose_arguments_are_not_the_commands_fields_is_refused_when_made() -> None:
    """A handler made by ``led`` passes the command's fields by name: a method taking other
    names is a TypeError as the handler is made, not a failure when a request arrives."""
    with pytest.raises(TypeError, match="AssignOwner"):
        led(AssignOwner, "assign an owner", Innovation.close)
