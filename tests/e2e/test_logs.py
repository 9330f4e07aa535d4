"""Logs as an operator reads them: every line a `lifecycle` process writes is one JSON object;
a request's lines carry its id; a client's mistakes are INFO lines of bounded size without a
traceback, and never repeat the document or the token it sent; a fault is an ERROR line with the
traceback as a field."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import psycopg
import pytest

from lifecycle.actor import Actor, Role
from lifecycle.application import LifecycleApplication
from lifecycle.store.database import Database
from projections.engine.upgrade import migrate_everything
from tests.conftest import _url, drop_database, fresh_database, make_app, member, new_organisation
from tests.e2e.conftest import LiveServer
from tests.e2e.test_cli import LIFECYCLE, env_for, run

# Far above any line the service writes for a request (a traceback is cut to 16,000
# characters), far below the documents and tokens the test sends.
LINE_BYTES = 20_000
DOCUMENT_MARKER = "documentmarker"
TOKEN_MARKER = "tokenmarker"
BODY_LIMIT = 200_000


@pytest.fixture
def logged(server: Database) -> Iterator[Database]:
    """A database of its own: the test breaks one of its read models on purpose."""
    db = fresh_database(server, "lifecycle_logs")
    yield db
    drop_database(server, db)


def json_lines(text: str, source: str) -> list[dict[str, Any]]:
    """Every line of ``text`` as a JSON object; fails naming the first line that is not one."""
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        try:
            parsed = json.loads(line)
        except json.JSONDecodeError:
            pytest.fail(f"{source} line {number} is not JSON: {line[:300]!r}")
        assert isinstance(parsed, dict), f"{source} line {number} is not an object: {line[:300]}"
        assert len(line.encode()) <= LINE_BYTES, f"{source} line {number}: {len(line)} chars"
        lines.append(parsed)
    return lines


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path


def serve(env: dict[str, str], out: Path) -> Served:
    """``lifecycle serve`` as a process, its stdout and stderr in files; returned once ready."""
    stdout, stderr = out / "stdout", out / "stderr"
    with stdout.open("wb") as o, stderr.open("wb") as e:
        process = subprocess.Popen([*LIFECYCLE, "serve"], env=env, stdout=o, stderr=e)
    url = f"http://127.0.0.1:{env['LIFECYCLE_PORT']}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited: {stderr.read_text()}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return Served(url, process, stdout, stderr)
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"serve did not become ready: {stderr.read_text()}")


def stopped(served: Served) -> list[dict[str, Any]]:
    served.process.send_signal(signal.SIGTERM)
    served.process.wait(timeout=60)
    return (json_lines(served.stdout.read_text(), "stdout")
            + json_lines(served.stderr.read_text(), "stderr"))


def ident(response: httpx.Response) -> str:
    value = response.headers["x-correlation-id"]
    return str(UUID(value))


@pytest.mark.parametrize("workers", [1, 2], ids=["one-process", "two-workers"])
def test_serve_writes_only_json_lines_with_request_ids_and_bounded_client_errors(
        logged: Database, tmp_path: Path, workers: int) -> None:
    staff = member(new_organisation(application := make_app(logged), "Powys THB", ()),
                   Role.STAFF)
    application.close()
    env = {**env_for(logged, tmp_path), "LIFECYCLE_LOG_LEVEL": "INFO",
           "LIFECYCLE_WORKERS": str(workers), "LIFECYCLE_MAX_BODY_BYTES": str(BODY_LIMIT),
           # tokens are checked against the directory read model: a projector fills it
           "LIFECYCLE_PROJECTOR": "on"}
    token = run(["token", "--subject", staff.subject, "--organisation", str(staff.organisation),
                 "--role", "staff"], env).stdout.strip()
    bearer = {"Authorization": f"Bearer {token}"}
    served = serve(env, tmp_path)
    graphql = f"{served.url}/graphql"
    chosen = str(uuid4())
    try:
        with httpx.Client(timeout=30) as client:
            good = client.post(graphql, headers={**bearer, "X-Correlation-Id": chosen}, json={
                "query": 'mutation { submitIdea(input: {title: "A \\"quoted\\" title", '
                         'problem: "p", proposal: "q"}) { __typename } }'})
            assert good.json() == {"data": {"submitIdea": {"__typename": "IdeaSubmitted"}}}
            # a document that does not parse, long and on one line (its text must not be logged)
            invalid = client.post(graphql, json={
                "query": "{ me " + DOCUMENT_MARKER * 10_000 + ' "unterminated'})
            unknown_field = client.post(graphql, json={"query": '{ nope(arg: "\\"") }'})
            anonymous = client.post(graphql, json={"query": "{ me { subject } }"})
            bad_token = client.post(graphql, json={"query": "{ me { subject } }"}, headers={
                "Authorization": "Bearer " + TOKEN_MARKER * 1000})
            not_json = client.post(graphql, content=b"{not json",
                                   headers={"Content-Type": "application/json"})
            too_large = client.post(graphql, json={"query": "{ me { subject } }",
                                                   "pad": "x" * BODY_LIMIT})
            assert (invalid.status_code, unknown_field.status_code, anonymous.status_code) \
                == (200, 200, 200)
            assert (bad_token.status_code, not_json.status_code, too_large.status_code) \
                == (401, 400, 413)
            gone = str(uuid4())  # a client that leaves halfway through its body
            with socket.create_connection(("127.0.0.1", int(env["LIFECYCLE_PORT"]))) as raw:
                raw.sendall(f"POST /graphql HTTP/1.1\r\nHost: t\r\nContent-Length: 900\r\n"
                            f"Content-Type: application/json\r\nX-Correlation-Id: {gone}"
                            f"\r\n\r\n{{\"query\": \"{{ me".encode())
            with psycopg.connect(_url(logged), autocommit=True) as conn:  # a fault, on purpose
                conn.execute("ALTER TABLE rm_innovations RENAME TO rm_innovations_gone")
            failing = client.post(graphql, headers=bearer, json={
                "query": "{ innovations(first: 1) { edges { node { title } } } }"})
            assert failing.json()["errors"][0]["message"].startswith("Internal error")
    finally:
        lines = stopped(served)

    def of(response: httpx.Response) -> list[dict[str, Any]]:
        return [line for line in lines if line.get("request_id") == ident(response)]

    assert ident(good) == chosen  # a valid X-Correlation-Id is the request's id
    client_errors = [invalid, unknown_field, anonymous, bad_token, not_json, too_large]
    for response in [good, *client_errors, failing]:
        mine = of(response)
        assert any(line["logger"] == "uvicorn.access" and line["status"] ==
                   response.status_code for line in mine), (response.request.content[:80], mine)
    for response in client_errors:
        for line in of(response):
            assert line["level"] == "info", line
            assert "exception" not in line, line
            assert len(json.dumps(line)) < 4000, line
    assert {line["message"] for response in client_errors[:3] for line in of(response)} \
        >= {"graphql client errors"}
    assert {line["message"] for response in client_errors[3:] for line in of(response)} \
        >= {"request refused"}
    assert [(line["level"], line["message"]) for line in lines if line.get("request_id") == gone
            and line["logger"] != "uvicorn.access"] == \
        [("info", "client disconnected before its request was read")]
    faults = [line for line in of(failing) if line["level"] == "error"]
    assert len(faults) == 1, of(failing)
    assert "rm_innovations" in faults[0]["exception"]
    assert faults[0]["exception"].startswith("Traceback")
    everything = json.dumps(lines)
    assert DOCUMENT_MARKER * 3 not in everything
    assert TOKEN_MARKER * 3 not in everything
    assert token not in everything
    unexpected = [line for line in lines if line["level"] in ("error", "critical")
                  and line not in faults]
    assert unexpected == []


def python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def test_warnings_tracebacks_and_uncaught_errors_are_json_lines_of_bounded_size() -> None:
    result = python("""
