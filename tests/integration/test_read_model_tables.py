"""Read models own their tables (projections/<capability>/tables.sql and a version): a fresh
database gets the declared tables, a database made by the numbered migrations that used to make
them is upgraded without manual steps, and a bumped version rebuilds that read model alone into
its new shape while queries keep answering."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any
from uuid import uuid4

import anyio
import anyio.lowlevel
import asyncpg
import httpx
import psycopg
import pytest

from lifecycle import commands as c
from lifecycle.actor import CommandContext, Role
from lifecycle.seed import seed
from lifecycle.store import database
from lifecycle.store.database import Database
from lifecycle.store.migrate import discover, migrate
from projections.engine.catalogue import all_projections
from projections.engine.projection import Projection
from projections.engine.rebuild import rebuild
from projections.engine.runner import Projector
from projections.engine.shape import digest, matches
from projections.engine.upgrade import NewerReadModel, Step, migrate_everything, upgrade
from projections.spread.projection import Spread
from schema.server.tokens import mint
from tests.conftest import drop_database, make_app, member, new_organisation, settings_for
from tests.e2e.conftest import serving
from tests.integration.test_projector import catch_up, snapshot
from tests.integration.test_survival import eventually

FROZEN = resources.files("tests.fixtures").joinpath("read_model_migrations")
OLD_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def old_migrations(up_to: int = 15) -> list[tuple[str, str]]:
    """The frozen numbered migrations of the read side, as (key, sql), in order."""
    found = sorted((m[1], m[2], entry.read_text()) for entry in FROZEN.iterdir()
                   if (m := OLD_FILE.match(entry.name)) and int(m[1]) <= up_to)
    return [(f"projections.migrations:{n}_{name}", sql) for n, name, sql in found]


def made_by_the_old_migrations(server: Database, up_to: int = 15) -> Database:
    """A database as the release before read models owned their tables made it: the event
    store's migrations, then the read side's numbered ones, each key recorded as then."""
    db = database.create_database(server, f"lifecycle_old_{os.getpid()}_{uuid4().hex[:8]}")
    migrate(db.dsn, ("lifecycle.migrations",))
    with psycopg.connect(db.dsn, autocommit=True) as conn:
        for key, sql in old_migrations(up_to):
            with conn.transaction():
                conn.execute(sql.encode())
                conn.execute("INSERT INTO lifecycle_migrations (key) VALUES (%s)", (key,))
    return db


@pytest.fixture
def old(server: Database) -> Iterator[Database]:
    db = made_by_the_old_migrations(server)
    yield db
    drop_database(server, db)


@pytest.fixture
def fresh(server: Database) -> Iterator[Database]:
    db = database.create_database(server, f"lifecycle_tables_{os.getpid()}_{uuid4().hex[:8]}")
    yield db
    drop_database(server, db)


async def migrated(db: Database) -> list[str]:
    """``lifecycle migrate`` (``migrate_everything`` runs its own event loop: in a thread)."""
    return await anyio.to_thread.run_sync(migrate_everything, db)


def write_events(db: Database) -> None:
    app = make_app(db)
    try:
        seed(app, seed=5, innovations=14)
        org = new_organisation(app, "Upgrade Trust")
        staff = member(org, Role.STAFF)
        app.execute(c.SubmitIdea(title="Quieter wards overnight", problem="noise",
                                 proposal="dimmers"), CommandContext(staff))
    finally:
        app.close()


async def tables_by_oid(conn: asyncpg.Connection) -> dict[str, int]:
    rows = await conn.fetch("SELECT tablename AS relname, tablename::text::regclass::oid AS oid "
                            "FROM pg_tables WHERE schemaname = current_schema() "
                            "AND tablename LIKE 'rm\\_%'")
    return {row["relname"]: int(row["oid"]) for row in rows}


async def indexes(conn: asyncpg.Connection) -> list[tuple[str, str]]:
    rows = await conn.fetch("SELECT indexname, indexdef FROM pg_indexes "
                            "WHERE tablename LIKE 'rm\\_%' ORDER BY indexname")
    return [(row["indexname"], row["indexdef"]) for row in rows]


async def recorded(conn: asyncpg.Connection) -> dict[str, tuple[int, str]]:
    rows = await conn.fetch("SELECT name, version, digest FROM read_model_versions")
    return {row["name"]: (row["version"], row["digest"]) for row in rows}


def declared_versions(projections: list[Projection]) -> dict[str, tuple[int, str]]:
    return {p.name: (p.version, digest(p.ddl)) for p in projections}


def every_step(action: str) -> list[str]:
    return [str(Step(p.name, action, p.version)) for p in all_projections()]


def upgrade_of_numbered(changed: frozenset[str] = frozenset(),
                        absent: frozenset[str] = frozenset()) -> list[str]:
    """What upgrading a database made by the numbered migrations does: version 1 of each read
    model is the shape those migrations made, so it is adopted; a read model declared at a
    later version (or in ``changed``, a shape the database lacks) is rebuilt, and one whose
    tables it has none of (``absent``) is created."""
    def action(p: Projection) -> str:
        if p.name in absent:
            return "created"
        return "rebuilt" if p.version > 1 or p.name in changed else "adopted"
    return [str(Step(p.name, action(p), p.version)) for p in all_projections()]


def tables_of(steps: list[str], action: str) -> set[str]:
    return {t for p in all_projections() if str(Step(p.name, action, p.version)) in steps
            for t in p.tables}


async def test_a_fresh_database_gets_the_declared_tables(fresh: Database) -> None:
    done = await migrated(fresh)
    assert done == [*(m.key for m in discover(("lifecycle.migrations",))),
                    "projections.migrations:0001_tracking",
                    "projections.migrations:0002_read_model_versions", *every_step("created")]
    conn = await asyncpg.connect(fresh.url)
    try:
        for projection in all_projections():
            assert await matches(conn, projection.ddl, projection.tables), projection.name
        assert set(await tables_by_oid(conn)) == {t for p in all_projections() for t in p.tables}
        assert await recorded(conn) == declared_versions(all_projections())
    finally:
        await conn.close()


async def test_migrating_twice_does_nothing_the_second_time(fresh: Database) -> None:
    await migrated(fresh)
    conn = await asyncpg.connect(fresh.url)
    try:
        before = (await tables_by_oid(conn), await recorded(conn))
        assert await migrated(fresh) == []
        assert (await tables_by_oid(conn), await recorded(conn)) == before
    finally:
        await conn.close()


async def snapshot_of_present(conn: asyncpg.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """``snapshot``'s rows of the read models' tables an older database has (it lacks those
    that later versions added)."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for table in {t for p in all_projections() for t in p.tables}:
        if await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", f'"{table}"'):
            found = await conn.fetch(f'SELECT * FROM "{table}"')
            rows[table] = sorted(tuple(map(str, row.values())) for row in found)
    return rows


