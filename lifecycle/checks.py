"""The kinds of command field that are checked on construction, each once: a command declares a
field as ``title: Title`` and ``Command.__post_init__`` applies the kind's check to it, in the
order the fields are declared (``lifecycle/validation.py`` has the rules and their sources).

A kind is ``Annotated[type, check]``, where ``check(field_name, value)`` answers the value as the
command keeps it (text trimmed, tags folded...) or raises ``ValidationFailed`` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from lifecycle import validation as v

Check = Callable[[str, Any], Any]


@dataclass(frozen=True)
class Text:
    """Text of at most ``limit`` characters; ``multiline`` keeps newlines and tabs (prose:
    descriptions, reasons, comments); ``optional`` lets it be None."""

    limit: int
    multiline: bool = False
    optional: bool = False

    def __call__(self, name: str, value: Any) -> Any:
        if self.optional:
            return v.optional_text(name, value, self.limit, multiline=self.multiline)
        return v.text(name, value, self.limit, multiline=self.multiline)


def _day(name: str, value: date | None) -> date | None:
    return v.optional_day(name, value)


Title = Annotated[str, Text(v.TITLE_MAX)]
Name = Annotated[str, Text(v.NAME_MAX)]
OptionalName = Annotated[str | None, Text(v.NAME_MAX, optional=True)]
ShortProse = Annotated[str, Text(v.SHORT_TEXT_MAX, multiline=True)]
LongProse = Annotated[str, Text(v.LONG_TEXT_MAX, multiline=True)]
OptionalLongProse = Annotated[str | None, Text(v.LONG_TEXT_MAX, multiline=True, optional=True)]
Day = Annotated[date, _day]
OptionalDay = Annotated[date | None, _day]
Tags = Annotated[tuple[str, ...], v.tags]
Money = Annotated[Decimal, v.money]
Subject = Annotated[str, v.subject]
StaffGroup = Annotated[str | None, v.staff_group]
