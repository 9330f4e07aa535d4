"""``lifecycle serve`` sets its process's garbage collector for a heap of many long-lived
connections (``lifecycle/service/heap.py``): a full collection over 2,000 subscribers' objects
stopped delivery for over a second, the subscriptions bench's p99."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from lifecycle.service import console, heap
from lifecycle.service.settings import Settings


@pytest.fixture
def collector() -> Iterator[None]:
    """This test process's collector as it was, restored after (``serve`` changes it)."""
    thresholds = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_serve_freezes_its_startup_heap_and_collects_young_objects_less_often(
        collector: None, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def run(app: object, **options: object) -> None:  # uvicorn's, as serve calls it
        seen["threshold"] = gc.get_threshold()[0]
        seen["frozen"] = gc.get_freeze_count()

    monkeypatch.setattr("uvicorn.run", run)
    monkeypatch.setattr("lifecycle.cli._settings", lambda: Settings(
        database_url="postgresql://lifecycle@127.0.0.1:1/lifecycle"))
    monkeypatch.setattr("lifecycle.store.migrate.pending", lambda dsn: [])
    monkeypatch.setattr("schema.server.app.create_app", lambda settings, db: object())
    gc.unfreeze()
    console.serve(host="127.0.0.1", port=1)
    assert seen["threshold"] == heap.YOUNG_THRESHOLD
    assert seen["frozen"] > 0
