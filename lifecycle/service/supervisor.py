"""Background workers that cannot take the service down with them.

A worker (the projector, the projection watcher, and later webhook delivery or audit chaining)
is an async callable that runs until it is asked to stop, and raises when it loses what it works
on: a connection, a lock, a listener. ``supervise`` runs it forever: every failure is logged and
the worker is started again after an exponential, jittered backoff (tenacity's), so that many
processes losing one database do not all come back at the same instant. Nothing a worker raises
(``Exception``) ever leaves ``supervise``: whatever requests use stays open.

A worker that ran for ``Backoff.settled`` seconds before failing had recovered: its next
attempt starts a new backoff sequence from ``Backoff.initial``, rather than carrying on from
where an earlier outage left the delay.

Each worker has a ``Supervised`` record of how it is doing, which health checks read: a worker
is ``running`` (an attempt under way), ``retrying`` (waiting before the next attempt),
``stopped`` (it returned: asked to stop) or ``dead`` (its supervisor ended without being asked
to: a bug, never a database outage).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

import anyio
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    retry_if_exception_type,
    retry_if_not_exception_type,
    wait_exponential_jitter,
)

log = logging.getLogger(__name__)

State = Literal["starting", "running", "retrying", "stopped", "dead"]


@dataclass(frozen=True)
class Backoff:
    """Seconds between attempts: ``initial`` doubling up to ``maximum``, each plus a random
    ``jitter`` in [0, jitter)."""

    initial: float = 0.05
    maximum: float = 2.0
    jitter: float = 0.25
    settled: float = 10.0


@dataclass
class Supervised:
    """How one supervised worker is doing (read by ``/healthz``, ``/readyz`` and logs)."""

    name: str
    state: State = "starting"
    attempts: int = 0  # consecutive failed attempts in the current backoff sequence
    last_error: str | None = None
    stopped: anyio.Event = field(default_factory=anyio.Event)

    @property
    def alive(self) -> bool:
        """False only when the worker can no longer come back by itself."""
        return self.state != "dead"


class _Recovered(Exception):
    """The attempt ran long enough to have recovered before failing: start a new sequence."""


async def supervise(name: str, work: Callable[[], Awaitable[None]],
                    backoff: Backoff = Backoff(), health: Supervised | None = None,
                    stop: anyio.Event | None = None) -> None:
    """Run ``work`` until it returns, starting it again after each failure, forever.

    ``work`` returns only when it was asked to stop (it watches ``stop`` itself, or is
    cancelled); any ``Exception`` it raises is logged (with the attempt number and the delay
    before the next one) and retried, until ``stop`` is set: then the supervisor returns rather
    than retry, and a backoff under way is cut short. Cancellation and ``BaseException`` pass
    through. ``health`` (made here if not given) follows the worker.
    """
    health = health or Supervised(name)
    stop = stop or anyio.Event()
    try:
        while not stop.is_set():
            try:
                await _sequence(health, work, backoff, stop)
                break
            except _Recovered as recovered:
                log.warning("%s failed after running for a while (%s); starting it again",
                            name, recovered.__cause__)
            except Exception:
                if not stop.is_set():
                    raise
                log.info("%s stopped while failing", name)
        health.state = "stopped"
    except anyio.get_cancelled_exc_class():
        health.state = "stopped"  # its owner is shutting down
        raise
    except Exception:  # a fault of the supervision itself: report it, never propagate it
        health.state = "dead"
        log.exception("the supervisor of %s failed; it will not be restarted", name)
    except BaseException:
        health.state = "dead"
        raise
    finally:
        health.stopped.set()


async def _sequence(health: Supervised, work: Callable[[], Awaitable[None]],
                    backoff: Backoff, stop: anyio.Event) -> None:
    """One backoff sequence: attempts until ``work`` returns or recovers before failing."""

    def before_sleep(state: RetryCallState) -> None:
        health.state = "retrying"
        health.attempts = state.attempt_number
        error = state.outcome.exception() if state.outcome else None
        health.last_error = f"{type(error).__name__}: {error}"
        delay = state.upcoming_sleep
        # The first failure of a sequence carries its traceback; the retries only a line each.
        log.warning("%s failed (attempt %d): %s; retrying in %.2f s", health.name,
                    state.attempt_number, health.last_error, delay,
                    exc_info=error if state.attempt_number == 1 else None)

    async def sleep(seconds: float) -> None:
        with anyio.move_on_after(seconds):
            await stop.wait()

    retrying = AsyncRetrying(
        sleep=sleep,
        wait=wait_exponential_jitter(multiplier=backoff.initial, max=backoff.maximum,
                                     jitter=backoff.jitter),
        retry=(retry_if_exception_type(Exception) & retry_if_not_exception_type(_Recovered)
               & retry_if_exception(lambda _: not stop.is_set())),
        before_sleep=before_sleep,
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            health.state = "running"
            started = anyio.current_time()
            try:
                await work()
            except Exception as exc:
                if anyio.current_time() - started >= backoff.settled:
                    health.attempts = 0
                    health.last_error = f"{type(exc).__name__}: {exc}"
                    raise _Recovered() from exc
                raise
            health.attempts = 0
