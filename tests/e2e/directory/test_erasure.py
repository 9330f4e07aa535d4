"""Erasing a person as a platform administrator asks for it: the erasePerson mutation over real
HTTP, `lifecycle people erase`, and the erasure log re-applied when the service starts and at
`lifecycle migrate` after the database was restored from a backup taken before the erasure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from lifecycle.actor import Actor, Role
from lifecycle.application import LifecycleApplication
from lifecycle.directory.erasure_log import ErasureLog
from lifecycle.store.database import Database
from tests.conftest import (
    ADMIN,
    drop_database,
    fresh_database,
    make_app,
    member,
    new_organisation,
    settings_for,
)
from tests.e2e.conftest import LiveServer, serving
from tests.integration.directory.test_erasure_restore import backup, restore

LIFECYCLE = [sys.executable, "-m", "lifecycle"]


def env_for(db: Database, data_dir: Path) -> dict[str, str]:
    """The command line's environment: this database, and a data directory (where the
    development erasure log is)."""
    return {**os.environ, "DATABASE_URL": db.url, "LIFECYCLE_DATA_DIR": str(data_dir),
            "LIFECYCLE_LOG_LEVEL": "WARNING"}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LIFECYCLE, *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


ERASE = """mutation($subject: ID!) { erasePerson(input: {subject: $subject}) {
  __typename
  ... on PersonErased { subject erasedAt position replayed }
  ... on UserError { code message } } }"""


def erase(url: str, token: str, subject: str) -> dict[str, Any]:
    body = httpx.post(f"{url}/graphql", headers={"Authorization": f"Bearer {token}"},
                      json={"query": ERASE, "variables": {"subject": subject}}, timeout=30).json()
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["erasePerson"]
    return payload


def test_a_platform_administrator_erases_a_person_over_graphql(
        live: LiveServer, app: LifecycleApplication) -> None:
    person = app.people.register("Gwen GraphQL", "gwen@nhs.example")

    erased = erase(live.url, live.token(ADMIN), person.subject)

    assert erased["__typename"] == "PersonErased"
    assert (erased["subject"], erased["replayed"]) == (person.subject, False)
    assert app.people.find(person.subject).display_name is None
    log = ErasureLog(live.settings.erasure_log_file)
    assert person.subject in log.subjects()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.STAFF, Role.GOVERNANCE_BOARD])
def test_erasure_by_anyone_but_a_platform_administrator_is_forbidden(
        live: LiveServer, app: LifecycleApplication, role: Role) -> None:
    person = app.people.register("Fflur Forbidden")
    caller: Actor = member(new_organisation(app), role)

    refused = erase(live.url, live.token(caller), person.subject)

    assert (refused["__typename"], refused["code"]) == ("ForbiddenError", "FORBIDDEN")
    assert app.people.find(person.subject).display_name == "Fflur Forbidden"


def test_erasing_an_unknown_person_over_graphql_is_not_found(live: LiveServer) -> None:
    refused = erase(live.url, live.token(ADMIN), "person-never-registered")
    assert (refused["__typename"], refused["code"]) == ("NotFoundError", "NOT_FOUND")
    assert refused["message"] == "person person-never-registered does not exist"


def test_erasing_twice_over_graphql_is_already_erased(
        live: LiveServer, app: LifecycleApplication) -> None:
    person = app.people.register("Tomos Twice")
    erase(live.url, live.token(ADMIN), person.subject)

    refused = erase(live.url, live.token(ADMIN), person.subject)

    assert (refused["__typename"], refused["code"]) == ("InvalidStateError", "ALREADY_ERASED")


def test_lifecycle_people_erase_erases_and_refuses_the_unknown_and_the_erased(
        db: Database, app: LifecycleApplication, tmp_path: Path) -> None:
    person = app.people.register("Carys Command-Line")
    env = env_for(db, tmp_path)

    done = run(["people", "erase", person.subject, "--by", "ops-1"], env)
    again = run(["people", "erase", person.subject, "--by", "ops-1"], env)
    unknown = run(["people", "erase", "person-nobody-at-all"], env)

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["subject"] == person.subject
    assert app.people.find(person.subject).display_name is None
    assert person.subject in ErasureLog(tmp_path / "erasure-log.jsonl").subjects()
    assert (again.returncode, again.stderr.strip()) == (
        2, f"error: person {person.subject} is already erased")
    assert (unknown.returncode, unknown.stderr.strip()) == (
        2, "error: person person-nobody-at-all does not exist")


@pytest.fixture
def own(server: Database) -> Iterator[Database]:
    db = fresh_database(server, "lifecycle_restored")
    yield db
    drop_database(server, db)


def test_a_restored_key_is_erased_again_when_the_service_starts(
        own: Database, tmp_path: Path) -> None:
    settings = settings_for(own, tmp_path)
    app = make_app(own)
    try:
        person = app.people.register("Rhodri Restored")
        backup(own)
        with serving(settings, own) as url:
            token = LiveServer(url, settings, []).token(ADMIN)
            assert erase(url, token, person.subject)["__typename"] == "PersonErased"
        restore(own, log_too=True)  # the whole database as it was before the erasure
        assert app.people.find(person.subject).display_name == "Rhodri Restored"

        with serving(settings, own):
            assert app.people.find(person.subject).display_name is None
    finally:
        app.close()


def test_a_restored_key_is_erased_again_by_lifecycle_migrate(
        own: Database, tmp_path: Path) -> None:
    app = make_app(own)
    env = env_for(own, tmp_path)
    try:
        person = app.people.register("Megan Migrated")
        backup(own)
        assert run(["people", "erase", person.subject], env).returncode == 0
        restore(own)
        assert app.people.find(person.subject).display_name == "Megan Migrated"

        migrated = run(["migrate"], env)

        assert migrated.returncode == 0, migrated.stderr
        assert "erased again (a restore had brought them back): 1" in migrated.stdout
        assert app.people.find(person.subject).display_name is None
        with psycopg.connect(own.dsn) as conn:
            keys = conn.execute("SELECT count(*) FROM lifecycle_person_keys WHERE subject = %s",
                                (person.subject,)).fetchone()
        assert keys == (0,)
    finally:
        app.close()


def test_the_read_side_shows_an_erased_persons_id_as_erased(
        live: LiveServer, app: LifecycleApplication) -> None:
    person, kept = app.people.register("Owain Read-Side"), app.people.register("Kept Kim")
    staff = member(new_organisation(app), Role.STAFF)
    erased = erase(live.url, live.token(ADMIN), person.subject)
    headers = {"Authorization": f"Bearer {live.token(staff)}"}
    # The directory's read model is folded in the projector's batch with the innovations'.
    httpx.post(f"{live.url}/graphql", headers=headers, timeout=30, json={
        "query": "query($at: String) { innovations(first: 0, consistentWith: $at) "
                 "{ edges { cursor } } }", "variables": {"at": erased["position"]}})

    body = httpx.post(f"{live.url}/graphql", headers=headers, timeout=30, json={
        "query": "query($s: [ID!]!) { erasedPeople(subjects: $s) { subject erasedAt } }",
        "variables": {"s": [kept.subject, person.subject, "person-unknown"]}}).json()

    assert body["data"]["erasedPeople"] == [{"subject": person.subject,
                                             "erasedAt": erased["erasedAt"]}]


@pytest.mark.parametrize(("subjects", "said"), [
    ([f"person-{n}" for n in range(101)], "subjects: at most 100 ids at once"),
    (["person-1", "person-\x00"], "subjects[1]: must not contain U+0000"),
    ([" person-1"], "subjects[0]: must not begin or end with space"),
])
def test_asking_about_malformed_or_too_many_ids_is_refused_as_validation(
        live: LiveServer, app: LifecycleApplication, subjects: list[str], said: str) -> None:
    staff = member(new_organisation(app), Role.STAFF)
    body = httpx.post(f"{live.url}/graphql", timeout=30,
                      headers={"Authorization": f"Bearer {live.token(staff)}"}, json={
        "query": "query($s: [ID!]!) { erasedPeople(subjects: $s) { subject } }",
        "variables": {"s": subjects}}).json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION"
    assert error["message"].startswith(said)
