"""A worker run as the whole of a process (``lifecycle project``, ``deliver``, ``chain``) is
supervised until SIGTERM or SIGINT, and then stops cleanly."""

from __future__ import annotations

import os
import signal

import anyio
import pytest

from lifecycle.service.foreground import run_until_signalled


@pytest.mark.parametrize("signalled", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_stops_the_worker_and_returns(signalled: signal.Signals) -> None:
    seen: list[bool] = []

    async def work(stop: anyio.Event) -> None:
        os.kill(os.getpid(), signalled)
        await stop.wait()
        seen.append(stop.is_set())

    run_until_signalled("worker", work)
    assert seen == [True]


def test_a_failing_worker_is_started_again_until_the_signal(
        caplog: pytest.LogCaptureFixture) -> None:
    attempts = 0

    async def work(stop: anyio.Event) -> None:
        nonlocal attempts
        attempts += 1
        if attempts < 3:
            raise ConnectionError(f"lost it ({attempts})")
        os.kill(os.getpid(), signal.SIGTERM)
        await stop.wait()

    run_until_signalled("worker", work)
    assert attempts == 3
    assert "worker failed (attempt 2): ConnectionError: lost it (2)" in caplog.text
