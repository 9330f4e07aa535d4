"""What a projection is: named tables it owns, and how a batch of events changes them.

A projection folds a whole batch at once: it reads the rows the batch touches, changes them in
memory, and writes them back in bulk. The runner calls ``apply`` inside the transaction that also
advances the projection's position, so rows and position always change together.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

import asyncpg

from projections.engine.log import Recorded


class Tables(Mapping[str, str]):
    """The physical name of each of a projection's tables: the live ones, or a rebuild's."""

    def __init__(self, names: Sequence[str], suffix: str = "") -> None:
        self._names = {name: name + suffix for name in names}

    def __getitem__(self, name: str) -> str:
        return self._names[name]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class Projection(ABC):
    #: stable name, used for its position row and its NOTIFY payloads
    name: str
    #: the tables it owns (created from ``ddl``; rebuilt and swapped together)
    tables: Sequence[str]
    #: its tables' declaration: the CREATE statements of their current shape, each name it owns
    #: written ``{name}`` (``projections.engine.shape``), usually its package's ``tables.sql``
    ddl: str = ""
    #: the declaration's version: bumped with every change of shape, so that ``lifecycle
    #: migrate`` (or the projector at start) rebuilds it (``projections.engine.upgrade``)
    version: int = 1

    @abstractmethod
    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        """Fold ``batch`` (in log order) into the tables named by ``t``."""

    def may_fold(self, topic: str) -> bool:
        """Whether an event stored under ``topic`` may be one this read model must fold. Asked
        only of events this version cannot decode (a newer writer's type): a read model that
        cannot tell stops there rather than skip what it may need; one that lists the only
        events it folds (``events``, see ``projections.engine.rebuild.Selective``) can tell."""
        events: tuple[type, ...] | None = getattr(self, "events", None)
        if events is None:
            return True
        return topic in {e.TOPIC for e in events}  # type: ignore[attr-defined]

    async def settle(self, conn: asyncpg.Connection, t: Tables) -> None:  # noqa: B027
        """Finish work that ``apply`` may defer across batches (derived rows that depend only
        on the final state, e.g. statistics). Called in the same transaction as the last
        ``apply``: after every live batch, and once at the end of a rebuild."""
