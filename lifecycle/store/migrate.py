"""Versioned schema migrations of what is not derived from the log (the event store,
idempotency, people, the read side's positions and versions). The read models' own tables are
made from their declarations instead (``projections.engine.upgrade``, which ``lifecycle migrate``
runs next, under the same advisory lock ``LOCK_KEY``).

Each ``NNNN_name.sql`` file in ``lifecycle/store/migrations`` and ``projections/migrations`` is
applied once, in order, in its own transaction, under an advisory lock so that two processes
migrating at once cannot interleave. An ``NNNN_name.py`` module there runs its
``apply(connection)`` instead: for a change SQL alone cannot make, such as sealing stored values.
A database records each applied migration by a key that names its set
(``lifecycle.migrations:0001_event_store``): the set's name is fixed for good, not taken from
where its files now are, so that moving them never applies one again.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import psycopg

from lifecycle.store import locks

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.(sql|py)$")
LOCK_KEY = locks.MIGRATIONS  # advisory lock id for migrations


@dataclass(frozen=True)
class Migration:
    package: str  # the set's name in its keys (``LEDGERS``), not where its files are
    version: int
    name: str
    sql: str  # the SQL file's text; for a Python migration, its module's name
    python: bool = False

    @property
    def key(self) -> str:
        return f"{self.package}:{self.version:04d}_{self.name}"

    def apply(self, conn: psycopg.Connection[Any]) -> None:
        """Run the migration on ``conn`` (inside the caller's transaction)."""
        if self.python:
            importlib.import_module(self.sql).apply(conn)
        else:
            conn.execute(self.sql.encode())


LEDGERS = {
    # the name each set's keys are recorded under: where its files are
    "lifecycle.migrations": "lifecycle.store.migrations",
    "projections.migrations": "projections.migrations",
}
ALL = tuple(LEDGERS)


def discover(packages: tuple[str, ...]) -> list[Migration]:
    """The migrations of the sets named (``LEDGERS``' keys), in the order they are applied."""
    found: list[Migration] = []
    for package in packages:
        root: Traversable = resources.files(LEDGERS.get(package, package))
        for entry in root.iterdir():
            match = _NAME.match(entry.name)
            if match and match[3] == "py":
                module = f"{LEDGERS.get(package, package)}.{entry.name.removesuffix('.py')}"
                found.append(Migration(package, int(match[1]), match[2], module, python=True))
            elif match:
                found.append(Migration(package, int(match[1]), match[2], entry.read_text()))
    return sorted(found, key=lambda m: (packages.index(m.package), m.version))


def migrate(dsn: str, packages: tuple[str, ...] = ALL) -> list[str]:
    """Apply pending migrations; return the keys of those applied now."""
    applied_now: list[str] = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS lifecycle_migrations ("
                " key text PRIMARY KEY,"
                " applied_at timestamptz NOT NULL DEFAULT clock_timestamp())"
            )
            done = {row[0] for row in conn.execute("SELECT key FROM lifecycle_migrations")}
            for migration in discover(packages):
                if migration.key in done:
                    continue
                with conn.transaction():
                    migration.apply(conn)
                    conn.execute("INSERT INTO lifecycle_migrations (key) VALUES (%s)",
                                 (migration.key,))
                applied_now.append(migration.key)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
    return applied_now


def pending(dsn: str, packages: tuple[str, ...] = ALL) -> list[str]:
    """Keys of migrations not yet applied (the service refuses to start while any are)."""
    with psycopg.connect(dsn) as conn:
        exists = conn.execute("SELECT to_regclass('lifecycle_migrations')").fetchone()
        done: set[str] = set()
        if exists and exists[0]:
            done = {row[0] for row in conn.execute("SELECT key FROM lifecycle_migrations")}
    return [m.key for m in discover(packages) if m.key not in done]