import logging, threading, warnings
from lifecycle.service import logs
logs.configure("INFO")
log = logging.getLogger("lifecycle.test")
log.info('a "quoted" message\\nover two lines')
log.info("long", extra={"value": "v" * 100_000, "items": list(range(1000))})
warnings.warn("a warning")
try:
    raise ValueError("x" * 100_000)
except ValueError:
    log.exception("failed")
thread = threading.Thread(target=lambda: 1 / 0)
thread.start()
thread.join()
raise RuntimeError("the end")
""", dict(os.environ))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = json_lines(result.stderr, "stderr")
    by_message = {line["message"]: line for line in lines}
    assert by_message['a "quoted" message\nover two lines']["level"] == "info"
    long = by_message["long"]
    assert len(long["value"]) < 1100
    assert len(long["items"]) <= 11
    assert "a warning" in next(line["message"] for line in lines if line["logger"] == "py.warnings")
    failed = by_message["failed"]
    assert failed["level"] == "error"
    assert "ValueError" in failed["exception"]
    assert "characters cut" in failed["exception"]
    assert "ZeroDivisionError" in by_message["uncaught exception in a thread"]["exception"]
    assert "RuntimeError: the end" in by_message["uncaught exception"]["exception"]


def test_cli_commands_log_json_lines_and_refuse_a_bad_configuration_plainly(
        server: Database, tmp_path: Path) -> None:
    db = fresh_database(server, "lifecycle_logs_cli")
    try:
        migrate_everything(db)
        env = {**env_for(db, tmp_path), "LIFECYCLE_LOG_LEVEL": "DEBUG"}
        status = run(["status"], env)
        assert status.returncode == 0, status.stderr
        json_lines(status.stderr, "stderr")
        refused = run(["status"], {**env, "LIFECYCLE_LOG_LEVEL": "LOUD"})
        assert refused.returncode == 2
        assert "LOUD" in refused.stderr
        invalid = run(["status"], {**env, "LIFECYCLE_WORKERS": "0"})
        assert invalid.returncode == 2
        assert "workers" in invalid.stderr
        assert "Traceback" not in invalid.stderr
    finally:
        drop_database(server, db)


@pytest.mark.parametrize("sent", [None, "not-a-uuid"], ids=["none", "not-a-uuid"])
def test_a_request_without_a_valid_correlation_id_gets_one_and_its_events_carry_it(
        live: LiveServer, staff: Actor, app: LifecycleApplication, sent: str | None) -> None:
    headers = {"Authorization": f"Bearer {live.token(staff)}"}
    if sent is not None:
        headers["X-Correlation-Id"] = sent
    response = httpx.post(f"{live.url}/graphql", headers=headers, json={"query": """
        mutation { submitIdea(input: {title: "Traced", problem: "p", proposal: "q"}) {
          ... on IdeaSubmitted { innovation { id } } } }"""})
    given = ident(response)
    innovation = UUID(response.json()["data"]["submitIdea"]["innovation"]["id"])
    events = list(app.repository.event_store.get(innovation))
    assert [event.correlation_id for event in events] == [UUID(given)]  # type: ignore[attr-defined]
