"""The history of one record: every event of an innovation, challenge, organisation or measure,
in log order, with its position, the database's time of recording, its stable type, who acted
(subject, organisation, role), why (the reason or rationale the event gives) and its data.

Who may read it is the one visibility rule (``lifecycle/visibility.py``), with one addition
that follows from it: an innovation's history is part of its detail, so an organisation that
sees only a SUMMARY of it sees no history. A record that does not exist for the caller answers
exactly as an id never used (``NotFound``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import StoredEvent

from lifecycle import visibility
from lifecycle.actor import Actor
from lifecycle.aggregate import LifecycleAggregate
from lifecycle.application import LifecycleApplication
from lifecycle.errors import NotFound
from lifecycle.innovations.innovation import Innovation

TOPIC_PREFIX = "lifecycle/"
# What every event carries about its request and place, shown as their own fields; the rest of
# an event's attributes are its data.
_PROVENANCE = frozenset({"originator_id", "originator_version", "timestamp", "actor",
                         "actor_organisation", "actor_role", "correlation_id",
                         "idempotency_key"})
_WHY = ("reason", "rationale")


@dataclass(frozen=True)
class Entry:
    """One event of a record's history. ``data`` holds JSON values only (ids and decimals as
    text, dates and times in ISO 8601)."""

    position: int
    recorded_at: datetime
    version: int
    type: str
    subject: str
    organisation_id: UUID
    role: str
    why: str | None
    correlation_id: UUID
    data: dict[str, Any]


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    has_next: bool


def sees_history(actor: Actor, aggregate: LifecycleAggregate,
                 app: LifecycleApplication) -> bool:
    """Whether ``actor`` may read ``aggregate``'s history: it exists for the actor
    (``visibility.sees``) and, for an innovation, the actor sees its detail."""
    if not app.sees(actor, aggregate):
        return False
    if isinstance(aggregate, Innovation):
        return visibility.innovation_scope(actor.viewers, aggregate).detail
    return True


def history(app: LifecycleApplication, actor: Actor | None, ident: UUID, *,
            after: int = 0, first: int = 20) -> Page:
    """Up to ``first`` events of the record ``ident`` after log position ``after``, in log
    order. ``actor`` None is the platform's own reading (the CLI): every record.

    Raises ``NotFound`` when the record does not exist or its history is not the actor's to
    read."""
    try:
        aggregate: LifecycleAggregate = app.repository.get(ident)
    except AggregateNotFoundError:
        raise NotFound("record", ident) from None
    if actor is not None and not sees_history(actor, aggregate, app):
        raise NotFound("record", ident)
    with app.store.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute(
            "SELECT notification_id, recorded_at, originator_id, originator_version, topic, "
            "state FROM lifecycle_events WHERE originator_id = %s AND notification_id > %s "
            "ORDER BY originator_version LIMIT %s", (ident, after, first + 1))
        rows = curs.fetchall()
    entries = [entry(app, row["notification_id"], row["recorded_at"],
                     StoredEvent(row["originator_id"], row["originator_version"], row["topic"],
                                 row["state"])) for row in rows[:first]]
    return Page(entries, len(rows) > first)


def entry(app: LifecycleApplication, position: int, recorded_at: datetime,
          stored: StoredEvent) -> Entry:
    """One stored event as a history entry (decoded by the application's mapper)."""
    event = app.mapper.to_domain_event(stored)
    fields = vars(event)
    why = next((fields[name] for name in _WHY if isinstance(fields.get(name), str)), None)
    return Entry(
        position=position, recorded_at=recorded_at, version=stored.originator_version,
        type=stored.topic.removeprefix(TOPIC_PREFIX), subject=fields["actor"],
        organisation_id=fields["actor_organisation"], role=fields["actor_role"], why=why,
        correlation_id=fields["correlation_id"],
        data={name: as_json(value) for name, value in fields.items()
              if name not in _PROVENANCE})


def as_json(value: Any) -> Any:
    """An event attribute as a JSON value: ids, decimals and enums as text, dates in ISO 8601,
    collections element by element (keys as text)."""
    match value:
        case Enum():
            return as_json(value.value)
        case str() | int() | float() | bool() | None:
            return value
        case UUID() | Decimal():
            return str(value)
        case datetime() | date():
            return value.isoformat()
        case dict():
            return {str(as_json(k)): as_json(v) for k, v in value.items()}
        case list() | tuple() | set() | frozenset():
            return [as_json(v) for v in value]
    if hasattr(value, "__dict__"):
        return {k: as_json(v) for k, v in vars(value).items()}
    return str(value)


def sees_event(app: LifecycleApplication, actor: Actor, position: int) -> bool:
    """Whether the event at ``position`` belongs to a record whose history ``actor`` may read
    (``sees_history``); False for a position with no event."""
    with app.store.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute("SELECT originator_id FROM lifecycle_events WHERE notification_id = %s",
                     (position,))
        row = curs.fetchone()
    if row is None:
        return False
    try:
        aggregate: LifecycleAggregate = app.repository.get(row["originator_id"])
    except AggregateNotFoundError:
        return False
    return sees_history(actor, aggregate, app)
