"""The person registry: names live in one place, and erasing a person touches only it."""

from __future__ import annotations

import psycopg
import pytest

from lifecycle.application import LifecycleApplication
from lifecycle.errors import NotFound, ValidationFailed
from lifecycle.store.database import Database


def test_registered_person_is_found_by_their_opaque_id(app: LifecycleApplication) -> None:
    person = app.people.register("Dr Ceri Evans", "ceri.evans@nhs.example")
    assert person.subject.startswith("person-")
    found = app.people.find(person.subject)
    assert (found.display_name, found.email) == ("Dr Ceri Evans", "ceri.evans@nhs.example")
    assert app.people.names([person.subject]) == {person.subject: "Dr Ceri Evans"}


def test_names_and_emails_are_stored_sealed_each_person_with_their_own_key(
        app: LifecycleApplication, db: Database) -> None:
    first = app.people.register("Rhian Morgan-Sealed", "rhian.sealed@nhs.example")
    second = app.people.register("Rhian Morgan-Sealed", "rhian.sealed@nhs.example")
    with psycopg.connect(db.dsn) as conn:
        columns = {row[0] for row in conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'lifecycle_people'")}
        plain = conn.execute(
            "SELECT count(*) FROM lifecycle_people WHERE position(%s IN display_name_sealed) > 0 "
            "OR position(%s IN email_sealed) > 0",
            (b"Rhian Morgan-Sealed", b"rhian.sealed@nhs.example")).fetchone()
        keys = conn.execute("SELECT key FROM lifecycle_person_keys WHERE subject = ANY(%s)",
                            ([first.subject, second.subject],)).fetchall()
        sealed = conn.execute("SELECT display_name_sealed FROM lifecycle_people "
                              "WHERE subject = ANY(%s)",
                              ([first.subject, second.subject],)).fetchall()
    assert "display_name" not in columns
    assert "email" not in columns
    assert plain == (0,)
    assert len({bytes(k[0]) for k in keys}) == 2  # a key each
    assert len({bytes(s[0]) for s in sealed}) == 2  # the same name seals differently


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
