"""Read-your-writes waits for every read model a query reads, not only the first."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from projections.engine.watcher import Watcher
from schema.reads import NotYetConsistent, Reads


def reads(wait_seconds: float) -> Reads:
    pool: Any = None  # no statement is run: only the watcher's positions are asked
    return Reads(pool, Watcher("postgresql://unused"), wait_seconds)


async def test_a_read_of_several_read_models_waits_until_the_last_has_the_position() -> None:
    r = reads(wait_seconds=60)
    r.watcher._advance("innovations", 10)
    waiting = asyncio.ensure_future(r.consistent_with(("innovations", "directory"), 10))
    for _ in range(5):  # let it run as far as it can
        await asyncio.sleep(0)
    assert not waiting.done()  # the directory is still behind

    r.watcher._advance("directory", 12)

    await asyncio.wait_for(waiting, 60)


async def test_a_read_model_behind_is_named_when_it_does_not_get_there() -> None:
    r = reads(wait_seconds=0)
    r.watcher._advance("innovations", 10)
    with pytest.raises(NotYetConsistent, match="the directory read model"):
        await r.consistent_with(("innovations", "directory"), 10)


async def test_no_position_waits_for_nothing() -> None:
    await reads(wait_seconds=0).consistent_with(("innovations", "directory"), None)
