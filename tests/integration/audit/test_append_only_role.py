"""deploy/append_only.sql: the database role the service runs as appends to the history and
takes the recorder's insert lock, but cannot update, delete or truncate it; a trigger refuses
those to the tables' owner too."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import psycopg
import pytest

from lifecycle import commands as c
from lifecycle.actor import CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.store.database import Database
from tests.conftest import ROOT, drop_database, fresh_database, make_app, member, new_organisation
from tests.integration.audit_world import chain_all

SERVICE_ROLE = "lifecycle_service"
HISTORY = ("lifecycle_events", "audit_leaves", "audit_nodes", "audit_checkpoints")


@pytest.fixture(scope="module")
def owner_db(server: Database) -> Iterator[Database]:
    db = fresh_database(server, "lifecycle_append_only")
    with psycopg.connect(db.dsn, autocommit=True) as conn:
        conn.execute((ROOT / "deploy" / "append_only.sql").read_bytes())
    yield db
    drop_database(server, db)


@pytest.fixture(scope="module")
def service(owner_db: Database) -> Iterator[tuple[Database, LifecycleApplication]]:
    as_role = replace(owner_db, user=SERVICE_ROLE, password="")
    app = make_app(as_role)
    yield as_role, app
    app.close()


def test_the_role_does_not_own_the_history(owner_db: Database) -> None:
    with psycopg.connect(owner_db.dsn) as conn:
        owners = {row[0] for row in conn.execute(
            "SELECT tableowner FROM pg_tables WHERE tablename = ANY(%s)", (list(HISTORY),))}
    assert owners
    assert SERVICE_ROLE not in owners


async def test_the_role_appends_events_under_the_insert_lock_and_chains_them(
        service: tuple[Database, LifecycleApplication]) -> None:
    db, app = service
    staff = member(new_organisation(app), Role.STAFF)
    outcome = app.execute(c.SubmitIdea(title="Appended", problem="p", proposal="q"),
                          CommandContext(staff))
    assert app.store.head() == outcome.position
    await chain_all(db, app)  # the chaining worker, as the role, appends leaves and checkpoints


@pytest.mark.parametrize("statement", [
    "UPDATE {table} SET {column} = {column}",
    "DELETE FROM {table}",
    "TRUNCATE {table}",
])
@pytest.mark.parametrize("table", HISTORY)
def test_the_role_cannot_update_delete_or_truncate_the_history(
        service: tuple[Database, LifecycleApplication], statement: str, table: str) -> None:
    db, _ = service
    column = "topic" if table == "lifecycle_events" else "position" \
        if table == "audit_leaves" else "hash" if table == "audit_nodes" else "note"
    with psycopg.connect(db.dsn) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege,
                                                        match="permission denied"):
        conn.execute(statement.format(table=table, column=column))


@pytest.mark.parametrize("statement", [
    "UPDATE lifecycle_events SET topic = topic", "DELETE FROM lifecycle_events",
    "TRUNCATE lifecycle_events"])
def test_the_trigger_refuses_changes_to_the_history_even_to_its_owner(
        owner_db: Database, service: tuple[Database, LifecycleApplication],
        statement: str) -> None:
    with psycopg.connect(owner_db.dsn) as conn, pytest.raises(
            psycopg.errors.InsufficientPrivilege, match="append-only"):
        conn.execute(statement)
