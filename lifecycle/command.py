"""What every command is: what a person asks the system to do, in the imperative, as a plain
frozen value validated on construction; and what handling one gives back (``Change``).

A command that constructs has well-formed input; whether the domain allows it is the aggregate's
question. ``fingerprint()`` identifies the request for idempotency.
"""

from __future__ import annotations

import dataclasses
import hashlib
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

import orjson
from psycopg import Cursor

from lifecycle.actor import CommandContext
from lifecycle.aggregate import LifecycleAggregate
from lifecycle.checks import Check
from lifecycle.governance.authority import Thresholds

if TYPE_CHECKING:
    from lifecycle.application import LifecycleApplication


@typing.dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
@dataclass(frozen=True)
class Command:
    """A command: a frozen dataclass whose fields are its class's annotations, as every
    subclass is made too (``__init_subclass__``), without a decorator of its own."""

    # The field naming the existing aggregate the command changes (None: it creates one).
    address: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclass(frozen=True)(cls)

    @property
    def addressed(self) -> UUID | None:
        """The existing aggregate this command changes, or None when it creates one."""
        return None if self.address is None else getattr(self, self.address)

    def __post_init__(self) -> None:
        """Checks every field declared with a kind of ``lifecycle/checks.py``, in declaration
        order, keeping what the check answers; raises ``ValidationFailed`` naming the first
        field refused. A command with checks across fields extends this."""
        for name, check in _checks(type(self)):
            self._set(name, check(name, getattr(self, name)))

    def _set(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def fingerprint(self) -> str:
        """A digest of the command's name and every field: equal requests, equal digests."""
        payload = {"command": type(self).__name__, **dataclasses.asdict(self)}
        raw = orjson.dumps(payload, default=_plain, option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(raw).hexdigest()


_CHECKS: dict[type[Command], tuple[tuple[str, Check], ...]] = {}


def _checks(command: type[Command]) -> tuple[tuple[str, Check], ...]:
    """The fields of ``command`` declared with a checked kind, and their checks."""
    found = _CHECKS.get(command)
    if found is None:
        hints = typing.get_type_hints(command, include_extras=True)
        found = _CHECKS[command] = tuple(
            (f.name, check) for f in dataclasses.fields(command)
            for check in getattr(hints[f.name], "__metadata__", ())[:1] if callable(check))
    return found


def _plain(value: object) -> object:
    if isinstance(value, Decimal | UUID | date):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset | set | tuple):
        return sorted(map(str, value))
    if isinstance(value, Thresholds):
        return value.to_record()
    raise TypeError(type(value))


@dataclass
class Change:
    """What a handler did: the aggregate it changed (its new events pending) and the id of what
    the command created (the aggregate, a prototype, a decision...); and what else must be done
    in the transaction that stores the events, if anything (erasing a person deletes their key
    there, so that the event and the forgetting are stored together or not at all)."""

    aggregate: LifecycleAggregate
    created_id: UUID
    alongside: Callable[[Cursor[Any]], None] | None = None


Handler = Callable[["LifecycleApplication", Any, CommandContext], Change]
"""Carries out one type of command: loads what it addresses, asks the policy, lets the aggregate
decide (``lifecycle/handlers.py`` maps each command to its own)."""
