"""Each live event executed once per group of subscribers that asked the same, its result shared.

graphql-core executes a subscription's document once per event per subscriber. When an event
reaches the 200 subscribers of one organisation that all asked for the same, that is 200
identical executions (each a pass through the executor, and for fields such as ``innovation``
a read of the read model), which is what made delivery to many subscribers slow.

- ``group_key`` names what decides the result of executing one event for a subscriber: the
  root field as asked (name, alias, arguments and everything selected under it, fragments
  and directives included, with variables' values put in: strawberry's ``selected_fields``),
  the operation's variables, and the caller's visibility scope (organisation, roles, staff
  group: everything of the caller but the person, which no field a subscription reaches
  depends on). The root field's ``after`` argument is left out (it decides the replay, never
  the execution of an event), and so is its variable when ``after`` is the only use of it.
  Subscribers with equal keys form one group in the feed (``projections/partners/feed.py``),
  which hands each live event to all of them as one ``Shared`` object.
- ``SharedEvents``, mixed into the schema's executor, executes such an event once: the first
  member to reach it runs the execution as a task of its own (a member that goes away does
  not cancel it for the others) and the others await the same result. Each member still has
  its own bounded queue and its own place in the stream, so backpressure (``FELL_BEHIND``)
  stays per subscriber; and a member only ever receives what its group's organisation sees at
  the event's position (the feed's rule), executed for the same scope.
- A replayed event (``after``) is a ``Shared`` object of one subscriber alone.
- What strawberry does with the shared result (masking, the ``next`` message and its JSON) is
  done once per group too: ``schema/partners/frames.py``.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from collections.abc import Hashable
from dataclasses import dataclass, replace
from typing import Any

import strawberry
from graphql import ExecutionResult
from strawberry.types.nodes import SelectedField

from projections.partners.feed import Shared
from schema.context import Context

AFTER = "after"  # the root fields' argument that decides the replay


@dataclass(frozen=True)
class Delivered:
    """What a subscription's source stream yields: the message (the root field's value) and
    the shared event it was made from."""

    message: object
    shared: Shared


def group_key(info: strawberry.Info[Context, None]) -> Hashable:
    """The key of the group a subscription joins (see the module docstring): a tuple of
    strings and the caller's organisation."""
    root = next(s for s in info.selected_fields if isinstance(s, SelectedField))
    asked = replace(root, arguments={name: value for name, value in root.arguments.items()
                                     if name != AFTER})
    variables = dict(info.variable_values)
    unused = _after_variable(info)
    if unused is not None:
        variables.pop(unused, None)
    actor = info.context.actor
    return (repr(asked), json.dumps(variables, sort_keys=True, default=repr),
            actor.organisation, ",".join(sorted(actor.roles)), actor.staff_group or "")


def _after_variable(info: strawberry.Info[Context, None]) -> str | None:
    """The variable given to the root field's ``after``, if the document uses it nowhere else
    (it then decides nothing but the replay). None when unsure (no document text)."""
    query = info.query
    node = next(iter(info.operation.selection_set.selections), None)
    for argument in getattr(node, "arguments", None) or ():
        if argument.name.value == AFTER and argument.value.kind == "variable":
            name: str = argument.value.name.value
            # its definition and this use; a comment or string naming it keeps it in the key
            uses = re.findall(rf"\${re.escape(name)}(?![_0-9A-Za-z])", query or "")
            return name if query is not None and len(uses) == 2 else None
    return None


class SharedEvents:
    """Mixed in before an executor class (graphql-core's ``Executor``): a ``Delivered`` root
    value is executed once per ``Shared`` event (``execute_operation`` is graphql-core's
    documented per-event step, ``execute_subscription_event``)."""

    root_value: Any

    def build_per_event_executor(self, payload: Any) -> Any:
        # An event its group has already executed needs no executor of its own (graphql-core
        # copies the executor for each event): only the shared result.
        if isinstance(payload, Delivered) and payload.shared.outcome is not None:
            return Executed(payload.shared.outcome)
        return super().build_per_event_executor(payload)  # type: ignore[misc]

    def execute_operation(self, serially: bool | None = None) -> Any:
        payload = self.root_value
        if not isinstance(payload, Delivered):
            return super().execute_operation(serially)  # type: ignore[misc]
        shared = payload.shared
        if shared.outcome is None:
            self.root_value = payload.message
            shared.outcome = asyncio.ensure_future(self._execute(serially))
        return _result(shared.outcome)

    async def _execute(self, serially: bool | None) -> ExecutionResult:
        result = super().execute_operation(serially)  # type: ignore[misc]
        if inspect.isawaitable(result):
            result = await result
        assert isinstance(result, ExecutionResult)
        return result


@dataclass(frozen=True)
class Executed:
    """Stands in for the per-event executor of an event its group has executed."""

    outcome: asyncio.Future[ExecutionResult]

    def execute_operation(self, serially: bool | None = None) -> Any:
        return _result(self.outcome)


async def _result(outcome: asyncio.Future[ExecutionResult]) -> ExecutionResult:
    # shielded: one member going away does not cancel the execution its group shares
    done = await asyncio.shield(outcome)
    # a result of its own for each member: strawberry's error handling may replace its errors
    return ExecutionResult(done.data, list(done.errors) if done.errors else None,
                           done.extensions)


_CLASSES: dict[type, type] = {}


def sharing(executor: type) -> type:
    """``executor`` with ``SharedEvents`` mixed in (one class per executor class)."""
    found = _CLASSES.get(executor)
    if found is None:
        found = _CLASSES[executor] = type(f"Shared{executor.__name__}",
                                          (SharedEvents, executor), {})
    return found
