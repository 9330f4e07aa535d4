"""Supervised workers: a failing worker is logged and retried with growing, jittered delays,
forever, and nothing it raises reaches whatever runs beside it."""

from __future__ import annotations

import logging
import re

import anyio
import pytest

from lifecycle.service.supervisor import Backoff, Supervised, supervise

QUICK = Backoff(initial=0.001, maximum=0.01, jitter=0.001, settled=60)


async def test_failing_worker_is_retried_with_each_attempt_logged_until_it_returns(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="lifecycle.service.supervisor")
    calls = 0

    async def work() -> None:
        nonlocal calls
        calls += 1
        if calls < 5:
            raise ConnectionError(f"lost it ({calls})")

    health = Supervised("worker")
    await supervise("worker", work, QUICK, health)
    assert calls == 5
    assert health.state == "stopped"
    assert [int(n) for n in re.findall(r"failed \(attempt (\d+)\)", caplog.text)] == [1, 2, 3, 4]
    assert "ConnectionError: lost it (4)" in caplog.text


async def test_delays_grow_exponentially_up_to_the_maximum_with_jitter(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="lifecycle.service.supervisor")
    backoff = Backoff(initial=0.001, maximum=0.004, jitter=0.0005, settled=60)
    calls = 0

    async def work() -> None:
        nonlocal calls
        calls += 1
        if calls <= 6:
            raise OSError("refused")

    await supervise("worker", work, backoff)
    delays = [float(d) for d in re.findall(r"retrying in ([0-9.]+) s", caplog.text)]
    expected = [min(0.001 * 2 ** n, 0.004) for n in range(6)]
    assert len(delays) == 6
    for delay, base in zip(delays, expected, strict=True):  # as logged, to 2 decimals
        assert base - 0.005 <= delay <= base + 0.0005 + 0.005


async def test_worker_that_never_recovers_never_stops_what_runs_beside_it() -> None:
    attempts = 0
    beside_finished = False
    many = anyio.Event()

    async def broken() -> None:
        nonlocal attempts
        attempts += 1
        if attempts == 20:
            many.set()
        raise RuntimeError("an event type nobody knows")

    health = Supervised("broken")
    async with anyio.create_task_group() as group:
        group.start_soon(supervise, "broken", broken, QUICK, health)
        with anyio.fail_after(60):
            await many.wait()  # retried again and again, forever
        beside_finished = True
        assert health.state in ("running", "retrying")
        assert health.alive
        group.cancel_scope.cancel()
    assert beside_finished
    assert health.state == "stopped"  # cancelled by its owner: stopped, not dead


async def test_stop_ends_a_worker_that_is_failing_instead_of_retrying_it() -> None:
    stop = anyio.Event()
    attempts = 0

    async def failing() -> None:
        nonlocal attempts
        attempts += 1
        if attempts == 3:
            stop.set()
        raise OSError("the database is away")

    health = Supervised("failing")
    with anyio.fail_after(60):
        await supervise("failing", failing, QUICK, health, stop=stop)
    assert attempts == 3
    assert health.state == "stopped"


async def test_a_worker_that_ran_long_enough_restarts_with_a_fresh_backoff(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="lifecycle.service.supervisor")
    settled = Backoff(initial=0.001, maximum=0.01, jitter=0.001, settled=0.02)
    calls = 0

    async def work() -> None:
        nonlocal calls
        calls += 1
        if calls <= 2:
            await anyio.sleep(0.05)  # longer than ``settled``: it had recovered
            raise ConnectionError("dropped after a good run")

    await supervise("worker", work, settled)
    assert caplog.text.count("failed after running for a while") == 2
    assert "attempt 2" not in caplog.text  # each failure began a new sequence
