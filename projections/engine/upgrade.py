"""Every read model's tables brought to the shape its declaration gives (``tables.sql`` and
``version``, see ``projections.engine.shape``), by ``lifecycle migrate`` and by the projector as
it starts.

For each read model, under the migrations' advisory lock (so that two processes cannot both do
it), by what ``read_model_versions`` records and what tables the database has:

- no tables yet: they are created from the declaration, and the read model starts from the
  log's beginning;
- tables but no recorded version (made by the numbered migrations read models used to have):
  adopted as they are if their shape equals the declaration's (columns, types, constraints,
  indexes), else rebuilt;
- a recorded version lower than declared, or a declaration whose text changed, or a table
  missing: rebuilt into fresh tables created from the declaration, folded from the log's
  beginning and swapped in (``projections.engine.rebuild``), while the API keeps reading the old
  ones and a live projector keeps running;
- a recorded version higher than declared (an older release against a newer database): refused.

Then the version and the declaration's digest are recorded. Nothing is done for a read model
already recorded at its declaration, so running it again does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import anyio
import asyncpg

from lifecycle.store.database import Database
from lifecycle.store.migrate import LOCK_KEY, migrate
from lifecycle.store.sessions import close, connect
from projections.engine import tracking
from projections.engine.catalogue import all_projections
from projections.engine.projection import Projection
from projections.engine.rebuild import rebuild
from projections.engine.shape import digest, matches, render

log = logging.getLogger(__name__)

SESSION = "lifecycle read-model upgrade"  # its application_name in pg_stat_activity


class NotMigrated(RuntimeError):
    """The numbered migrations (which make ``read_model_versions``) have not run."""


class NewerReadModel(RuntimeError):
    """The database has a read model in a newer shape than this release declares."""


@dataclass(frozen=True)
class Step:
    """What was done to one read model: ``created``, ``adopted`` or ``rebuilt``."""

    name: str
    action: str
    version: int

    def __str__(self) -> str:
        return f"read model {self.name} {self.action} (version {self.version})"


async def upgrade(dsn: str, projections: Sequence[Projection], *,
                  batch_size: int = 5000) -> list[Step]:
    """Bring each of ``projections``' tables to its declaration (see the module); return what
    was done, in order. ``dsn`` is a URL (asyncpg's form). Raises ``NotMigrated`` before the
    numbered migrations have run, ``NewerReadModel`` if a read model is recorded at a version
    above its declaration (and then changes nothing)."""
    conn = await connect(dsn, SESSION)
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", LOCK_KEY)
        if not await conn.fetchval("SELECT to_regclass('read_model_versions') IS NOT NULL"):
            raise NotMigrated("the database needs migrating first (lifecycle migrate)")
        plans = [(p, await _plan(conn, p)) for p in projections if p.tables]
        steps: list[Step] = []
        for projection, action in plans:
            if action == "created":
                await _create(conn, projection)
            elif action == "adopted":
                await tracking.record_shape(conn, projection.name, projection.version,
                                            digest(projection.ddl))
        stale = [p for p, action in plans if action == "rebuilt"]
        if stale:  # together: one pass over the log; the swap records their versions
            log.info("rebuilding read models into their declared shape: %s",
                     ", ".join(p.name for p in stale))
            await rebuild(dsn, stale, batch_size=batch_size)
        for projection, action in plans:
            if action:
                steps.append(Step(projection.name, action, projection.version))
                log.info("%s", steps[-1])
        return steps
    finally:
        await close(conn)  # ending the session releases the lock


async def _plan(conn: asyncpg.Connection, projection: Projection) -> str:
    """What ``projection``'s tables need: ``created``, ``adopted``, ``rebuilt`` or "" (none)."""
    recorded = await conn.fetchrow(
        "SELECT version, digest FROM read_model_versions WHERE name = $1", projection.name)
    if recorded is not None and recorded["version"] > projection.version:
        raise NewerReadModel(
            f"read model {projection.name} is at version {recorded['version']}, newer than "
            f"this release's {projection.version}: run the release that made it")
    present = [t for t in projection.tables
               if await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", f'"{t}"')]
    if not present:
        return "created"
    complete = len(present) == len(projection.tables)
    if recorded is None:
        adoptable = complete and await matches(conn, projection.ddl, projection.tables)
        return "adopted" if adoptable else "rebuilt"
    if (not complete or recorded["version"] < projection.version
            or recorded["digest"] != digest(projection.ddl)):
        return "rebuilt"
    return ""


async def _create(conn: asyncpg.Connection, projection: Projection) -> None:
    """Create ``projection``'s tables from its declaration, empty, and fold it from the start."""
    async with conn.transaction():
        await conn.execute(render(projection.ddl))
        await tracking.restart(conn, projection.name)
        await tracking.record_shape(conn, projection.name, projection.version,
                                    digest(projection.ddl))


def migrate_everything(db: Database) -> list[str]:
    """``lifecycle migrate``: the numbered migrations, then every read model's tables
    (``upgrade``); return what was done (migration keys, then steps as text)."""
    applied = migrate(db.dsn)
    steps = anyio.run(upgrade, db.url, all_projections())
    return applied + [str(step) for step in steps]