async def test_a_database_made_by_the_numbered_migrations_is_adopted_equals_a_rebuild_and_serves(
        old: Database, tmp_path: Path) -> None:
    write_events(old)
    # Folded into the tables the old migrations made, by the read models whose shape those are
    # (version 1; a read model's later versions fold into tables the old release did not have).
    await catch_up(old, [p for p in all_projections() if p.version == 1])
    conn = await asyncpg.connect(old.url)
    try:
        live = await snapshot_of_present(conn)
        keys = {r["key"] for r in await conn.fetch("SELECT key FROM lifecycle_migrations")}

        done = await migrated(old)

        # Tables of the declared shape are adopted as they are; nothing old is applied again.
        assert done == ["projections.migrations:0002_read_model_versions",
                        *upgrade_of_numbered()]
        assert keys < {r["key"] for r in await conn.fetch("SELECT key FROM lifecycle_migrations")}
        assert await recorded(conn) == declared_versions(all_projections())
        upgraded, upgraded_indexes = await snapshot(conn), await indexes(conn)
        assert {t: live[t] for t in tables_of(done, "adopted")} == \
            {t: upgraded[t] for t in tables_of(done, "adopted")}
        await rebuild(old.url, all_projections())  # from the declarations, not LIKE the old
        assert await snapshot(conn) == upgraded
        assert await indexes(conn) == upgraded_indexes
        assert await migrated(old) == []
    finally:
        await conn.close()

    query = "{ innovations(first: 50) { edges { node { title stage } } } }"
    app = make_app(old)
    try:
        staff = member(new_organisation(app, "Serving Trust"), Role.STAFF)
        app.execute(c.SubmitIdea(title="Served after the upgrade", problem="p", proposal="q"),
                    CommandContext(staff))
    finally:
        app.close()
    settings = settings_for(old, tmp_path)
    with serving(settings, old) as url:
        token = mint(settings, subject=staff.subject, organisation=staff.organisation,
                     roles=sorted(staff.roles), staff_group=staff.staff_group)
        async with httpx.AsyncClient(timeout=30) as client:
            async def titles() -> list[str]:  # once the app's own projector folded the idea
                body = (await client.post(f"{url}/graphql", json={"query": query},
                                          headers={"Authorization": f"Bearer {token}"})).json()
                assert "errors" not in body, body
                return [e["node"]["title"] for e in body["data"]["innovations"]["edges"]]

            assert await eventually(titles) == ["Served after the upgrade"]


