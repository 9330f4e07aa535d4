"""Per-request DataLoaders: every field that needs a related row asks its loader, and each loader
answers all the keys asked in one tick with one query, so no query costs a round trip per row."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from uuid import UUID

import asyncpg
from strawberry.dataloader import DataLoader

from projections.directory import queries as directory
from projections.improvement import queries as m
from projections.innovations import queries as q
from projections.innovations import records

Fetch = Callable[[asyncpg.Connection, list[UUID]], Awaitable[dict[UUID, Any]]]
# A page of an innovation's records: (innovation id, how many rows, after which position).
PageKey = tuple[UUID, int, int | None]


def _loader(pool: asyncpg.Pool, fetch: Fetch) -> DataLoader[UUID, Any]:
    async def load(keys: Sequence[UUID]) -> list[Any]:
        async with pool.acquire() as conn:
            found = await fetch(conn, list(keys))
        return [found.get(k) for k in keys]
    return DataLoader(load_fn=load)


def _built(fetch: Fetch, build: Callable[[Any], Any]) -> Fetch:
    """``fetch``, answering the GraphQL object built once per key rather than the row."""
    async def built(conn: asyncpg.Connection, keys: list[UUID]) -> dict[UUID, Any]:
        return {k: build(row) for k, row in (await fetch(conn, keys)).items()}
    return built


class Loaders:
    def __init__(self, pool: asyncpg.Pool) -> None:
        # Imported here: the GraphQL types import this module's users.
        from schema.directory.types import organisation_from_row

        self.pool = pool
        self.organisation = _loader(pool, _built(q.organisations_by_id, organisation_from_row))
        self._verdicts: dict[tuple[UUID, ...], DataLoader[UUID, Any]] = {}
        self._records: dict[tuple[str, tuple[UUID, ...], str | None],
                            DataLoader[PageKey, list[Any]]] = {}
        self.points = _loader(pool, m.points_of)
        self.signals = _loader(pool, m.signals_of)
        self.phases = _loader(pool, m.phases_of)
        self.corrections = _loader(pool, m.corrections_of)
        self.targets = _loader(pool, m.targets_of)
        self.threshold_changes = _loader(pool, directory.threshold_changes_of)

    def latest_verdict(self, viewer: tuple[UUID, ...]) -> DataLoader[UUID, Any]:
        """Innovations' latest verdicts as ``viewer``'s organisations see them (``Actor.
        viewers``; a summary shows none), one loader per viewer (a request has one)."""
        loader = self._verdicts.get(viewer)
        if loader is None:
            from schema.innovations.types import verdict_from_row

            async def fetch(conn: asyncpg.Connection, keys: list[UUID]) -> dict[UUID, Any]:
                return await q.latest_verdicts(conn, viewer, keys)

            loader = self._verdicts[viewer] = _loader(self.pool, _built(fetch, verdict_from_row))
        return loader

    def records(self, table: str, viewer: tuple[UUID, ...], concerning: str | None = None,
                ) -> DataLoader[PageKey, list[Any]]:
        """Pages of innovations' records in ``table`` (``projections/innovations/records``) as
        ``viewer``'s organisations see them (``Actor.viewers``; ``concerning``: as
        ``records.pages`` says): the pages asked in one tick with the same size and start (a
        list of innovations asking each for its first page) in one statement."""
        loader = self._records.get((table, viewer, concerning))
        if loader is None:
            async def load(keys: Sequence[PageKey]) -> list[list[Any]]:
                groups: dict[tuple[int, int | None], list[UUID]] = {}
                for ident, first, after in keys:
                    groups.setdefault((first, after), []).append(ident)
                found: dict[PageKey, list[Any]] = {}
                async with self.pool.acquire() as conn:
                    for (first, after), idents in groups.items():
                        pages = await records.pages(conn, viewer, table, idents, after=after,
                                                    first=first, concerning=concerning)
                        found.update({(i, first, after): pages.get(i, []) for i in idents})
                return [found[k] for k in keys]

            loader = self._records[(table, viewer, concerning)] = DataLoader(load_fn=load)
        return loader
