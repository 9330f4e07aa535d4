"""``/healthz`` (liveness) and ``/readyz`` (readiness), for load balancers and orchestrators.

- ``/healthz``: this process can still serve once its database answers; restart it if not. It
  fails (503) only when something that requests use is gone for good: the write pool or the
  read pool is closed, or a supervised background worker is dead (its supervisor ended; a
  database outage never does that). It touches no database, so an outage does not make every
  process restart.
- ``/readyz``: send this process traffic now. It fails (503) within ``READY_SECONDS`` when the
  database does not answer on the write path (the log's head) and the read path (the read
  models' positions). When ready it reports each read model's position, lag and any error, and
  whether a projector is active on the database. It does not fail when no projector is active:
  queries and mutations still work (reads are only stale, and ``serve`` logs a warning), and
  failing every process would turn a projector outage into a whole-API outage.
"""

from __future__ import annotations

import logging

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lifecycle.service.service import LifecycleService
from lifecycle.service.supervisor import Supervised
from lifecycle.store.database import unavailable
from projections.engine.status import read_status
from schema.reads import Reads

log = logging.getLogger(__name__)

READY_SECONDS = 1.5


async def healthz(request: Request) -> Response:
    service: LifecycleService | None = getattr(request.state, "service", None)
    reads: Reads | None = getattr(request.state, "reads", None)
    workers: list[Supervised] = getattr(request.state, "workers", [])
    if service is None or reads is None:
        return JSONResponse({"status": "starting"}, status_code=503)
    problems = [f"{w.name} is dead ({w.last_error})" for w in workers if not w.alive]
    if service.closed:
        problems.append("the event store's connection pool is closed")
    if reads.closed:
        problems.append("the read pool is closed")
    states = {w.name: w.state for w in workers}
    if problems:
        return JSONResponse({"status": "failing", "problems": problems, "workers": states},
                            status_code=503)
    return JSONResponse({"status": "ok", "workers": states})


async def readyz(request: Request) -> Response:
    service: LifecycleService | None = getattr(request.state, "service", None)
    reads: Reads | None = getattr(request.state, "reads", None)
    if service is None or reads is None:
        return JSONResponse({"status": "starting"}, status_code=503)
    try:
        with anyio.fail_after(READY_SECONDS):
            await service.head()
            async with reads.pool.acquire() as conn:
                status = await read_status(conn)
    except Exception as exc:
        if not unavailable(exc):
            raise
        log.warning("not ready: the database is unavailable (%s: %s)", type(exc).__name__, exc)
        return JSONResponse({"status": "database unavailable"}, status_code=503)
    return JSONResponse({"status": "ready", **status.as_json()})