async def test_tables_of_an_older_numbered_shape_are_rebuilt_not_adopted(server: Database) -> None:
    # Made up to 0014, before the workspace (0015): the evaluations and funding tables lack the
    # indexes it added, so the decisions and funding read models are rebuilt; the ideas and
    # development read models had no tables then, so theirs are created (and folded from the
    # log's beginning). Read models at a later version are rebuilt, with any tables they added.
    db = made_by_the_old_migrations(server, up_to=14)
    absent = frozenset({"ideas", "development"})
    try:
        write_events(db)
        await catch_up(db, [p for p in all_projections()
                            if p.name not in absent and p.version == 1])
        conn = await asyncpg.connect(db.url)
        try:
            oids = await tables_by_oid(conn)
            done = await migrated(db)
            assert done[1:] == upgrade_of_numbered(frozenset({"decisions", "funding"}), absent)
            for projection in all_projections():
                assert await matches(conn, projection.ddl, projection.tables), projection.name
            after = await tables_by_oid(conn)
            assert {t for t in oids if oids[t] != after[t]} == \
                tables_of(done, "rebuilt") & set(oids)
            await catch_up(db, all_projections())
            assert await conn.fetchval("SELECT count(*) FROM rm_revisions") > 0
            live = await snapshot(conn)
            await rebuild(db.url, all_projections())
            assert await snapshot(conn) == live
        finally:
            await conn.close()
    finally:
        drop_database(server, db)


class SpreadWithNotes(Spread):
    """The spread read model, one version on: its table has a column more."""

    version = Spread.version + 1
    ddl = Spread.ddl.replace("    position bigint NOT NULL\n);",
                             "    position bigint NOT NULL,\n    note text\n);")


def with_spread(spread: Projection) -> list[Projection]:
    return [spread if p.name == "spread" else p for p in all_projections()]


async def test_a_bumped_version_rebuilds_only_that_read_model_while_queries_keep_answering(
        fresh: Database) -> None:
    assert "note text" in SpreadWithNotes.ddl
    await migrated(fresh)
    write_events(fresh)
    await catch_up(fresh, all_projections())
    conn = await asyncpg.connect(fresh.url)
    reader = await asyncpg.connect(fresh.url)
    try:
        before, oids = await snapshot(conn), await tables_by_oid(conn)
        answers: list[int] = []
        done = anyio.Event()

        async def keep_asking() -> None:  # as the API does, throughout the rebuild and swap
            while not done.is_set() or not answers:
                answers.append(await reader.fetchval(
                    "SELECT count(*) FROM rm_adoptions a JOIN rm_innovations i "
                    "ON i.id = a.innovation_id"))
                await anyio.lowlevel.checkpoint()

        async with anyio.create_task_group() as group:
            group.start_soon(keep_asking)
            steps = await upgrade(fresh.url, with_spread(SpreadWithNotes()), batch_size=7)
            done.set()

        assert steps == [Step("spread", "rebuilt", SpreadWithNotes.version)]
        assert set(answers) == {len(before["rm_adoptions"])}
        after = await tables_by_oid(conn)
        assert {t for t in oids if oids[t] != after[t]} == set(Spread.tables)
        assert await matches(conn, SpreadWithNotes.ddl, Spread.tables)
        assert await conn.fetchval("SELECT count(*) FROM rm_adoptions WHERE note IS NULL") \
            == len(before["rm_adoptions"])
        assert (await recorded(conn))["spread"] == (SpreadWithNotes.version,
                                                    digest(SpreadWithNotes.ddl))
        assert await upgrade(fresh.url, with_spread(SpreadWithNotes())) == []
        # The release before it refuses the newer shape rather than rebuild it back.
        with pytest.raises(NewerReadModel,
                           match=f"spread is at version {SpreadWithNotes.version}"):
            await upgrade(fresh.url, all_projections())
        assert await tables_by_oid(conn) == after
    finally:
        await conn.close()
        await reader.close()


async def test_the_projector_as_it_starts_rebuilds_a_read_model_whose_declaration_changed(
        fresh: Database) -> None:
    await migrated(fresh)
    write_events(fresh)
    await catch_up(fresh, all_projections())
    changed = SpreadWithNotes()
    changed.version = Spread.version  # the text changed, the version was not bumped
    projector = Projector(fresh.url, with_spread(changed), poll_interval=0.05)
    conn = await asyncpg.connect(fresh.url)
    try:
        stop = anyio.Event()
        async with anyio.create_task_group() as group:
            group.start_soon(projector.run, stop)
            async def rebuilt() -> bool:
                return (await recorded(conn))["spread"][1] == digest(changed.ddl)

            await eventually(rebuilt, within=120)
            stop.set()
        assert await matches(conn, changed.ddl, changed.tables)
    finally:
        await conn.close()


async def test_a_missing_index_or_a_changed_type_is_a_different_shape(fresh: Database) -> None:
    await migrated(fresh)
    spread = Spread()
    conn = await asyncpg.connect(fresh.url)
    try:
        assert await matches(conn, spread.ddl, spread.tables)
        for change in ("DROP INDEX rm_adoptions_org_idx",
                       "ALTER TABLE rm_adoptions ALTER COLUMN site TYPE varchar(80)",
                       "ALTER TABLE rm_adoptions ALTER COLUMN site SET NOT NULL",
                       "ALTER TABLE rm_adoptions DROP CONSTRAINT rm_adoptions_pkey"):
            changed = conn.transaction()
            await changed.start()
            try:
                await conn.execute(change)
                assert not await matches(conn, spread.ddl, spread.tables), change
            finally:
                await changed.rollback()
        assert await matches(conn, spread.ddl, spread.tables)
    finally:
        await conn.close()
