"""The command line as a person runs it: migrate, token, serve (and serve again), and the first
use that `make run` is: migrate, seed an empty database, serve, with a token printed to call it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from lifecycle.actor import Role
from lifecycle.application import LifecycleApplication
from lifecycle.service.settings import Settings
from lifecycle.store.database import Database, create_database
from lifecycle.vocabulary import STAFF_GROUPS
from schema.server.tokens import Verifier
from tests.conftest import _url, drop_database, member, new_organisation
from tests.e2e.conftest import free_port

LIFECYCLE = [sys.executable, "-m", "lifecycle"]


@pytest.fixture
def empty(server: Database) -> Iterator[Database]:
    """A database that exists but is not migrated."""
    db = create_database(server, f"lifecycle_cli_{os.getpid()}_{time.monotonic_ns() % 10**8}")
    yield db
    drop_database(server, db)


def env_for(db: Database, data_dir: Path, port: int = 0) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": _url(db), "LIFECYCLE_DATA_DIR": str(data_dir),
            "LIFECYCLE_PORT": str(port or free_port()), "LIFECYCLE_LOG_LEVEL": "WARNING"}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LIFECYCLE, *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_migrate_applies_once_then_reports_up_to_date(empty: Database, tmp_path: Path) -> None:
    env = env_for(empty, tmp_path)
    first = run(["migrate"], env)
    assert first.returncode == 0, first.stderr
    assert "applied: lifecycle.migrations:0001_event_store" in first.stdout
    assert "read model innovations created (version 1)" in first.stdout
    again = run(["migrate"], env)
    assert again.stdout.strip() == "up to date"


def test_token_command_mints_a_token_the_service_accepts(db: Database, tmp_path: Path) -> None:
    org = "5b0c7f0e-5a8e-4c39-9f7e-1f1f1f1f1f1f"
    result = run(["token", "--subject", "person-7", "--organisation", org, "--role", "staff",
                  "--role", "innovation_lead"], env_for(db, tmp_path))
    assert result.returncode == 0, result.stderr
    identity = Verifier(Settings(data_dir=tmp_path)).verify(result.stdout.strip())
    assert identity.actor.roles == frozenset({Role.STAFF, Role.INNOVATION_LEAD})


def test_token_command_refuses_an_unknown_role(db: Database, tmp_path: Path) -> None:
    result = run(["token", "--subject", "p", "--organisation",
                  "5b0c7f0e-5a8e-4c39-9f7e-1f1f1f1f1f1f", "--role", "emperor"],
                 env_for(db, tmp_path))
    assert result.returncode == 2
    assert "emperor" in result.stderr
    assert "innovation_lead" in result.stderr


def test_token_help_lists_every_role_and_staff_group(db: Database, tmp_path: Path) -> None:
    shown = run(["token", "--help"], {**env_for(db, tmp_path), "COLUMNS": "200"})
    assert shown.returncode == 0, shown.stderr
    for name in [*(role.value for role in Role), *STAFF_GROUPS]:
        assert name in shown.stdout
    assert "LIFECYCLE_DATA_DIR" in shown.stdout


@pytest.mark.parametrize("document", ["README.md", "docs/domain.md"])
def test_the_docs_list_every_role_and_staff_group(document: str) -> None:
    text = (Path(__file__).resolve().parents[2] / document).read_text()
    for name in [*(role.value for role in Role), *STAFF_GROUPS]:
        assert f"`{name}`" in text, name


def test_token_command_refuses_an_unknown_staff_group(db: Database, tmp_path: Path) -> None:
    result = run(["token", "--subject", "p", "--organisation",
                  "5b0c7f0e-5a8e-4c39-9f7e-1f1f1f1f1f1f", "--role", "staff",
                  "--staff-group", "wizards"], env_for(db, tmp_path))
    assert result.returncode == 2
    assert "wizards" in result.stderr
    assert "nursing_and_midwifery" in result.stderr


UUID_LINE = re.compile(r"^\s*([0-9a-f-]{36})\s+(.+)$", re.MULTILINE)


def printed_header(output: str) -> dict[str, str]:
    """The GraphiQL header line that ``seed`` and ``organisations`` print."""
    line = next(line for line in output.splitlines() if line.startswith('{"Authorization"'))
    header: dict[str, str] = json.loads(line)
    return header


def test_first_use_seeds_once_and_prints_organisations_and_a_working_token_on_every_start(
        empty: Database, tmp_path: Path) -> None:
    env = env_for(empty, tmp_path)
    assert run(["migrate"], env).returncode == 0
    first = run(["seed", "--if-empty", "--innovations", "2"], env)
    again = run(["seed", "--if-empty", "--innovations", "2"], env)
    assert first.returncode == 0, first.stderr
    assert again.returncode == 0, again.stderr
    assert "not seeding" in again.stdout
    organisations = UUID_LINE.findall(first.stdout)
    assert len(organisations) >= 2
    assert UUID_LINE.findall(again.stdout) == organisations
    graphql = f"http://127.0.0.1:{env['LIFECYCLE_PORT']}/graphql"
    assert graphql in again.stdout
    # The command to mint other tokens is printed as it was run here (the README's
    # `.venv/bin/lifecycle` under `make run`), so it works when pasted.
    assert f"Other tokens: {sys.executable} -m lifecycle token --subject" in again.stdout

    # As `make run` serves it (the embedded database runs the projector in serve): a token is
    # checked against the directory read model, which a projector must fill.
    service = start({**env, "LIFECYCLE_PROJECTOR": "on"})
    try:
        answers = [httpx.post(graphql, headers=printed_header(output.stdout), json={
            "query": "{ me { subject organisationId roles } }"}, timeout=60).json()
            for output in (first, again)]
    finally:
        stop(service)
    for answer in answers:
        assert answer == {"data": {"me": {"subject": "person-1",
                                          "organisationId": organisations[0][0],
                                          "roles": ["innovation_lead", "staff"]}}}


def test_serve_refuses_an_unmigrated_database(empty: Database, tmp_path: Path) -> None:
    result = run(["serve"], env_for(empty, tmp_path))
    assert result.returncode != 0
    assert "lifecycle migrate" in result.stderr


# Generous: a loaded machine took 53 s to start two uvicorn workers. Only a service that never
# gets ready fails the test, and then its whole process group goes, so that orphaned workers
# holding the output pipe cannot hang the test instead.
READY_SECONDS = 300


def start(env: dict[str, str]) -> subprocess.Popen[str]:
    process = subprocess.Popen([*LIFECYCLE, "serve"], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{env['LIFECYCLE_PORT']}/readyz"
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited: {process.communicate()[0]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError(f"serve did not become ready: {process.communicate(timeout=30)[0]}")


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.communicate(timeout=120)  # waits, and closes the output pipe
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
        raise


def test_submitted_idea_survives_a_restart_of_the_service(
        db: Database, app: LifecycleApplication, tmp_path: Path) -> None:
    staff = member(new_organisation(app, "Aneurin Bevan UHB", ()), Role.STAFF)
    env = env_for(db, tmp_path)
    token = run(["token", "--subject", staff.subject, "--organisation",
                 str(staff.organisation), "--role", "staff"], env).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    graphql = f"http://127.0.0.1:{env['LIFECYCLE_PORT']}/graphql"
    env["LIFECYCLE_PROJECTOR"] = "on"  # the read side is this service's own (nothing else runs)

    service = start(env)
    try:
        created = httpx.post(graphql, headers=headers, json={"query": """
            mutation { submitIdea(input: {title: "Outlives restarts", problem: "p",
                                          proposal: "q"}) {
              ... on IdeaSubmitted { innovation { id } position } } }"""}).json()
    finally:
        stop(service)
    submitted = created["data"]["submitIdea"]

    service = start(env)
    try:  # read at least up to the write (the new process's projector may not be there yet)
        read = httpx.post(graphql, headers=headers, json={
            "query": "query($id: ID!, $at: String) { innovation(id: $id, consistentWith: $at) "
                     "{ title } }",
            "variables": {"id": submitted["innovation"]["id"], "at": submitted["position"]}
        }).json()
    finally:
        stop(service)
    assert read["data"]["innovation"] == {"title": "Outlives restarts"}


def test_status_shows_each_read_model_against_the_head(db: Database, tmp_path: Path) -> None:
    result = run(["status"], env_for(db, tmp_path))
    assert result.returncode == 0, result.stderr
    for name in ("innovations", "directory", "spread", "funding", "decisions", "improvement"):
        assert name in result.stdout
    assert "lag" in result.stdout
    assert result.stdout.endswith("\n")


def test_rebuild_needs_a_name_or_all(db: Database, tmp_path: Path) -> None:
    result = run(["rebuild"], env_for(db, tmp_path))
    assert result.returncode == 2
    assert "--all" in result.stderr
    unknown = run(["rebuild", "nonsense"], env_for(db, tmp_path))
    assert unknown.returncode == 2
    assert "innovations" in unknown.stderr


def worker_processes(parent: int) -> list[int]:
    """The uvicorn worker processes (multiprocessing's spawned children) of ``parent``."""
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return [int(pid) for pid in children
            if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")]


def test_serve_runs_the_configured_number_of_workers_and_they_serve_writes_and_reads(
        db: Database, app: LifecycleApplication, tmp_path: Path) -> None:
    staff = member(new_organisation(app, "Hywel Dda UHB", ()), Role.STAFF)
    env = {**env_for(db, tmp_path), "LIFECYCLE_WORKERS": "2", "LIFECYCLE_PROJECTOR": "on"}
    token = run(["token", "--subject", staff.subject, "--organisation",
                 str(staff.organisation), "--role", "staff"], env).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    graphql = f"http://127.0.0.1:{env['LIFECYCLE_PORT']}/graphql"

    service = start(env)
    try:
        workers = worker_processes(service.pid)
        created = httpx.post(graphql, headers=headers, json={"query": """
            mutation { submitIdea(input: {title: "Served by many", problem: "p",
                                          proposal: "q"}) {
              ... on IdeaSubmitted { innovation { id } position } } }"""}).json()
        submitted = created["data"]["submitIdea"]
        read = httpx.post(graphql, headers=headers, json={
            "query": "query($id: ID!, $at: String) { innovation(id: $id, consistentWith: $at) "
                     "{ title } }",
            "variables": {"id": submitted["innovation"]["id"], "at": submitted["position"]},
        }).json()
    finally:
        stop(service)
    assert len(workers) == 2
    assert read == {"data": {"innovation": {"title": "Served by many"}}}
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)  # stopped with the parent


def test_workers_of_an_embedded_database_are_told_its_address_and_run_the_projector(
        tmp_path: Path) -> None:
    from lifecycle.service.console import worker_environment

    embedded = Database(host="127.0.0.1", port=5999, user="u", password="p", dbname="d",
                        embedded=True)
    assert worker_environment(Settings(data_dir=tmp_path), embedded) == {
        "DATABASE_URL": embedded.url, "LIFECYCLE_PROJECTOR": "on"}
    shared = Database(host="db", port=5432, user="u", password="p", dbname="d", embedded=False)
    assert worker_environment(Settings(data_dir=tmp_path), shared) == {
        "DATABASE_URL": shared.url}
    off = Settings(data_dir=tmp_path, projector="off")
    assert worker_environment(off, embedded) == {"DATABASE_URL": embedded.url}
