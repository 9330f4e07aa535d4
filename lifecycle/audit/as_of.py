"""A record as it was recorded at a past moment: the moment is the log's recording time (the
database's clock when the event was inserted, ``lifecycle_events.recorded_at``), mapped to the
last event recorded by then, and the record is folded from the log up to that event, never read
from today's read models.

Inserts take the library's table lock (``lifecycle/store/recorder.py``), so recording times
follow positions: "recorded by T" is "at or before the last position recorded by T".
Business dates (an observation's date, when a change was introduced) are fields of the events,
not this time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from lifecycle.application import LifecycleApplication
from lifecycle.audit.snapshots import state_at
from lifecycle.errors import DomainError, NotFound
from lifecycle.innovations.innovation import Innovation
from lifecycle.vocabulary import AdoptionStatus


class NotYetRecorded(DomainError):
    """The record exists now, but nothing of it had been recorded at the moment asked for."""

    code = "NOT_FOUND_AT_THAT_TIME"

    def __init__(self, ident: UUID, moment: datetime, first_recorded: datetime) -> None:
        super().__init__(f"{ident} did not exist at {moment.isoformat()}: its first event was "
                         f"recorded at {first_recorded.isoformat()}")
        self.ident = ident
        self.moment = moment
        self.first_recorded = first_recorded


@dataclass(frozen=True)
class Recalled:
    """A record folded up to ``position`` (its last event recorded by the moment asked for),
    with what the log says about it beyond the aggregate's own state."""

    aggregate: Any
    position: int
    recorded_at: datetime
    latest_decision: str | None

    @property
    def counts(self) -> dict[str, Any]:
        """An innovation's counts as the read model states them, from the folded state."""
        agg = self.aggregate
        if not isinstance(agg, Innovation):
            return {}
        return {
            "prototypes": len(agg.prototypes), "evaluations": len(agg.evaluations),
            "adoptions": len(agg.adoptions),
            "live_adoptions": sum(1 for a in agg.adoptions.values()
                                  if a["status"] is not AdoptionStatus.ABANDONED),
            "funding_total": sum(agg.funding.values(), Decimal(0)),
        }


def position_at(app: LifecycleApplication, moment: datetime) -> int:
    """The last log position recorded at or before ``moment`` (0: none yet). Served by the
    index on ``recorded_at`` (``0002_audit.sql``)."""
    with app.store.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute("SELECT notification_id FROM lifecycle_events WHERE recorded_at <= %s "
                     "ORDER BY recorded_at DESC, notification_id DESC LIMIT 1", (moment,))
        row = curs.fetchone()
    return int(row["notification_id"]) if row else 0


def recall(app: LifecycleApplication, ident: UUID, moment: datetime) -> Recalled:
    """The record ``ident`` folded from its events recorded at or before ``moment``.

    Raises ``NotFound`` when the log has no such record at all, and ``NotYetRecorded`` when its
    first event was recorded after ``moment``. Costs one index read of the record's versions,
    one read of its last snapshot at or before that version and of its events after it
    (``lifecycle.audit.snapshots``: at most ``INTERVAL`` of them once snapshots are taken), and
    for an innovation one read of its last decision by then."""
    if moment.tzinfo is None:
        raise ValueError("moment must carry its UTC offset")
    with app.store.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute(
            "SELECT originator_version, notification_id, recorded_at FROM lifecycle_events "
            "WHERE originator_id = %s AND (recorded_at <= %s OR originator_version = 1) "
            "ORDER BY originator_version DESC LIMIT 2", (ident, moment))
        rows = curs.fetchall()
    if not rows:
        raise NotFound("record", ident)
    latest = rows[0]
    if latest["recorded_at"] > moment:  # only the first event came back: after the moment
        raise NotYetRecorded(ident, moment, latest["recorded_at"])
    aggregate = state_at(app, ident, latest["originator_version"])
    decided = (_last_decision(app, ident, latest["originator_version"])
               if isinstance(aggregate, Innovation) and aggregate.decisions else None)
    return Recalled(aggregate, int(latest["notification_id"]), latest["recorded_at"], decided)


def _last_decision(app: LifecycleApplication, ident: UUID, version: int) -> str | None:
    """The outcome of the innovation's last adoption decision at or before ``version``."""
    with app.store.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute(
            "SELECT originator_id, originator_version, topic, state FROM lifecycle_events "
            "WHERE originator_id = %s AND originator_version <= %s AND topic = %s "
            "ORDER BY originator_version DESC LIMIT 1",
            (ident, version, Innovation.AdoptionDecided.TOPIC))
        row = curs.fetchone()
    if row is None:
        return None
    event = app.mapper.to_domain_event(StoredEvent(
        row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"])))
    assert isinstance(event, Innovation.AdoptionDecided)
    return str(event.outcome)
