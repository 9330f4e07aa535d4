"""API throughput: a realistic page query through GraphQL against a hand-written JSON endpoint.

The query is a board's page of 50 innovations with stage, organisation, site, owner, adoption
count and latest verdict (``PAGE``). Both servers run under uvicorn (uvloop, httptools, one
worker) over the same database of at least 100,000 innovations, with the same pool size, the same
token check and the same read-model queries; the ceiling (``bench.ceiling``) just has no GraphQL.
The load is wrk (``apt-get install wrk``), pinned to CPU 1 with 32 connections, cycling through
request bodies whose filter variables were drawn from a fixed seed; everything else (both
servers, PostgreSQL, the projector and a writer issuing commands at a fixed rate throughout) is
pinned to CPU 0. Each configuration is measured in the same run, one after the other: the cache
off, then on (``LIFECYCLE_RESPONSE_CACHE_SECONDS``, the same cache class in both servers); within
one, each server is measured in two halves, in an order and then its reverse. Before
loading, every request body is sent to both servers and the answers compared: they must be equal.

With the cache off, the same run also measures the page query through one server per fast path
with that fast path switched off (``bench.fast_paths``; ``--without`` chooses which), each as a
ratio to the ceiling (``without_<name>_ratio``), and ``worth``: the product's requests a second
over that server's, less one. Issue 10 keeps a fast path only where that is over 0.10.

The database (``bench.api_world``) is built once (seeded world, its innovations and measures
cloned with fresh ids under the same organisations and challenges, then every projection rebuilt)
and kept between runs as ``lifecycle_bench_api`` in the bench's own embedded server under
``.data/bench-api``. ``bench.api_cpu`` measures each server's own CPU per request over it.

Run: ``python -m bench.api`` (``--help`` for the knobs).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.api_world import (
    DATA_DIR,
    WORDS,
    Viewer,
    ready,
    variants,
    viewers,
    world_arguments,
)
from bench.fast_paths import FAST_PATHS
from bench.processes import process
from bench.results import publish
from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.service.settings import Settings
from lifecycle.store import database

PAGE = """query Page($filter: InnovationFilter, $order: InnovationOrder, $first: Int,
                 $after: String) {
  innovations(filter: $filter, orderBy: $order, first: $first, after: $after) {
    edges {
      cursor
      node {
        id title stage stageEnteredAt site owner adoptions
        organisation { id name }
        latestVerdict { verdict measure latestOn }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}"""
PAGE_HASH = hashlib.sha256(PAGE.encode()).hexdigest()
def body(kind: str, variables: dict[str, Any]) -> str:
    """A request body: ``ceiling``'s, ``graphql``'s (the text), ``persisted`` (the hash alone)
    or ``register`` (automatic persisted queries: the text with its hash, as a client sends on
    its first miss)."""
    if kind == "ceiling":
        return json.dumps({"variables": variables})
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": PAGE_HASH}}
    if kind == "persisted":
        return json.dumps({"variables": variables, "extensions": persisted})
    if kind == "register":
        return json.dumps({"query": PAGE, "variables": variables, "extensions": persisted})
    return json.dumps({"query": PAGE, "variables": variables})


LUA = """
local data = {%s}
local reqs = {}
local i = 0
bad = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  for _, r in ipairs(data) do
    reqs[#reqs + 1] = wrk.format("POST", r[1], {["Content-Type"] = "application/json",
                                 ["Authorization"] = "Bearer " .. r[2]}, r[3])
  end
end
function request() i = i %% #reqs + 1; return reqs[i] end
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, '
    .. '"p99_us": %%d, "socket_errors": %%d, "bad": %%d}\\n', summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, b))
end
"""


def lua_script(path: str, requests: list[tuple[str, str]]) -> str:
    rows = ",\n".join(f'{{"{path}", "{token}", [==[{text}]==]}}' for token, text in requests)
    return LUA % rows


def wrk(url: str, script: Path, seconds: float, connections: int) -> dict[str, Any]:
    done = subprocess.run(["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}",
                           f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(script),
                           url], capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"wrk failed: {done.stderr or done.stdout}")
    out = done.stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    result["per_second"] = round(result["requests"] / (result["duration_us"] / 1e6))
    result["p50_ms"] = round(result["p50_us"] / 1000, 2)
    result["p99_ms"] = round(result["p99_us"] / 1000, 2)
    return result


def combined(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Two halves of one measurement: requests per second over both, and the mean of their
    percentiles (each half's is kept under ``halves``)."""
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["duration_us"] for r in runs) / 1e6
    return {"requests": requests, "per_second": round(requests / seconds),
            "p50_ms": round(sum(r["p50_ms"] for r in runs) / len(runs), 2),
            "p99_ms": round(sum(r["p99_ms"] for r in runs) / len(runs), 2),
            "socket_errors": sum(r["socket_errors"] for r in runs),
            "bad": sum(r["bad"] for r in runs), "halves": runs}


