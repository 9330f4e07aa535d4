"""The event store: eventsourcing's PostgreSQL recorder, with idempotency keys (and whatever else
a command does besides its events: ``Change.alongside``) recorded in the same transaction as the
events they produced.

The recorder keeps the library's table lock on insert (``LOCK TABLE ... IN EXCLUSIVE MODE``):
with it, notification ids are assigned in commit order, so a reader tailing the log never skips
an event that commits later with a lower id. The database-function insert mode, which drops that
guarantee, is never enabled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow


@dataclass(frozen=True)
class IdempotencyRecord:
    scope_key: str
    fingerprint: str
    originator_id: UUID
    originator_version: int
    result_id: UUID


class LifecycleRecorder(PostgresApplicationRecorder):
    def _insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> None:
        record: IdempotencyRecord | None = kwargs.get("idempotency")
        if record is not None:
            # A key already recorded (a twin of this request, committed while this one was
            # being decided) is refused as an IntegrityError, which the application answers
            # by replaying the twin's result. Not by letting the unique index raise: inside
            # the library's pipeline that error surfaces as "pipeline aborted", an
            # OperationalError retried ten times and then failed, never replayed.
            curs.execute(
                "INSERT INTO lifecycle_idempotency "
                "(scope_key, fingerprint, originator_id, originator_version, result_id) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (scope_key) DO NOTHING "
                "RETURNING scope_key",
                (record.scope_key, record.fingerprint, record.originator_id,
                 record.originator_version, record.result_id),
                prepare=True,
            )
            if curs.fetchone() is None:
                raise IntegrityError(f"idempotency key {record.scope_key} already recorded")
        alongside: Callable[[Cursor[DictRow]], None] | None = kwargs.get("alongside")
        if alongside is not None:  # what the command does besides its events (Change.alongside)
            alongside(curs)
        super()._insert_events(curs, stored_events, **kwargs)

    def find_idempotency(self, scope_key: str) -> tuple[IdempotencyRecord, int] | None:
        """What was recorded under a key, and the log position of its last event."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                "SELECT k.fingerprint, k.originator_id, k.originator_version, k.result_id, "
                "e.notification_id "
                "FROM lifecycle_idempotency k LEFT JOIN lifecycle_events e "
                "ON e.originator_id = k.originator_id "
                "AND e.originator_version = k.originator_version "
                "WHERE k.scope_key = %s",
                (scope_key,),
                prepare=True,
            )
            row = curs.fetchone()
        if row is None:
            return None
        record = IdempotencyRecord(scope_key, row["fingerprint"], row["originator_id"],
                                   row["originator_version"], row["result_id"])
        return record, int(row["notification_id"])

    def head(self) -> int:
        """The highest position in the log (0 when empty)."""
        return self.max_notification_id() or 0

    def epoch(self) -> UUID:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute("SELECT epoch FROM lifecycle_epoch")
            row = curs.fetchone()
        assert row is not None, "the database is not migrated"
        epoch: UUID = row["epoch"]
        return epoch
