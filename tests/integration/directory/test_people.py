"""The person registry: names live in one place, and erasing a person touches only it."""

from __future__ import annotations

import psycopg
import pytest

from lifecycle import commands as c
from lifecycle.actor import CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.errors import NotFound, ValidationFailed
from lifecycle.store.database import Database
from tests.conftest import member, new_organisation


def test_registered_person_is_found_by_their_opaque_id(app: LifecycleApplication) -> None:
    person = app.people.register("Dr Ceri Evans", "ceri.evans@nhs.example")
    assert person.subject.startswith("person-")
    found = app.people.find(person.subject)
    assert (found.display_name, found.email) == ("Dr Ceri Evans", "ceri.evans@nhs.example")
    assert app.people.names([person.subject]) == {person.subject: "Dr Ceri Evans"}


def test_erasure_removes_the_name_from_the_registry_and_it_was_never_in_the_log(
        app: LifecycleApplication, db: Database) -> None:
    person = app.people.register("Rhian Morgan-Unique", "rhian@nhs.example")
    org = new_organisation(app)
    staff = member(org, Role.STAFF, subject=person.subject)
    app.execute(c.SubmitIdea(title="Discharge lounge", problem="p", proposal="q"),
                CommandContext(staff))

    erased = app.people.erase(person.subject)

    assert erased.erased_at is not None
    after = app.people.find(person.subject)
    assert (after.display_name, after.email) == (None, None)
    assert app.people.names([person.subject]) == {}
    with psycopg.connect(db.dsn) as conn:
        in_log = conn.execute("SELECT count(*) FROM lifecycle_events WHERE "
                              "convert_from(state, 'UTF8') LIKE %s",
                              ("%Rhian Morgan-Unique%",)).fetchone()
        by_id = conn.execute("SELECT count(*) FROM lifecycle_events WHERE "
                             "convert_from(state, 'UTF8') LIKE %s",
                             (f"%{person.subject}%",)).fetchone()
    assert in_log == (0,)
    assert by_id is not None
    assert by_id[0] >= 1  # the log keeps the opaque id, now leading nowhere


def test_registering_without_a_name_is_refused(app: LifecycleApplication) -> None:
    with pytest.raises(ValidationFailed, match="display_name"):
        app.people.register("   ")


def test_registering_a_malformed_email_is_refused(app: LifecycleApplication) -> None:
    with pytest.raises(ValidationFailed, match="email"):
        app.people.register("Alex", "not-an-address")


def test_registering_a_taken_id_is_refused(app: LifecycleApplication) -> None:
    person = app.people.register("Sam")
    with pytest.raises(ValidationFailed, match="already registered"):
        app.people.register("Someone else", subject=person.subject)


def test_unknown_person_is_not_found(app: LifecycleApplication) -> None:
    with pytest.raises(NotFound):
        app.people.find("person-nobody")
    with pytest.raises(NotFound):
        app.people.erase("person-nobody")
