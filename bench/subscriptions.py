"""Subscriptions under load: 2,000 websocket subscribers on one server process, commands written
at a fixed rate (20 a second), each event seen by a tenth of the subscribers; the ceiling, in the
same run, is a plain Starlette websocket endpoint broadcasting the same messages to the same
clients.

- Ten organisations, 200 subscribers each, every subscriber on its organisation's
  ``pipelineChanges`` (graphql-transport-ws, authenticated in ``connection_init``); the writer
  submits ideas round the organisations, so each event reaches the 200 of one organisation.
- Latency: from the command's return (in the writer, in this process) to the message's receipt
  (p50, p99, max). The ceiling's publisher is told of each event by the writer as the command
  returns, and broadcasts the same JSON to the organisation's sockets.
- Memory per idle subscriber: the server's resident memory with every subscriber connected and
  subscribed, less before any connected, over the number of subscribers.
- The server (and PostgreSQL) run pinned to core 0, the load generator (clients and writer) to
  core 1.

Run: ``python -m bench.subscriptions`` (``--subscribers``, ``--rate``, ``--seconds``); the
figures are printed and written to ``bench/results/subscriptions.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect
from websockets.asyncio.client import ClientConnection, connect

from bench.api import pin_postgres
from bench.processes import process
from bench.results import publish
from lifecycle import commands as c
from lifecycle.actor import PLATFORM, Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.service.settings import Settings
from lifecycle.store import database
from lifecycle.store.migrate import migrate
from lifecycle.vocabulary import OrganisationKind
from schema import positions
from schema.server.tokens import mint

DATA_DIR = Path(".data/bench-subscriptions")
ORGANISATIONS = 10
QUERY = ("subscription { pipelineChanges { position type innovationId fromStage toStage } }")


# -- the ceiling: a plain Starlette websocket broadcast -------------------------------------------
def ceiling_app() -> Starlette:
    """Sockets join an organisation (``/ws?org=<id>``); ``POST /publish`` with ``{"org",
    "message"}`` sends the message to every socket of that organisation."""
    rooms: dict[str, set[WebSocket]] = {}

    async def join(ws: WebSocket) -> None:
        await ws.accept()
        room = rooms.setdefault(ws.query_params["org"], set())
        room.add(ws)
        try:
            while True:
                await ws.receive_text()
        except WebSocketDisconnect:
            room.discard(ws)

    async def publish(request: Request) -> Response:
        sent = await request.json()
        text = json.dumps(sent["message"])
        for ws in list(rooms.get(sent["org"], ())):
            try:
                await ws.send_text(text)
            except (WebSocketDisconnect, RuntimeError):
                rooms[sent["org"]].discard(ws)
        return Response("ok")

    return Starlette(routes=[WebSocketRoute("/ws", join), Route("/publish", publish,
                                                                methods=["POST"])])


# -- processes ------------------------------------------------------------------------------------
def rss(pid: int) -> int:
    """Resident memory of the server, in bytes (taskset executes it in its own process)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


# -- the world ------------------------------------------------------------------------------------
def world(settings: Settings) -> tuple[database.Database, list[UUID]]:
    server = database.resolve(settings)
    db = database.create_database(server, f"bench_subscriptions_{int(time.time())}")
    migrate(db.dsn)
    app = LifecycleApplication(env=db.eventsourcing_env(2))
    admin = Actor("platform-root", PLATFORM, frozenset({Role.PLATFORM_ADMIN}))
    orgs = [app.execute(c.RegisterOrganisation(name=f"Bench Trust {n}",
                                               kind=OrganisationKind.TRUST, sites=("Main",)),
                        CommandContext(admin)).aggregate_id for n in range(ORGANISATIONS)]
    app.close()
    return db, orgs


class Writer:
    """Submits ideas at ``rate`` a second round the organisations, in a thread; records when
    each command returned, by position."""

    def __init__(self, db: database.Database, orgs: list[UUID], rate: float) -> None:
        self.app = LifecycleApplication(env=db.eventsourcing_env(2))
        self.orgs = orgs
        self.rate = rate
        self.returned: dict[int, float] = {}
        self.org_of: dict[int, UUID] = {}
        self.epoch = self.app.store.epoch()

    def run(self, seconds: float, publish: str | None = None) -> None:
        client = httpx.Client() if publish else None
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < seconds:
            org = self.orgs[n % len(self.orgs)]
            actor = Actor(f"bench-writer-{n % 7}", org, frozenset({Role.STAFF}))
            outcome = self.app.execute(c.SubmitIdea(title=f"Bench idea {n}", problem="p",
                                                    proposal="q"), CommandContext(actor))
            self.returned[outcome.position] = time.monotonic()
            self.org_of[outcome.position] = org
            if client is not None and publish is not None:
                message = {"id": "1", "type": "next", "payload": {"data": {"pipelineChanges": {
                    "position": positions.encode(self.epoch, outcome.position),
                    "type": "IdeaSubmitted", "innovationId": str(outcome.aggregate_id),
                    "fromStage": None, "toStage": "SUBMITTED"}}}}
                client.post(publish, json={"org": str(org), "message": message})
            n += 1
            pause = started + n / self.rate - time.monotonic()
            if pause > 0:
                time.sleep(pause)


