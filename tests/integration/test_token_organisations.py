"""A token must name an organisation that exists: the check against the directory read model
(``schema.auth.Organisations``), on a database of its own where the test decides when the
projector runs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from uuid import uuid4

import asyncpg
import pytest

from lifecycle.actor import PLATFORM, Actor, Role
from lifecycle.application import LifecycleApplication
from lifecycle.store.database import Database
from projections.directory.projection import Directory
from projections.engine import tracking
from projections.engine.runner import Projector
from projections.engine.watcher import Watcher
from schema.reads import Reads
from schema.server.auth import Organisations
from schema.server.tokens import AuthenticationFailed, Identity
from tests.conftest import drop_database, fresh_database, make_app, member, new_organisation


@pytest.fixture
def fresh(server: Database) -> Iterator[tuple[Database, LifecycleApplication]]:
    db = fresh_database(server, "lifecycle_tenancy")
    app = make_app(db)
    yield db, app
    app.close()
    drop_database(server, db)


@pytest.fixture
async def reads(fresh: tuple[Database, LifecycleApplication]) -> AsyncIterator[Reads]:
    watcher = Watcher(fresh[0].url)
    await watcher.start()
    reads = await Reads.open(fresh[0].url, watcher, 2)
    yield reads
    await reads.close()
    await watcher.close()


async def project_directory(db: Database) -> None:
    """One pass of the projector over the log, for the directory (as ``serve`` runs it)."""
    projector = Projector(db.url, [Directory()])
    conn = await asyncpg.connect(db.url)
    try:
        projector.positions["directory"] = await tracking.ensure(conn, "directory")
        await projector.catch_up(conn)
    finally:
        await conn.close()


def identity(actor: Actor) -> Identity:
    return Identity(actor, None)


async def test_an_organisation_registered_moments_ago_is_accepted_once_the_directory_has_it(
        fresh: tuple[Database, LifecycleApplication], reads: Reads) -> None:
    db, app = fresh
    staff = member(new_organisation(app, "Hywel Dda UHB", ()), Role.STAFF)
    organisations = Organisations(reads)
    # The check waits for the directory to reach the log's head; the projector runs meanwhile.
    check = asyncio.create_task(organisations.check(identity(staff)))
    await project_directory(db)
    await check
    assert staff.organisation in organisations.known


async def test_an_organisation_never_registered_is_refused_once_the_directory_is_current(
        fresh: tuple[Database, LifecycleApplication], reads: Reads) -> None:
    db, app = fresh
    new_organisation(app, "Powys THB", ())
    await project_directory(db)
    stranger = Actor("person-1", uuid4(), frozenset({Role.STAFF}))
    with pytest.raises(AuthenticationFailed, match=rf"'org'.*no organisation "
                                                   f"{stranger.organisation} is registered"):
        await Organisations(reads).check(identity(stranger))


async def test_an_organisation_the_directory_has_not_reached_in_time_is_refused_saying_so(
        fresh: tuple[Database, LifecycleApplication], reads: Reads) -> None:
    _, app = fresh
    staff = member(new_organisation(app, "Cwm Taf Morgannwg UHB", ()), Role.STAFF)
    reads.wait_seconds = 0.2  # no projector runs here: the wait can only run out
    with pytest.raises(AuthenticationFailed, match=r"not known yet.*retry shortly"):
        await Organisations(reads).check(identity(staff))


async def test_the_platform_administrator_needs_no_organisation(reads: Reads) -> None:
    root = Actor("platform-root", PLATFORM, frozenset({Role.PLATFORM_ADMIN}))
    await Organisations(reads).check(identity(root))  # no refusal, no wait
