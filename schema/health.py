"""``/healthz`` (the process is up) and ``/readyz`` (it can serve: the database answers)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lifecycle.service import LifecycleService

log = logging.getLogger(__name__)


async def healthz(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    service: LifecycleService | None = getattr(request.state, "service", None)
    if service is None:
        return JSONResponse({"status": "starting"}, status_code=503)
    try:
        head = await service.head()
    except Exception as exc:  # any database failure means not ready
        log.warning("readiness check failed: %s", exc)
        return JSONResponse({"status": "database unavailable"}, status_code=503)
    return JSONResponse({"status": "ready", "head": head})
