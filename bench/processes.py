"""The benchmarks' servers and load as processes of their own, pinned to the first core, each
stopped when its block ends."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx

# Generous: on a loaded machine a server took over a minute to start.
START_SECONDS = 180


@contextmanager
def process(args: list[str], env: dict[str, str],
            ready: Callable[[], bool] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """``args`` running on core 0 with ``env``; entered once ``ready()`` (if given) is true,
    checked every 0.2 s, an HTTP error counting as not yet. Raises ``RuntimeError`` if the
    process exits first or ``START_SECONDS`` pass. Terminated (killed after 20 s) on exit."""
    proc = subprocess.Popen(["taskset", "-c", "0", *args], env=env)
    try:
        deadline = time.monotonic() + START_SECONDS
        while ready is not None:
            try:
                if ready():
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{args} did not start")
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