# -- the clients ----------------------------------------------------------------------------------
class Clients:
    def __init__(self) -> None:
        self.received: list[tuple[int, float]] = []  # (position, when)
        self.sockets: list[ClientConnection] = []
        self.tasks: list[asyncio.Task[None]] = []

    async def graphql(self, url: str, token: str) -> None:
        ws = await connect(url, subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                           open_timeout=120, compression=None, max_size=None)
        await ws.send(json.dumps({"type": "connection_init", "payload": {"token": token}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": QUERY}}))
        self.sockets.append(ws)
        self.tasks.append(asyncio.create_task(self._read(ws)))

    async def plain(self, url: str) -> None:
        ws = await connect(url, open_timeout=120, compression=None)
        self.sockets.append(ws)
        self.tasks.append(asyncio.create_task(self._read(ws)))

    async def _read(self, ws: ClientConnection) -> None:
        epoch_decode = positions.decode
        async for raw in ws:
            when = time.monotonic()
            message = json.loads(raw)
            if message.get("type") == "next":
                cursor = message["payload"]["data"]["pipelineChanges"]["position"]
                self.received.append((epoch_decode(self.epoch, cursor), when))

    epoch: UUID

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def figures(writer: Writer, clients: Clients, per_event: int,
            since: int) -> dict[str, Any]:
    latencies = [(when - writer.returned[p]) * 1000 for p, when in clients.received
                 if p in writer.returned and p > since]
    events = [p for p in writer.returned if p > since]
    return {"events": len(events), "expected_messages": len(events) * per_event,
            "received_messages": len(latencies),
            "p50_ms": round(statistics.median(latencies), 2) if latencies else None,
            "p99_ms": round(percentile(latencies, 0.99), 2) if latencies else None,
            "max_ms": round(max(latencies), 2) if latencies else None}


def answers(url: str) -> Callable[[], bool]:
    """Whether ``url`` answers at all (any status below 500): the server has started."""
    return lambda: httpx.get(url, timeout=2).status_code < 500


async def measure(kind: str, proc: int, connect_one: Any, subscribers: int,
                  writer: Writer, seconds: float, publish: str | None,
                  epoch: UUID) -> dict[str, Any]:
    before = rss(proc)
    clients = Clients()
    clients.epoch = epoch
    for batch in range(0, subscribers, 100):
        await asyncio.gather(*(connect_one(clients, n)
                               for n in range(batch, min(subscribers, batch + 100))))
    await asyncio.sleep(3)  # idle: subscriptions registered, nothing sent
    idle = rss(proc)
    since = max(writer.returned, default=0)
    await asyncio.to_thread(writer.run, seconds, publish)
    await asyncio.sleep(3)  # the last messages arrive
    result = figures(writer, clients, subscribers // ORGANISATIONS, since)
    result["idle_bytes_per_subscriber"] = round((idle - before) / subscribers)
    await clients.close()
    print(kind, json.dumps(result), flush=True)
    return result


async def run(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings(data_dir=DATA_DIR)
    db, orgs = world(settings)
    pin_postgres(DATA_DIR, "0")  # with the server: the load generator keeps core 1
    writer = Writer(db, orgs, args.rate)
    env = {**os.environ, "DATABASE_URL": db.url, "LIFECYCLE_DATA_DIR": str(DATA_DIR),
           "LIFECYCLE_LOG_LEVEL": "WARNING", "LIFECYCLE_PROJECTOR": "on",
           "LIFECYCLE_DELIVERER": "off", "LIFECYCLE_POOL_SIZE": "8"}
    tokens = {org: mint(settings, subject=f"bench-{n}", organisation=org, roles=[Role.STAFF])
              for n, org in enumerate(orgs)}
    results: dict[str, Any] = {"subscribers": args.subscribers, "rate": args.rate,
                               "seconds": args.seconds}
    port = 8301
    with process([sys.executable, "-m", "lifecycle", "serve", "--port", str(port)], env,
                 answers(f"http://127.0.0.1:{port}/readyz")) as proc:
        async def subscriber(clients: Clients, n: int) -> None:
            await clients.graphql(f"ws://127.0.0.1:{port}/graphql",
                                  tokens[orgs[n % ORGANISATIONS]])
        results["graphql"] = await measure("graphql", proc.pid, subscriber, args.subscribers,
                                           writer, args.seconds, None, writer.epoch)
    port = 8302
    with process([sys.executable, "-m", "bench.subscriptions", "--ceiling", str(port)], env,
                 answers(f"http://127.0.0.1:{port}/publish")) as proc:
        async def plain(clients: Clients, n: int) -> None:
            await clients.plain(f"ws://127.0.0.1:{port}/ws?org={orgs[n % ORGANISATIONS]}")
        results["ceiling"] = await measure("ceiling", proc.pid, plain, args.subscribers, writer,
                                           args.seconds, f"http://127.0.0.1:{port}/publish",
                                           writer.epoch)
    writer.app.close()
    g, ceiling = results["graphql"], results["ceiling"]
    results["p99_ratio"] = round(g["p99_ms"] / ceiling["p99_ms"], 2) \
        if g["p99_ms"] and ceiling["p99_ms"] else None
    results["p50_ratio"] = round(g["p50_ms"] / ceiling["p50_ms"], 2) \
        if g["p50_ms"] and ceiling["p50_ms"] else None
    database.drop_database(database.resolve(settings), db)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--ceiling", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ceiling:
        uvicorn.run(ceiling_app(), host="127.0.0.1", port=args.ceiling, log_level="warning")
        return
    os.sched_setaffinity(0, {1})  # the load generator: its own core
    threading.current_thread().name = "bench"
    results = asyncio.run(run(args))
    publish("subscriptions", results)


if __name__ == "__main__":
    main()
