"""Versioned schema migrations: the only code that creates or alters tables.

Each ``NNNN_name.sql`` file in ``lifecycle/migrations`` (and in any other package handed to
``migrate``, such as the read side's) is applied once, in order, in its own transaction, under an
advisory lock so that two processes migrating at once cannot interleave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import psycopg

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_LOCK_KEY = 7_310_001  # advisory lock id for migrations


@dataclass(frozen=True)
class Migration:
    package: str
    version: int
    name: str
    sql: str

    @property
    def key(self) -> str:
        return f"{self.package}:{self.version:04d}_{self.name}"


def discover(packages: tuple[str, ...]) -> list[Migration]:
    found: list[Migration] = []
    for package in packages:
        root: Traversable = resources.files(package)
        for entry in root.iterdir():
            match = _NAME.match(entry.name)
            if match:
                found.append(Migration(package, int(match[1]), match[2], entry.read_text()))
    return sorted(found, key=lambda m: (packages.index(m.package), m.version))


ALL = ("lifecycle.migrations", "projections.migrations")


def migrate(dsn: str, packages: tuple[str, ...] = ALL) -> list[str]:
    """Apply pending migrations; return the keys of those applied now."""
    applied_now: list[str] = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
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
                    conn.execute(migration.sql.encode())
                    conn.execute("INSERT INTO lifecycle_migrations (key) VALUES (%s)",
                                 (migration.key,))
                applied_now.append(migration.key)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))
    return applied_now


def pending(dsn: str, packages: tuple[str, ...] = ALL) -> list[str]:
    """Keys of migrations not yet applied (the service refuses to start while any are)."""
    with psycopg.connect(dsn) as conn:
        exists = conn.execute("SELECT to_regclass('lifecycle_migrations')").fetchone()
        done: set[str] = set()
        if exists and exists[0]:
            done = {row[0] for row in conn.execute("SELECT key FROM lifecycle_migrations")}
    return [m.key for m in discover(packages) if m.key not in done]
