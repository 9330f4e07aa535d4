"""CPU per request of the API benchmark's page query, in-process and one request at a time.

The GraphQL app and the ceiling (``bench.ceiling``) each answer the same variants of ``PAGE``
through httpx's ASGI transport (no sockets, no uvicorn, no wrk), over the database ``bench.api``
builds. The figure is this process's CPU time per request: PostgreSQL works in its own processes,
so it is not counted, and what remains is what each server's own code costs a request. The
client (httpx, in this process) costs CPU too: a baseline endpoint that returns a fixed answer of
the same kind is measured the same way and its CPU taken off both before the ratio (ceiling CPU
/ GraphQL CPU), which says how far GraphQL is from a hand-written endpoint when the database
costs nothing; ``bench.api`` gives the throughput ratio with the database included.

Run: ``python -m bench.api_cpu`` (build the database first with ``python -m bench.api
--build-only``).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Mapping
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from bench import ceiling
from bench.api import body
from bench.api_world import DATA_DIR, ready, variants, viewers, world_arguments
from bench.command_line import add_numbers
from bench.results import publish
from lifecycle.service.settings import Settings
from lifecycle.store import database
from schema.server.app import create_app


def with_state(app: ASGIApp, state: Mapping[str, Any] | None) -> ASGIApp:
    """The app with its lifespan's state in every request's scope, as a server would put it
    (httpx's transport runs no lifespan)."""

    async def call(scope: Scope, receive: Receive, send: Send) -> None:
        await app({**scope, "state": dict(state or {})}, receive, send)

    return call


async def measure(app: Starlette, kind: str, drawn: list[tuple[Any, dict[str, Any]]],
                  requests: int, warmup: int) -> dict[str, float]:
    path = "/graphql" if kind in ("graphql", "persisted") else "/page"
    async with app.router.lifespan_context(app) as state:
        transport = httpx.ASGITransport(app=with_state(app, state))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

            async def send(kind: str, n: int) -> None:
                viewer, variables = drawn[n % len(drawn)]
                response = await client.post(path, content=body(kind, variables), headers={
                    "Authorization": f"Bearer {viewer.token}",
                    "Content-Type": "application/json"})
                if response.status_code != 200 or b'"errors"' in response.content:
                    raise RuntimeError(f"{kind} answered {response.status_code}: "
                                       f"{response.text[:300]}")

            if kind == "persisted":
                await send("register", 0)
            for n in range(warmup):
                await send(kind, n)
            wall, cpu = time.perf_counter(), time.process_time()
            for n in range(requests):
                await send(kind, n)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"cpu_ms": round(cpu / requests * 1000, 3), "wall_ms": round(wall / requests * 1000, 3)}


async def first_answer(app: Starlette, drawn: list[tuple[Any, dict[str, Any]]]) -> bytes:
    async with app.router.lifespan_context(app) as state:
        transport = httpx.ASGITransport(app=with_state(app, state))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            viewer, variables = drawn[0]
            response = await client.post("/page", content=body("ceiling", variables), headers={
                "Authorization": f"Bearer {viewer.token}"})
            return response.content


def baseline(answer: bytes) -> Starlette:
    """An endpoint that reads the request and returns ``answer``: the client's and the
    transport's share of a request."""

    async def page(request: Request) -> Response:
        await request.body()
        return Response(answer, media_type="application/json")

    return Starlette(routes=[Route("/page", page, methods=["POST"])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    world_arguments(parser)
    add_numbers(parser, requests=1000, warmup=100)
    args = parser.parse_args()
    settings = Settings(data_dir=DATA_DIR, projector="off", response_cache_seconds=0)
    db = ready(database.resolve(settings), args.innovations, fresh=False)
    drawn = variants(viewers(db, settings), args.variants, args.seed)
    results: dict[str, Any] = {"requests": args.requests, "variants": args.variants}
    answer = asyncio.run(first_answer(ceiling.create_app(settings, db.url, 0), drawn))
    # Twice each, alternating, so that none has the machine to itself for all of its turn; the
    # lower of the two is kept.
    for _ in range(2):
        for kind in ("baseline", "ceiling", "graphql", "persisted"):
            app = (baseline(answer) if kind == "baseline" else ceiling.create_app(
                settings, db.url, 0) if kind == "ceiling" else create_app(settings, db))
            found = asyncio.run(measure(app, kind, drawn, args.requests, args.warmup))
            best = results.get(kind)
            results[kind] = found if best is None or found["cpu_ms"] < best["cpu_ms"] else best
    client = results["baseline"]["cpu_ms"]
    for kind in ("graphql", "persisted"):
        results[f"{kind}_cpu_ratio"] = round((results["ceiling"]["cpu_ms"] - client) /
                                             (results[kind]["cpu_ms"] - client), 3)
    publish("api_cpu", results)


if __name__ == "__main__":
    main()
