"""The response cache: keys per caller and body, a lifetime, a bound, and one computation for
identical requests that miss at the same time."""

from __future__ import annotations

import anyio
import pytest

from schema.server.cache import MAX_BODY, ResponseCache


def test_off_by_default_it_keys_nothing() -> None:
    cache = ResponseCache(0)
    assert cache.key("caller", b"{}") is None
    cache.put(cache.key("caller", b"{}"), b"answer")
    assert cache.get(cache.key("caller", b"{}")) is None


def test_anonymous_callers_and_large_bodies_are_not_cached() -> None:
    cache = ResponseCache(10)
    assert cache.key(None, b"{}") is None
    assert cache.key("caller", b"x" * (MAX_BODY + 1)) is None


def test_an_answer_is_kept_per_caller_for_its_lifetime(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr("schema.server.cache.time.monotonic", lambda: now[0])
    cache = ResponseCache(5)
    cache.put(cache.key("ann", b"q"), b"for ann")
    assert cache.get(cache.key("ann", b"q")) == b"for ann"
    assert cache.get(cache.key("bob", b"q")) is None
    now[0] += 5
    assert cache.get(cache.key("ann", b"q")) is None


def test_it_is_bounded_in_bytes_least_recently_used_out_first() -> None:
    cache = ResponseCache(10, max_bytes=80_000)
    answer = b"x" * 4_000  # with its key and bookkeeping, over 4,000 bytes held
    for n in range(40):
        cache.put(cache.key("ann", str(n).encode()), answer)
    kept = [n for n in range(40) if cache.get(cache.key("ann", str(n).encode())) is not None]
    assert kept == list(range(40 - len(kept), 40))  # the newest, oldest out first
    assert 10 <= len(kept) < 20
    assert cache._store.held <= 80_000


async def test_identical_misses_at_once_are_computed_once() -> None:
    cache = ResponseCache(10)
    key = cache.key("ann", b"q")
    computed = 0
    answers: list[bytes] = []

    async def request() -> None:
        nonlocal computed
        found = await cache.lookup(key)
        if found is None:
            try:
                computed += 1
                await anyio.sleep(0.05)
                cache.put(key, b"answer")
                found = b"answer"
            finally:
                cache.done(key)
        answers.append(found)

    async with anyio.create_task_group() as group:
        for _ in range(5):
            group.start_soon(request)
    assert computed == 1
    assert answers == [b"answer"] * 5


async def test_when_the_leader_keeps_nothing_the_next_waiter_leads() -> None:
    cache = ResponseCache(10)
    key = cache.key("ann", b"q")
    assert await cache.lookup(key) is None  # leads, and will store nothing
    follower: list[bytes | None] = []

    async def follow() -> None:
        follower.append(await cache.lookup(key))

    async with anyio.create_task_group() as group:
        group.start_soon(follow)
        await anyio.sleep(0.01)
        assert follower == []  # still waiting for the leader
        cache.done(key)
    assert follower == [None]  # it now leads
