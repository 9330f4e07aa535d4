"""The erasure log outside the database keeps the erased erased across a restore, and the
migration that seals the registry upgrades a database made by the migrations before it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from lifecycle import commands as c
from lifecycle.actor import CommandContext
from lifecycle.application import LifecycleApplication
from lifecycle.directory.erasure import PersonErasure, erasure_id
from lifecycle.directory.erasure_log import KEEPER, ErasureLog, reapply
from lifecycle.store.database import Database
from lifecycle.store.migrate import ALL, discover, migrate
from tests.conftest import ADMIN, drop_database, fresh_database

TABLES = ("lifecycle_people", "lifecycle_person_keys")


@pytest.fixture
def own(server: Database) -> Iterator[Database]:
    """A database of this test's own: restoring tables must not touch other tests' people."""
    db = fresh_database(server, "lifecycle_erasure")
    yield db
    drop_database(server, db)


def backup(db: Database) -> None:
    """A copy of the registry, as a backup taken now would hold it."""
    with psycopg.connect(db.dsn) as conn:
        for table in TABLES:
            conn.execute(f"CREATE TABLE backup_{table} AS TABLE {table}")


def restore(db: Database, *, log_too: bool = False) -> None:
    """Put the registry (and, with ``log_too``, the erasure events) back as the backup had
    them, as restoring the database from it would."""
    with psycopg.connect(db.dsn) as conn:
        if log_too:
            conn.execute("DELETE FROM lifecycle_events WHERE topic = %s",
                         (PersonErasure.PersonErased.TOPIC,))
        conn.execute("DELETE FROM lifecycle_person_keys")
        conn.execute("DELETE FROM lifecycle_people")
        for table in TABLES:
            conn.execute(f"INSERT INTO {table} SELECT * FROM backup_{table}")


def test_a_key_restored_from_a_backup_is_erased_again_when_the_erasure_log_is_reapplied(
        own: Database, tmp_path: Path) -> None:
    erasures = ErasureLog(tmp_path / "erasure-log.jsonl")
    app = LifecycleApplication(env=own.eventsourcing_env(2), erasure_log=erasures)
    try:
        person = app.people.register("Restored Rhodri", "rhodri@nhs.example")
        kept = app.people.register("Kept Kerry")
        backup(own)
        app.execute(c.ErasePerson(person.subject), CommandContext(ADMIN))
        restore(own)
        assert app.people.find(person.subject).display_name == "Restored Rhodri"  # the danger

        done = reapply(app, erasures)

        assert done.erased_again == [person.subject]
        assert app.people.find(person.subject).display_name is None
        assert app.people.find(kept.subject).display_name == "Kept Kerry"
        assert reapply(app, erasures).erased_again == []  # once is enough
    finally:
        app.close()


def test_an_erasure_the_restored_log_lacks_is_recorded_again_by_the_platform(
        own: Database, tmp_path: Path) -> None:
    erasures = ErasureLog(tmp_path / "erasure-log.jsonl")
    app = LifecycleApplication(env=own.eventsourcing_env(2), erasure_log=erasures)
    try:
        person = app.people.register("Rolled Back Rhys")
        backup(own)
        app.execute(c.ErasePerson(person.subject), CommandContext(ADMIN))
        restore(own, log_too=True)
        assert erasure_id(person.subject) not in app.repository

        assert reapply(app, erasures).erased_again == [person.subject]

        assert app.people.find(person.subject).display_name is None
        [recorded] = app.events.get(erasure_id(person.subject))
        assert isinstance(recorded, PersonErasure.PersonErased)
        assert (recorded.subject, recorded.actor) == (person.subject, KEEPER.subject)
    finally:
        app.close()


def test_an_erasure_the_file_lacks_is_added_to_it(own: Database, tmp_path: Path) -> None:
    first = ErasureLog(tmp_path / "first.jsonl")
    app = LifecycleApplication(env=own.eventsourcing_env(2), erasure_log=first)
    try:
        person = app.people.register("Filed Later")
        app.execute(c.ErasePerson(person.subject), CommandContext(ADMIN))
        replaced = ErasureLog(tmp_path / "replaced.jsonl")  # e.g. a file restored from before

        done = reapply(app, replaced)

        assert done.remembered == [person.subject]
        assert person.subject in replaced.subjects()
    finally:
        app.close()


def test_the_sealing_migration_upgrades_plaintext_rows_of_an_existing_database(
        server: Database) -> None:
    db = fresh_database(server, "lifecycle_unmigrated")  # then emptied to before 0004
    try:
        with psycopg.connect(db.dsn) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        before = tuple(m for m in discover(ALL) if m.package == "lifecycle.migrations"
                       and m.version < 4)
        with psycopg.connect(db.dsn) as conn:
            conn.execute("CREATE TABLE lifecycle_migrations (key text PRIMARY KEY, "
                         "applied_at timestamptz NOT NULL DEFAULT clock_timestamp())")
            for migration in before:
                migration.apply(conn)
                conn.execute("INSERT INTO lifecycle_migrations (key) VALUES (%s)",
                             (migration.key,))
            conn.execute("INSERT INTO lifecycle_people (subject, display_name, email) VALUES "
                         "('person-old', 'Olwen Old', 'olwen@nhs.example'), "
                         "('person-gone', NULL, NULL)")
            conn.execute("UPDATE lifecycle_people SET erased_at = now() "
                         "WHERE subject = 'person-gone'")

        applied = migrate(db.dsn)

        assert "lifecycle.migrations:0004_person_keys" in applied
        app = LifecycleApplication(env=db.eventsourcing_env(2))
        try:
            old = app.people.find("person-old")
            assert (old.display_name, old.email) == ("Olwen Old", "olwen@nhs.example")
            assert app.people.find("person-gone").erased_at is not None
        finally:
            app.close()
        with psycopg.connect(db.dsn) as conn:
            keyed = {r[0] for r in conn.execute("SELECT subject FROM lifecycle_person_keys")}
            plain = conn.execute("SELECT count(*) FROM information_schema.columns WHERE "
                                 "table_name = 'lifecycle_people' AND column_name IN "
                                 "('display_name', 'email')").fetchone()
        assert keyed == {"person-old"}
        assert plain == (0,)
    finally:
        drop_database(server, db)
