"""Erasing a person on a real PostgreSQL: the key and sealed details go and the log records it in
one transaction; the erasure log outside the database is written first; every refusal changes
nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cryptography.exceptions import InvalidTag

from lifecycle import commands as c
from lifecycle.actor import CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.directory import sealing
from lifecycle.directory.erasure import PersonErasure, erasure_id
from lifecycle.directory.erasure_log import ErasureLog, ErasureLogDamaged
from lifecycle.errors import AlreadyErased, Forbidden, NotFound, ValidationFailed
from lifecycle.innovations.innovation import Innovation
from lifecycle.service.settings import ConfigurationError, Mode, Settings
from lifecycle.store.database import Database
from tests.conftest import ADMIN, member, new_organisation


@pytest.fixture
def erasures(tmp_path: Path) -> ErasureLog:
    return ErasureLog(tmp_path / "erasures" / "erasure-log.jsonl")


@pytest.fixture
def app(db: Database, erasures: ErasureLog) -> Iterator[LifecycleApplication]:
    application = LifecycleApplication(env=db.eventsourcing_env(2), erasure_log=erasures)
    yield application
    application.close()


def as_admin() -> CommandContext:
    return CommandContext(ADMIN)


def registry_row(db: Database, subject: str) -> dict[str, Any]:
    with psycopg.connect(db.dsn, row_factory=psycopg.rows.dict_row) as conn:
        row = conn.execute(
            "SELECT p.display_name_sealed, p.email_sealed, p.erased_at, k.key FROM "
            "lifecycle_people p LEFT JOIN lifecycle_person_keys k USING (subject) "
            "WHERE p.subject = %s", (subject,)).fetchone()
    assert row is not None
    return row


def head(db: Database) -> int:
    with psycopg.connect(db.dsn) as conn:
        row = conn.execute("SELECT coalesce(max(notification_id), 0) FROM lifecycle_events"
                           ).fetchone()
    assert row is not None
    return int(row[0])


def test_erasing_deletes_the_key_and_sealed_details_and_records_person_erased(
        app: LifecycleApplication, db: Database, erasures: ErasureLog) -> None:
    person = app.people.register("Dr Erin Erased-Once", "erin@nhs.example")
    sealed = registry_row(db, person.subject)["display_name_sealed"]
    staff = member(new_organisation(app), Role.STAFF, subject=person.subject)
    idea = app.execute(c.SubmitIdea(title="Discharge lounge", problem="p", proposal="q"),
                       CommandContext(staff)).aggregate_id

    outcome = app.execute(c.ErasePerson(person.subject), as_admin())

    after = app.people.find(person.subject)
    assert (after.display_name, after.email) == (None, None)
    assert after.erased_at is not None
    assert app.people.names([person.subject]) == {}
    row = registry_row(db, person.subject)
    assert (row["key"], row["display_name_sealed"], row["email_sealed"]) == (None, None, None)
    # Crypto-shredding: no key left in the database opens what was sealed for them.
    with psycopg.connect(db.dsn) as conn:
        keys = [bytes(k[0]) for k in conn.execute("SELECT key FROM lifecycle_person_keys")]
    for key in keys:
        with pytest.raises(InvalidTag):
            sealing.open_sealed(key, person.subject, "display_name", sealed)
    erasure = app.load(PersonErasure, outcome.aggregate_id)
    assert outcome.aggregate_id == erasure_id(person.subject)
    assert (erasure.subject, erasure.version) == (person.subject, 1)
    assert person.subject in erasures.subjects()
    # Every other fact stays, under the opaque id.
    submitted = app.load(Innovation, idea)
    assert (submitted.submitter, submitted.title) == (person.subject, "Discharge lounge")


def test_erasing_an_unknown_person_is_not_found_and_changes_nothing(
        app: LifecycleApplication, db: Database, erasures: ErasureLog) -> None:
    before = head(db)
    with pytest.raises(NotFound, match="person person-nobody-here does not exist"):
        app.execute(c.ErasePerson("person-nobody-here"), as_admin())
    assert head(db) == before
    assert erasures.subjects() == set()


def test_erasing_twice_is_already_erased_and_changes_nothing(
        app: LifecycleApplication, db: Database, erasures: ErasureLog) -> None:
    person = app.people.register("Twice Tried")
    app.execute(c.ErasePerson(person.subject), as_admin())
    before, lines = head(db), erasures.path.read_text()
    with pytest.raises(AlreadyErased, match="already erased") as refused:
        app.execute(c.ErasePerson(person.subject), as_admin())
    assert refused.value.code == "ALREADY_ERASED"
    assert head(db) == before
    assert erasures.path.read_text() == lines


@pytest.mark.parametrize("role", [Role.ADMIN, Role.GOVERNANCE_BOARD, Role.STAFF, Role.AUDITOR])
def test_only_a_platform_administrator_may_erase(
        app: LifecycleApplication, db: Database, erasures: ErasureLog, role: Role) -> None:
    person = app.people.register("Kept Safe", "kept@nhs.example")
    caller = member(new_organisation(app), role)
    before = head(db)
    with pytest.raises(Forbidden, match=r"erase a person|auditors read the record"):
        app.execute(c.ErasePerson(person.subject), CommandContext(caller))
    assert head(db) == before
    assert app.people.find(person.subject).display_name == "Kept Safe"
    assert erasures.subjects() == set()


def test_a_malformed_id_is_refused_before_anything_is_looked_up() -> None:
    with pytest.raises(ValidationFailed, match="subject"):
        c.ErasePerson(" person-1")


def test_an_erasure_that_cannot_be_written_to_the_erasure_log_is_not_stored(
        db: Database, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    unwritable = ErasureLog(tmp_path / "a-file" / "erasure-log.jsonl")
    application = LifecycleApplication(env=db.eventsourcing_env(2), erasure_log=unwritable)
    try:
        person = application.people.register("Written First")
        before = head(db)
        with pytest.raises(OSError, match="a-file"):
            application.execute(c.ErasePerson(person.subject), as_admin())
        assert head(db) == before
        assert application.people.find(person.subject).display_name == "Written First"
    finally:
        application.close()


def test_a_torn_last_line_is_ignored_and_any_other_damage_refused(erasures: ErasureLog) -> None:
    erasures.record("person-a")
    with erasures.path.open("a") as file:
        file.write('{"subject": "person-b"')  # a write cut short by a crash
    assert erasures.subjects() == {"person-a"}
    with erasures.path.open("a") as file:
        file.write("\nnot json\n")
    with pytest.raises(ErasureLogDamaged, match="line 2"):
        erasures.subjects()


def test_production_needs_an_erasure_log_named_outside_the_database(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="LIFECYCLE_ERASURE_LOG is required"):
        _ = Settings(mode=Mode.PRODUCTION, data_dir=tmp_path).erasure_log_file
    named = tmp_path / "elsewhere" / "erasures.jsonl"
    assert Settings(mode=Mode.PRODUCTION, erasure_log=named).erasure_log_file == named
    assert Settings(data_dir=tmp_path).erasure_log_file == tmp_path / "erasure-log.jsonl"
