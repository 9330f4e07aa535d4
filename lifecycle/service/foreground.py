"""A supervised worker as the whole of a process: ``lifecycle project``, ``lifecycle deliver``
and ``lifecycle chain`` each run one until the process is asked to stop."""

from __future__ import annotations

import signal
from collections.abc import Awaitable, Callable

import anyio

from lifecycle.service.supervisor import supervise

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)  # what a service manager or a terminal sends


def run_until_signalled(name: str, work: Callable[[anyio.Event], Awaitable[None]]) -> None:
    """Run ``work(stop)`` under ``supervise`` (every failure logged and retried with backoff,
    forever) until SIGTERM or SIGINT sets ``stop``; return once ``work`` has returned.

    ``name`` names the worker in the supervisor's log lines. Blocks the calling thread (it runs
    its own event loop), which must be the main thread: only it receives signals."""

    async def main() -> None:
        stop = anyio.Event()
        with anyio.open_signal_receiver(*STOP_SIGNALS) as signals:
            async with anyio.create_task_group() as group:
                async def on_signal() -> None:
                    async for _ in signals:
                        stop.set()
                        return

                group.start_soon(on_signal)
                await supervise(name, lambda: work(stop), stop=stop)
                group.cancel_scope.cancel()

    anyio.run(main)
