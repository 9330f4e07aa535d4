"""Shared fixtures: a real PostgreSQL (embedded, or the server named by ``DATABASE_URL``) with a
fresh, migrated database for each test session, and the application on it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from uuid import uuid4

import pytest
from hypothesis import settings as hypothesis_settings

from lifecycle.actor import PLATFORM, Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.commands import RegisterOrganisation
from lifecycle.service.settings import Settings
from lifecycle.store import database
from lifecycle.store.database import Database
from lifecycle.vocabulary import OrganisationKind
from projections.engine.upgrade import migrate_everything

# No deadline on a property's examples: how long one takes says how busy the machine is, not
# whether the property holds (speed is measured in bench/).
hypothesis_settings.register_profile("lifecycle", deadline=None)
hypothesis_settings.load_profile("lifecycle")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def server() -> Database:
    """The PostgreSQL server the tests use."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return database.from_url(url)
    return database.start_embedded(ROOT / ".data" / "test")


def fresh_database(server: Database, prefix: str = "lifecycle_test") -> Database:
    """A new, empty, migrated database on ``server`` (read models' tables made too)."""
    db = database.create_database(server, f"{prefix}_{os.getpid()}_{uuid4().hex[:8]}")
    # In a thread of its own: it runs an event loop, and async fixtures call this from one.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(migrate_everything, db).result()
    return db


drop_database = database.drop_database


@pytest.fixture(scope="session")
def db(server: Database) -> Iterator[Database]:
    """One migrated database for the session (tests use fresh aggregates, never shared ids)."""
    created = fresh_database(server)
    yield created
    drop_database(server, created)


def make_app(db: Database, pool_size: int = 4) -> LifecycleApplication:
    return LifecycleApplication(env=db.eventsourcing_env(pool_size))


@pytest.fixture(scope="session")
def app(db: Database) -> Iterator[LifecycleApplication]:
    application = make_app(db, pool_size=10)
    yield application
    application.close()


ADMIN = Actor("platform-root", PLATFORM, frozenset({Role.PLATFORM_ADMIN}))
"""The platform administrator: the only one who registers organisations."""


def new_organisation(app: LifecycleApplication, name: str = "Cwm Taf Trust",
                     sites: tuple[str, ...] = ("Royal Glamorgan", "Prince Charles")) -> Actor:
    """Register an organisation (as the platform administrator); return an admin actor of
    it, who administers that organisation only."""
    outcome = app.execute(RegisterOrganisation(name=name, kind=OrganisationKind.TRUST,
                                               sites=sites), CommandContext(ADMIN))
    return Actor("admin-" + outcome.aggregate_id.hex[:6], outcome.aggregate_id,
                 frozenset({Role.ADMIN}))


def member(org_admin: Actor, *roles: Role, subject: str | None = None) -> Actor:
    """A person of ``org_admin``'s organisation; an auditor audits that organisation."""
    audits = frozenset({org_admin.organisation}) if Role.AUDITOR in roles else frozenset()
    return Actor(subject or f"person-{uuid4().hex[:8]}", org_admin.organisation,
                 frozenset(roles), staff_group="nursing_and_midwifery", audit_scope=audits)


def settings_for(db: Database, tmp: Path) -> Settings:
    # Checkpoints of the transparency log within a second of a write, not ten minutes.
    return Settings(database_url=_url(db), data_dir=tmp, audit_checkpoint_minutes=0.01)


def _url(db: Database) -> str:
    return db.url
