"""Checks on a request's variables that run before graphql-core coerces them.

graphql-core coerces variables (and strawberry then converts the coerced values to input
objects) on the event loop, in time linear in the values but at several microseconds each:
20,000 observations held the loop for seconds. So, before execution, and cheapest first:

1. an anonymous caller is refused (``UNAUTHENTICATED``) when the operation asks for any field
   but introspection: every other root field needs a caller, and the endpoint knows the
   caller before executing;
2. the variables are walked once, without recursion, and refused (``VARIABLES_TOO_LARGE``,
   naming the variable) when a list is longer than ``MAX_LIST`` or the values altogether are
   more than ``MAX_VALUES``. The walk stops at the first value over a limit, so it costs at most
   ``MAX_VALUES`` steps whatever was sent.

The limits come from the product's largest legitimate input: ``recordObservations`` takes up
to ``lifecycle.improvement.measure.MAX_BATCH`` (5,000) observations of at most four fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from lifecycle.improvement.measure import MAX_BATCH
from schema.documents.limits import fragments_of

VARIABLES_TOO_LARGE = "VARIABLES_TOO_LARGE"
MAX_LIST = MAX_BATCH
# An observation is an object and up to four values; the rest of any input is far smaller.
MAX_VALUES = MAX_BATCH * 5 + 1000


def operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    """The operation a request runs (None when the name picks none; graphql-core says why)."""
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
                name is None or (definition.name and definition.name.value == name)):
            return definition
    return None


def only_introspection(document: DocumentNode, chosen: OperationDefinitionNode) -> bool:
    """Whether every root field the operation selects (through fragments too) is an
    introspection field (``__typename``, ``__schema``, ``__type``), which need no caller."""
    fragments = fragments_of(document)
    pending: list[SelectionSetNode] = [chosen.selection_set]
    seen: set[str] = set()
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                if not selection.name.value.startswith("__"):
                    return False
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in seen and name in fragments:
                    seen.add(name)
                    pending.append(fragments[name].selection_set)
    return True


def too_large(variables: Mapping[str, Any] | None) -> GraphQLError | None:
    """The refusal of variables over the limits (module docstring), or None."""
    count = 0
    for name, value in (variables or {}).items():
        pending = [value]
        while pending:
            item = pending.pop()
            count += 1
            if isinstance(item, list):
                if len(item) > MAX_LIST:
                    return _refusal(name, f"holds a list of {len(item)} values; the limit is "
                                          f"{MAX_LIST}")
                pending.extend(item)
            elif isinstance(item, dict):
                pending.extend(item.values())
            if count > MAX_VALUES:
                return _refusal(name, f"brings the request's values over the limit of "
                                      f"{MAX_VALUES}")
    return None


def _refusal(name: str, why: str) -> GraphQLError:
    return GraphQLError(f"Variable '${name}' {why}.", extensions={
        "code": VARIABLES_TOO_LARGE, "variable": name, "maxList": MAX_LIST,
        "maxValues": MAX_VALUES})
