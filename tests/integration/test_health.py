"""``/healthz`` fails when the process can no longer serve, and only then."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from starlette.requests import Request

from lifecycle.service.service import LifecycleService
from lifecycle.service.supervisor import Supervised
from lifecycle.store.database import Database
from projections.engine.watcher import Watcher
from schema.reads import Reads
from schema.server.health import healthz


@pytest.fixture
async def parts(db: Database) -> AsyncIterator[tuple[LifecycleService, Reads]]:
    service = await anyio.to_thread.run_sync(LifecycleService.connect, db, 2)
    reads = await Reads.open(db.url, Watcher(db.url), 2)
    yield service, reads
    await reads.close()
    service.close()


async def health(service: LifecycleService, reads: Reads,
                 workers: list[Supervised]) -> tuple[int, dict[str, Any]]:
    request = Request({"type": "http", "method": "GET", "path": "/healthz", "headers": [],
                       "state": {"service": service, "reads": reads, "workers": workers}})
    response = await healthz(request)
    return response.status_code, json.loads(bytes(response.body))


async def test_healthz_is_ok_while_workers_retry_and_fails_when_one_is_dead(
        parts: tuple[LifecycleService, Reads]) -> None:
    service, reads = parts
    retrying = Supervised("projector", state="retrying", last_error="OSError: refused")
    assert await health(service, reads, [retrying]) == (
        200, {"status": "ok", "workers": {"projector": "retrying"}})
    dead = Supervised("projection watcher", state="dead", last_error="SystemError: bug")
    status, body = await health(service, reads, [retrying, dead])
    assert status == 503
    assert body["problems"] == ["projection watcher is dead (SystemError: bug)"]


async def test_healthz_fails_when_a_pool_requests_use_is_closed(
        parts: tuple[LifecycleService, Reads]) -> None:
    service, reads = parts
    await reads.close()
    status, body = await health(service, reads, [])
    assert status == 503
    assert body["problems"] == ["the read pool is closed"]
    service.close()
    status, body = await health(service, reads, [])
    assert body["problems"] == ["the event store's connection pool is closed",
                                "the read pool is closed"]
