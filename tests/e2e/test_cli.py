"""The command line as a person runs it: migrate, token, serve (and serve again)."""

from __future__ import annotations

import os
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
from lifecycle.database import Database, create_database
from lifecycle.settings import Settings
from schema.tokens import Verifier
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


def test_serve_refuses_an_unmigrated_database(empty: Database, tmp_path: Path) -> None:
    result = run(["serve"], env_for(empty, tmp_path))
    assert result.returncode != 0
    assert "lifecycle migrate" in result.stderr


def start(env: dict[str, str]) -> subprocess.Popen[str]:
    process = subprocess.Popen([*LIFECYCLE, "serve"], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{env['LIFECYCLE_PORT']}/readyz"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited: {process.communicate()[0]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"serve did not become ready: {process.communicate()[0]}")


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=30)  # waits, and closes the output pipe


def test_submitted_idea_survives_a_restart_of_the_service(
        db: Database, app: LifecycleApplication, tmp_path: Path) -> None:
    staff = member(new_organisation(app, "Aneurin Bevan UHB", ()), Role.STAFF)
    env = env_for(db, tmp_path)
    token = run(["token", "--subject", staff.subject, "--organisation",
                 str(staff.organisation), "--role", "staff"], env).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    graphql = f"http://127.0.0.1:{env['LIFECYCLE_PORT']}/graphql"

    service = start(env)
    try:
        created = httpx.post(graphql, headers=headers, json={"query": """
            mutation { submitIdea(input: {title: "Outlives restarts", problem: "p",
                                          proposal: "q"}) {
              ... on IdeaSubmitted { innovation { id } } } }"""}).json()
    finally:
        stop(service)
    ident = created["data"]["submitIdea"]["innovation"]["id"]

    service = start(env)
    try:
        read = httpx.post(graphql, headers=headers, json={
            "query": "query($id: ID!) { innovation(id: $id) { title } }",
            "variables": {"id": ident}}).json()
    finally:
        stop(service)
    assert read["data"]["innovation"] == {"title": "Outlives restarts"}


def test_status_shows_each_read_model_against_the_head(db: Database, tmp_path: Path) -> None:
    result = run(["status"], env_for(db, tmp_path))
    assert result.returncode == 0, result.stderr
    for name in ("innovations", "directory", "spread", "funding", "decisions", "improvement"):
        assert name in result.stdout
    assert "lag" in result.stdout


def test_rebuild_needs_a_name_or_all(db: Database, tmp_path: Path) -> None:
    result = run(["rebuild"], env_for(db, tmp_path))
    assert result.returncode == 2
    assert "--all" in result.stderr
    unknown = run(["rebuild", "nonsense"], env_for(db, tmp_path))
    assert unknown.returncode == 2
    assert "innovations" in unknown.stderr
