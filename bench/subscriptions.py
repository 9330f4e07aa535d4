"""Subscriptions under load: 2,000 websocket subscribers on one server process, commands written
at a fixed rate (20 a second), each event seen by a tenth of the subscribers; the ceiling, in the
same run, is a plain Starlette websocket endpoint broadcasting the same messages to the same
clients.

- Ten organisations, 200 subscribers each, every subscriber on its organisation's
  ``pipelineChanges`` (graphql-transport-ws, authenticated in ``connection_init``); the writer
  submits ideas round the organisations, so each event reaches the 200 of one organisation.
- The writer runs in a process of its own on the load generator's core, keeping a fixed
  schedule; the figures say what it published (``events``, ``published_per_second``) and what
  of it was delivered (``received_messages`` of ``expected_messages``: ``delivered_ratio``;
  ``fell_behind``: subscriptions ended as fallen behind).
- Latency: from the command's return (in the writer's process; CLOCK_MONOTONIC is the same
  clock in every process) to the message's receipt (p50, p99, max). The ceiling's publisher is
  told of each event by the writer as the command returns, and broadcasts the same JSON to the
  organisation's sockets.
- The server's CPU time over the writing and delivery, per message delivered: what the load
  of others on a shared machine disturbs least.
- Memory per idle subscriber: the server's resident memory with every subscriber connected and
  subscribed, less before any connected, over the number of subscribers.
- The server (and PostgreSQL) run pinned to core 0, the load generator (clients and writer) to
  core 1.

Run: ``python -m bench.subscriptions`` (``--subscribers``, ``--rate``, ``--seconds``,
``--document stage|innovation``); the
figures are printed and written to ``bench/results/subscriptions.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO
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
from lifecycle.vocabulary import OrganisationKind
from projections.engine.upgrade import migrate_everything
from schema import positions
from schema.server.tokens import mint

DATA_DIR = Path(".data/bench-subscriptions")
ORGANISATIONS = 10
# What each subscriber asks: the stage move alone, or with the innovation as the subscriber may
# query it (``--document innovation``: each execution then reads the read model).
DOCUMENTS = {
    "stage": "subscription { pipelineChanges { position type innovationId fromStage toStage } }",
    "innovation": "subscription { pipelineChanges { position type innovationId fromStage "
                  "toStage innovation { id title stage } } }"}


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
@contextmanager
def serving(args: list[str], env: dict[str, str], ready_url: str) -> Iterator[int]:
    """The pid of ``args`` running (``bench.processes.process``) once ``ready_url`` answers
    without a server error."""
    with process(args, env, lambda: httpx.get(ready_url, timeout=2).status_code < 500) as proc:
        yield proc.pid


def rss(pid: int) -> int:
    """Resident memory of the server, in bytes (taskset executes it in its own process)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """CPU time the server has used (user and system, all its threads), in seconds: a figure
    that a machine loaded by others disturbs far less than latency."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- the world ------------------------------------------------------------------------------------
def world(settings: Settings) -> tuple[database.Database, list[UUID]]:
    server = database.resolve(settings)
    db = database.create_database(server, f"bench_subscriptions_{int(time.time())}")
    migrate_everything(db)
    app = LifecycleApplication(env=db.eventsourcing_env(2))
    admin = Actor("platform-root", PLATFORM, frozenset({Role.PLATFORM_ADMIN}))
    orgs = [app.execute(c.RegisterOrganisation(name=f"Bench Trust {n}",
                                               kind=OrganisationKind.TRUST, sites=("Main",)),
                        CommandContext(admin)).aggregate_id for n in range(ORGANISATIONS)]
    app.close()
    return db, orgs


class Writer:
    """Submits ideas at ``rate`` a second round the organisations, on a fixed schedule (each
    command starts at its time, never early); records when each command returned, by position.

    It runs in a process of its own (``--write``, on the load generator's core): in a thread
    beside the 2,000 clients it waited for the interpreter lock behind their reading, so that
    it wrote well under its rate while the server was busiest."""

    def __init__(self, url: str, orgs: list[UUID], rate: float, document: str) -> None:
        self.document = document
        self.app = LifecycleApplication(env=database.from_url(url).eventsourcing_env(2))
        self.orgs = orgs
        self.rate = rate
        self.epoch = self.app.store.epoch()

    def run(self, seconds: float, publish: str | None, out: TextIO) -> None:
        client = httpx.Client() if publish else None
        # The ceiling is told of each event beside the schedule, not in it: waiting for its
        # broadcast would slow the writer below its rate.
        publisher = ThreadPoolExecutor(1)
        started = time.monotonic()
        n = 0
        while n < round(seconds * self.rate):
            pause = started + n / self.rate - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            org = self.orgs[n % len(self.orgs)]
            actor = Actor(f"bench-writer-{n % 7}", org, frozenset({Role.STAFF}))
            outcome = self.app.execute(c.SubmitIdea(title=f"Bench idea {n}", problem="p",
                                                    proposal="q"), CommandContext(actor))
            returned = time.monotonic()  # CLOCK_MONOTONIC: the same clock in every process
            if client is not None and publish is not None:
                change: dict[str, Any] = {
                    "position": positions.encode(self.epoch, outcome.position),
                    "type": "IdeaSubmitted", "innovationId": str(outcome.aggregate_id),
                    "fromStage": None, "toStage": "SUBMITTED"}
                if self.document == "innovation":
                    change["innovation"] = {"id": str(outcome.aggregate_id),
                                            "title": f"Bench idea {n}", "stage": "SUBMITTED"}
                message = {"id": "1", "type": "next",
                           "payload": {"data": {"pipelineChanges": change}}}
                publisher.submit(client.post, publish,
                                 json={"org": str(org), "message": message})
            out.write(json.dumps([outcome.position, returned]) + "\n")
            n += 1
        publisher.shutdown()
        out.flush()
        self.app.close()


async def write(url: str, orgs: list[UUID], args: argparse.Namespace,
                publish: str | None) -> dict[int, float]:
    """Run a ``Writer`` in its own process; when each command returned, by position."""
    command = [sys.executable, "-m", "bench.subscriptions", "--write", url, "--rate",
               str(args.rate), "--seconds", str(args.seconds), "--document", args.document,
               "--orgs", ",".join(map(str, orgs))]
    if publish:
        command += ["--publish", publish]
    proc = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"the writer failed ({proc.returncode})")
    return {int(p): float(t) for p, t in map(json.loads, out.decode().splitlines())}


# -- the clients ----------------------------------------------------------------------------------
class Clients:
    def __init__(self) -> None:
        self.received: list[tuple[int, float]] = []  # (position, when)
        self.sockets: list[ClientConnection] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.fell_behind = 0  # subscriptions ended with an error (FELL_BEHIND)
        self.query = DOCUMENTS["stage"]

    async def graphql(self, url: str, token: str) -> None:
        ws = await connect(url, subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                           open_timeout=120, compression=None, max_size=None)
        await ws.send(json.dumps({"type": "connection_init", "payload": {"token": token}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                  "payload": {"query": self.query}}))
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
            elif message.get("type") == "error":
                self.fell_behind += 1

    async def settled(self, expected: int, within: float) -> None:
        """Until ``expected`` messages arrived, or none for 3 s, or ``within`` seconds passed."""
        deadline = time.monotonic() + within
        count, quiet_since = -1, time.monotonic()
        while len(self.received) < expected and time.monotonic() < deadline:
            if len(self.received) != count:
                count, quiet_since = len(self.received), time.monotonic()
            elif time.monotonic() - quiet_since > 3:
                return
            await asyncio.sleep(0.1)

    epoch: UUID

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def figures(returned: dict[int, float], clients: Clients, per_event: int) -> dict[str, Any]:
    """Latency of each message received (from its command's return), what was published (and
    at what rate, as written) and what was delivered of it."""
    latencies = [(when - returned[p]) * 1000 for p, when in clients.received if p in returned]
    written = sorted(returned.values())
    expected = len(returned) * per_event
    span = written[-1] - written[0] if len(written) > 1 else 0.0
    return {"events": len(returned),
            # as written: from the first command's return to the last's
            "published_per_second": round((len(written) - 1) / span, 2) if span else None,
            "writing_seconds": round(span, 2),
            "expected_messages": expected, "received_messages": len(latencies),
            "delivered_ratio": round(len(latencies) / expected, 4) if expected else None,
            "fell_behind": clients.fell_behind,
            "p50_ms": round(statistics.median(latencies), 2) if latencies else None,
            "p99_ms": round(percentile(latencies, 0.99), 2) if latencies else None,
            "max_ms": round(max(latencies), 2) if latencies else None}


async def measure(kind: str, proc: int, connect_one: Any, subscribers: int, url: str,
                  orgs: list[UUID], args: argparse.Namespace, publish: str | None,
                  epoch: UUID) -> dict[str, Any]:
    before = rss(proc)
    clients = Clients()
    clients.epoch = epoch
    clients.query = DOCUMENTS[args.document]
    for batch in range(0, subscribers, 100):
        await asyncio.gather(*(connect_one(clients, n)
                               for n in range(batch, min(subscribers, batch + 100))))
    await asyncio.sleep(3)  # idle: subscriptions registered, nothing sent
    idle = rss(proc)
    used = cpu_seconds(proc)
    returned = await write(url, orgs, args, publish)
    await clients.settled(len(returned) * (subscribers // ORGANISATIONS), within=30)
    used = cpu_seconds(proc) - used
    result = figures(returned, clients, subscribers // ORGANISATIONS)
    result["server_cpu_seconds"] = round(used, 2)
    result["server_cpu_ms_per_message"] = round(1000 * used / len(clients.received), 3) \
        if clients.received else None
    result["idle_bytes_per_subscriber"] = round((idle - before) / subscribers)
    await clients.close()
    print(kind, json.dumps(result), flush=True)
    return result


async def run(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings(data_dir=DATA_DIR)
    db, orgs = await asyncio.to_thread(world, settings)  # migrating runs an event loop of its own
    pin_postgres(DATA_DIR, "0")  # with the server: the load generator keeps core 1
    app = LifecycleApplication(env=db.eventsourcing_env(1))
    epoch = app.store.epoch()
    app.close()
    env = {**os.environ, "DATABASE_URL": db.url, "LIFECYCLE_DATA_DIR": str(DATA_DIR),
           "LIFECYCLE_LOG_LEVEL": "WARNING", "LIFECYCLE_PROJECTOR": "on",
           "LIFECYCLE_DELIVERER": "off", "LIFECYCLE_POOL_SIZE": "8"}
    tokens = {org: mint(settings, subject=f"bench-{n}", organisation=org, roles=[Role.STAFF])
              for n, org in enumerate(orgs)}
    results: dict[str, Any] = {"subscribers": args.subscribers, "rate": args.rate,
                               "seconds": args.seconds, "document": args.document}
    port = 8301
    with serving([sys.executable, "-m", "lifecycle", "serve", "--port", str(port)], env,
                 f"http://127.0.0.1:{port}/readyz") as proc:
        async def subscriber(clients: Clients, n: int) -> None:
            await clients.graphql(f"ws://127.0.0.1:{port}/graphql",
                                  tokens[orgs[n % ORGANISATIONS]])
        results["graphql"] = await measure("graphql", proc, subscriber, args.subscribers,
                                           db.url, orgs, args, None, epoch)
    port = 8302
    with serving([sys.executable, "-m", "bench.subscriptions", "--ceiling", str(port)], env,
                 f"http://127.0.0.1:{port}/publish") as proc:
        async def plain(clients: Clients, n: int) -> None:
            await clients.plain(f"ws://127.0.0.1:{port}/ws?org={orgs[n % ORGANISATIONS]}")
        results["ceiling"] = await measure("ceiling", proc, plain, args.subscribers, db.url,
                                           orgs, args, f"http://127.0.0.1:{port}/publish",
                                           epoch)
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
    parser.add_argument("--document", choices=sorted(DOCUMENTS), default="stage")
    parser.add_argument("--ceiling", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--write", help=argparse.SUPPRESS)  # the writer's process: a URL
    parser.add_argument("--orgs", help=argparse.SUPPRESS)
    parser.add_argument("--publish", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        Writer(args.write, [UUID(o) for o in args.orgs.split(",")], args.rate,
               args.document).run(
            args.seconds, args.publish, sys.stdout)
        return
    if args.ceiling:
        uvicorn.run(ceiling_app(), host="127.0.0.1", port=args.ceiling, log_level="warning")
        return
    os.sched_setaffinity(0, {1})  # the load generator: its own core
    results = asyncio.run(run(args))
    publish("subscriptions", results)


if __name__ == "__main__":
    main()
