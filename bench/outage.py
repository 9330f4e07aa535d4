"""How the service rides out its database: the figures the tests do not assert.

On a PostgreSQL of its own (an embedded server in a temporary directory, never the tests' or
``make run``'s), with ``serve``'s app on uvicorn and its in-process projector:

- with the server stopped: time to the 503 of a query, of a mutation, and of ``/readyz``;
- after it is started again: time from the server accepting connections to the first mutation
  that succeeds, and to the first query that succeeds;
- after every pooled connection is terminated (``pg_terminate_backend``): the first mutation;
- after the watcher's and the projector's LISTEN backends are terminated (each alone, once the
  workers have recovered from the outage): time until each listens again.

Run: ``python -m bench.outage [--rounds 5]``; results go to ``bench/results/outage.json``.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.command_line import numbers
from lifecycle.actor import Role
from lifecycle.service.supervisor import Backoff
from projections.engine.runner import LISTEN_SESSION
from projections.engine.watcher import SESSION as WATCHER
from schema.server.tokens import mint
from tests.conftest import make_app, member, new_organisation, settings_for
from tests.e2e.conftest import serving
from tests.outage import OwnPostgres

SUBMIT = ('mutation { submitIdea(input: {title: "t", problem: "p", proposal: "q"}) '
          '{ ... on IdeaSubmitted { position } } }')
PAGE = "{ innovations(first: 5) { edges { node { id } } } }"


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def until(check: Callable[[], bool], within: float = 60) -> float:
    """Seconds until ``check()`` holds (polled every 10 ms)."""
    started = time.perf_counter()
    while not check():
        if time.perf_counter() - started > within:
            raise RuntimeError("never happened")
        time.sleep(0.01)
    return time.perf_counter() - started


def session(dsn: str, name: str) -> int | None:
    """The backend of the session named ``name`` (application_name), if there is one."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                           "AND application_name = %s", (name,)).fetchone()
    return int(row[0]) if row else None


def listening_again(dsn: str, name: str) -> float:
    """Terminate the session ``name``; seconds until a new one of that name exists."""
    until(lambda: session(dsn, name) is not None)
    old = session(dsn, name)
    terminate(dsn, "AND pid = %s", old)

    def back() -> bool:
        return session(dsn, name) not in (None, old)

    return until(back)


def terminate(dsn: str, where: str, *args: Any) -> int:
    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                            "datname = current_database() AND pid <> pg_backend_pid() " + where,
                            args).fetchall()
    return len(rows)


def main() -> None:
    args = numbers(None, rounds=5)
    figures: dict[str, list[float]] = {}

    def record(name: str, seconds: float) -> None:
        figures.setdefault(name, []).append(seconds)

    with tempfile.TemporaryDirectory() as tmp:
        own = OwnPostgres(Path(tmp) / "pg")
        app = make_app(own.db)
        staff = member(new_organisation(app), Role.STAFF)
        app.close()
        settings = settings_for(own.db, Path(tmp))
        token = mint(settings, subject=staff.subject, organisation=staff.organisation,
                     roles=sorted(staff.roles), staff_group=staff.staff_group)
        headers = {"Authorization": f"Bearer {token}"}
        try:
            with serving(settings, own.db) as url, httpx.Client(timeout=60) as client:
                def graphql(query: str) -> httpx.Response:
                    return client.post(f"{url}/graphql", json={"query": query},
                                       headers=headers)

                def ok(query: str) -> bool:
                    try:
                        answer = graphql(query)
                    except httpx.TransportError:
                        return False
                    return answer.status_code == 200 and not answer.json().get("errors")

                until(lambda: ok(SUBMIT))
                for _ in range(args.rounds):
                    own.stop()
                    for name, call in (("query_503", lambda: graphql(PAGE)),
                                       ("mutation_503", lambda: graphql(SUBMIT)),
                                       ("readyz_503", lambda: client.get(f"{url}/readyz"))):
                        seconds, answer = timed(call)
                        assert answer.status_code == 503, answer.text
                        record(name, seconds)
                    own.start()  # returns once the server accepts connections
                    accepting = time.perf_counter()
                    until(lambda: ok(SUBMIT))
                    record("first_mutation_after_restart", time.perf_counter() - accepting)
                    until(lambda: ok(PAGE))
                    record("first_query_after_restart", time.perf_counter() - accepting)

                    until(lambda: ok(SUBMIT))
                    assert terminate(own.db.dsn, "AND backend_type = 'client backend'")
                    seconds, answer = timed(lambda: graphql(SUBMIT))
                    assert answer.status_code == 200, answer.text
                    record("first_mutation_after_pool_dropped", seconds)

                    # Once the workers have run long enough to count as recovered (else their
                    # backoff goes on from the outage's), terminate each listener alone.
                    time.sleep(Backoff().settled + 1)
                    for name in (WATCHER, LISTEN_SESSION):
                        record(f"listening_again: {name}", listening_again(own.db.dsn, name))
        finally:
            own.close()
    summary = {name: {"median_s": round(statistics.median(values), 3),
                      "max_s": round(max(values), 3), "n": len(values)}
               for name, values in figures.items()}
    out = Path(__file__).parent / "results" / "outage.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