def share(measured: dict[str, Any], of: dict[str, Any]) -> float | None:
    """``measured``'s requests a second over ``of``'s (None where ``of`` answered none)."""
    return round(measured["per_second"] / of["per_second"], 3) if of["per_second"] else None


# -- the processes ---------------------------------------------------------------------------------
def pin_postgres(data_dir: Path, cpu: str) -> None:
    """Pin the postmaster and its children (later backends inherit it) to ``cpu``."""
    pid = (data_dir / "pg" / "postmaster.pid").read_text().split()[0]
    children = subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split()
    for each in [pid, *children]:
        subprocess.run(["taskset", "-a", "-p", "-c", cpu, each], capture_output=True, check=False)


def healthy(url: str) -> Callable[[], bool]:
    """Whether ``url`` answers 200 (a server's readiness check)."""
    return lambda: httpx.get(url, timeout=2).status_code == 200


def writer(rate: float, seconds: float) -> None:
    """Commands at ``rate`` a second: ideas submitted and commented on, in every trust."""
    db = database.from_url(os.environ["DATABASE_URL"])
    app = LifecycleApplication(env=db.eventsourcing_env(2))
    with psycopg.connect(db.dsn) as conn:
        orgs = [r[0] for r in conn.execute(
            "SELECT id FROM rm_organisations WHERE kind IN ('TRUST', 'HEALTH_BOARD') "
            "ORDER BY name")]
    rng = random.Random(11)
    mine: list[tuple[Actor, uuid.UUID]] = []
    started = time.monotonic()
    n = 0
    while time.monotonic() - started < seconds:
        n += 1
        if n % 2 or not mine:
            actor = Actor(f"bench-writer-{n % 7}", rng.choice(orgs), frozenset({Role.STAFF}))
            outcome = app.execute(c.SubmitIdea(
                title=f"Bench idea {n} about {rng.choice(WORDS)}", problem="p", proposal="q",
                tags=(rng.choice(WORDS),)), CommandContext(actor))
            mine.append((actor, outcome.aggregate_id))
        else:
            actor, idea = rng.choice(mine[-50:])
            app.execute(c.CommentOnIdea(innovation_id=idea, text=f"comment {n}"),
                        CommandContext(actor))
        pause = started + n / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    app.close()
    print(f"WROTE {n}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    world_arguments(parser)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--write-rate", type=float, default=20)
    parser.add_argument("--cache-seconds", type=float, default=1.0)
    parser.add_argument("--without", nargs="*", choices=FAST_PATHS, default=list(FAST_PATHS),
                        help="fast paths to measure switched off, each in a server of its own "
                             "(bench.fast_paths), with the cache off")
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    parser.add_argument("--build-only", action="store_true", help="build the database, stop")
    parser.add_argument("--writer", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        writer(args.write_rate, args.seconds)
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    settings = Settings(data_dir=DATA_DIR)
    server = database.resolve(settings)
    db = ready(server, args.innovations, args.fresh)
    if args.build_only:
        return
    with psycopg.connect(db.dsn) as conn:
        row = conn.execute("SELECT count(*) FROM rm_innovations").fetchone()
    results: dict[str, Any] = {"innovations": row[0] if row else 0,
                               "connections": args.connections, "seconds": args.seconds,
                               "write_rate": args.write_rate, "variants": args.variants}
    drawn = variants(viewers(db, settings), args.variants, args.seed)
    env = {**os.environ, "DATABASE_URL": db.url, "LIFECYCLE_DATA_DIR": str(DATA_DIR),
           "LIFECYCLE_LOG_LEVEL": "WARNING", "LIFECYCLE_PROJECTOR": "off"}
    pin_postgres(DATA_DIR, "0")
    graphql_port, ceiling_port = 8201, 8202
    graphql_url = f"http://127.0.0.1:{graphql_port}/graphql"
    ceiling_url = f"http://127.0.0.1:{ceiling_port}/page"
    viewer0 = drawn[0][0]
    probe: dict[str, Any] = {"headers": {"Authorization": f"Bearer {viewer0.token}",
                         "Content-Type": "application/json"},
             "content": body("ceiling", drawn[0][1])}
    with tempfile.TemporaryDirectory() as tmp:
        scripts = {}
        for kind, path in [("ceiling", "/page"), ("graphql", "/graphql"),
                           ("persisted", "/graphql")]:
            scripts[kind] = Path(tmp) / f"{kind}.lua"
            scripts[kind].write_text(lua_script(path, [(v.token, body(kind, variables))
                                                       for v, variables in drawn]))
        with process([sys.executable, "-m", "lifecycle", "project"], env):
            for cache in (0.0, args.cache_seconds):
                label = "cache_on" if cache else "cache_off"
                run_env = {**env, "LIFECYCLE_RESPONSE_CACHE_SECONDS": str(cache)}
                # The fast paths are weighed with the cache off, where every request executes.
                switched = [] if cache else args.without
                with ExitStack() as stack:
                    stack.enter_context(process(
                        [sys.executable, "-m", "lifecycle", "serve", "--port", str(graphql_port)],
                        run_env, healthy(f"http://127.0.0.1:{graphql_port}/healthz")))
                    stack.enter_context(process(
                        [sys.executable, "-m", "bench.ceiling", "--port", str(ceiling_port)],
                        run_env, lambda: httpx.post(ceiling_url, timeout=5,
                                                    **probe).status_code == 200))
                    urls = {"ceiling": ceiling_url, "graphql": graphql_url,
                            "persisted": graphql_url}
                    scripts_of = {"ceiling": scripts["ceiling"], "graphql": scripts["graphql"],
                                  "persisted": scripts["persisted"]}
                    for n, name in enumerate(switched):
                        port = ceiling_port + 1 + n
                        urls[f"without_{name}"] = f"http://127.0.0.1:{port}/graphql"
                        scripts_of[f"without_{name}"] = scripts["graphql"]
                        stack.enter_context(process(
                            [sys.executable, "-m", "bench.fast_paths", "--port", str(port),
                             "--without", name], run_env,
                            healthy(f"http://127.0.0.1:{port}/healthz")))
                    if not cache:
                        # Every body through the product; a quarter through each switched
                        # server (each switch must answer the same, not only faster).
                        results["compared"] = {kind: compare(
                            url, ceiling_url, drawn if kind == "graphql" else drawn[::4])
                            for kind, url in urls.items()
                            if kind.startswith("without_") or kind == "graphql"}
                    prime(graphql_url, drawn)
                    measured: dict[str, Any] = {}
                    turns = 2 * len(urls)
                    with process([sys.executable, "-m", "bench.api", "--writer",
                                  "--write-rate", str(args.write_rate),
                                  "--seconds", str(turns * (args.seconds / 2 + args.warmup)
                                                   + 10)],
                                 run_env):
                        halves: dict[str, list[dict[str, Any]]] = {k: [] for k in urls}
                        # Each measured twice, in an order and then its reverse, so that drift
                        # over the run (the log and read models grow under the writer) falls
                        # on all alike.
                        for kind in [*urls, *reversed(urls)]:
                            wrk(urls[kind], scripts_of[kind], args.warmup, args.connections)
                            halves[kind].append(wrk(urls[kind], scripts_of[kind],
                                                    args.seconds / 2, args.connections))
                        measured.update({k: combined(runs) for k, runs in halves.items()})
                    for kind in urls:
                        if kind != "ceiling":
                            measured[f"{kind}_ratio"] = share(measured[kind],
                                                              measured["ceiling"])
                    if switched:
                        # What each fast path is worth: the page query's throughput with it,
                        # over that without it, less one (0.10 = 10% more requests a second).
                        measured["worth"] = {
                            name: None if (ratio := share(measured["graphql"],
                                                          measured[f"without_{name}"])) is None
                            else round(ratio - 1, 3) for name in switched}
                    results[label] = measured
    publish("api", results)


def compare(graphql_url: str, ceiling_url: str,
            drawn: list[tuple[Viewer, dict[str, Any]]]) -> int:
    """Every request body answered equally by both servers (before any writes)."""
    for viewer, variables in drawn:
        headers = {"Authorization": f"Bearer {viewer.token}",
                   "Content-Type": "application/json"}
        got = httpx.post(graphql_url, headers=headers, content=body("graphql", variables),
                         timeout=30).json()
        want = httpx.post(ceiling_url, headers=headers, content=body("ceiling", variables),
                          timeout=30).json()
        if got != want:
            raise RuntimeError(f"the servers disagree for {variables}: {str(got)[:300]} / "
                               f"{str(want)[:300]}")
    return len(drawn)


def prime(graphql_url: str, drawn: list[tuple[Viewer, dict[str, Any]]]) -> None:
    """Register the persisted query."""
    viewer, variables = drawn[0]
    httpx.post(graphql_url, headers={"Authorization": f"Bearer {viewer.token}",
                                     "Content-Type": "application/json"},
               content=body("register", variables), timeout=30)


if __name__ == "__main__":
    main()
