"""The lifecycle application: one event-sourced application, one global log (``lifecycle_events``).

``execute(command, ctx)`` is the single way in. It checks idempotency, loads the aggregates the
command addresses, asks the policy whether the caller may act, lets the aggregate decide, and saves
the new events together with the idempotency record in one transaction. It is synchronous (the
library is); the async service calls it from worker threads.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import TypeVar, cast
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    IntegrityError,
    JSONTranscoder,
    Transcoding,
    UUIDAsHex,
)

from lifecycle import commands as c
from lifecycle import visibility
from lifecycle.actor import Actor, CommandContext
from lifecycle.aggregate import LifecycleAggregate
from lifecycle.errors import (
    IdempotencyKeyReused,
    NotFound,
    VersionConflict,
)
from lifecycle.handlers import HANDLERS
from lifecycle.innovation import Innovation
from lifecycle.people import People
from lifecycle.store import IdempotencyRecord, LifecycleRecorder
from lifecycle.validation import idempotency_key

_KEY_NAMESPACE = uuid5(NAMESPACE_URL, "urn:lifecycle:idempotency")
A = TypeVar("A", bound=LifecycleAggregate)
C = TypeVar("C", bound=c.Command)


@dataclass(frozen=True)
class Outcome:
    """What a command did: the aggregate it changed, its new version, the log position of its
    last event, and the id of what it created (the aggregate, a prototype, an evaluation...)."""

    aggregate_id: UUID
    version: int
    position: int
    created_id: UUID
    replayed: bool = False


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def register_transcodings(transcoder: JSONTranscoder) -> None:
    """Every type the events hold beyond JSON's own: what decoding a stored event needs."""
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), DateAsISO()):
        transcoder.register(transcoding)


class LifecycleApplication(Application[UUID]):
    name = "lifecycle"
    env = {
        "CREATE_TABLE": "no",  # lifecycle migrate owns the schema
        "APPLICATION_RECORDER_TOPIC": "lifecycle.store:LifecycleRecorder",
    }

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        register_transcodings(transcoder)

    @property
    def store(self) -> LifecycleRecorder:
        return cast(LifecycleRecorder, self.recorder)

    @property
    def people(self) -> People:
        """The person registry, on the same database as the log."""
        return People(self.store.datastore)

    def execute(self, command: c.Command, ctx: CommandContext) -> Outcome:
        """Carry out ``command`` for ``ctx.actor``, exactly once per idempotency key."""
        key = idempotency_key(ctx.idempotency_key)
        scope = None if key is None else _scope_key(command, ctx, key)
        fingerprint = command.fingerprint()
        if scope is not None:
            prior = self.store.find_idempotency(scope)
            if prior is not None:
                return _replay(prior, fingerprint, key)
        handler = HANDLERS[type(command)]
        change = handler(self, command, ctx)
        aggregate = change.aggregate
        if not aggregate.pending_events:  # nothing new (e.g. a repeated batch of observations)
            return Outcome(aggregate.id, aggregate.version, self._position_of(aggregate),
                           change.created_id)
        record = None
        if scope is not None:
            record = IdempotencyRecord(scope, fingerprint, aggregate.id, aggregate.version,
                                       change.created_id)
        loaded_version = aggregate.version - len(aggregate.pending_events)
        try:
            recordings = self.save(aggregate, idempotency=record)
        except IntegrityError:
            if scope is not None:
                prior = self.store.find_idempotency(scope)
                if prior is not None:
                    return _replay(prior, fingerprint, key)
            raise VersionConflict(aggregate.id, loaded_version,
                                  self._current_version(aggregate.id)) from None
        return Outcome(aggregate.id, aggregate.version,
                       max(r.notification.id for r in recordings), change.created_id)

    # -- loading ----------------------------------------------------------------------------------
    def load(self, kind: type[A], ident: UUID, ctx: CommandContext | None = None, *,
             seen_by: Actor | None = None) -> A:
        """The aggregate ``ident`` of type ``kind``.

        With ``ctx`` (the command addresses this aggregate) or ``seen_by``, one the caller may
        not see (``lifecycle/visibility.py``) raises ``NotFound`` exactly as a missing one does,
        and before anything else about it is looked at; then, with ``ctx``, a version other
        than the client's expected one raises ``VersionConflict``."""
        try:
            aggregate: LifecycleAggregate = self.repository.get(ident)
        except AggregateNotFoundError:
            raise NotFound(kind.__name__.lower(), ident) from None
        if not isinstance(aggregate, kind):
            raise NotFound(kind.__name__.lower(), ident)
        viewer = seen_by or (ctx.actor if ctx is not None else None)
        if viewer is not None and not self.sees(viewer, aggregate):
            raise NotFound(kind.__name__.lower(), ident)
        if ctx is not None and ctx.expected_version is not None and \
                aggregate.version != ctx.expected_version:
            raise VersionConflict(ident, ctx.expected_version, aggregate.version)
        return aggregate

    def sees(self, actor: Actor, aggregate: LifecycleAggregate) -> bool:
        """Whether ``aggregate`` exists for ``actor`` (``visibility.sees``)."""
        return visibility.sees(actor, aggregate,
                               lambda ident: self.load(Innovation, ident))

    def new_id(self, command: c.Command, ctx: CommandContext) -> UUID:
        """The id of the aggregate a creating command makes: fixed by its idempotency key."""
        key = idempotency_key(ctx.idempotency_key)
        if key is None:
            return uuid4()
        # The key decides the new aggregate's id, so even a race between two identical requests
        # can only ever create it once.
        return uuid5(_KEY_NAMESPACE, _scope_key(command, ctx, key))

    def _position_of(self, aggregate: LifecycleAggregate) -> int:
        with self.store.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute("SELECT notification_id FROM lifecycle_events "
                         "WHERE originator_id = %s AND originator_version = %s",
                         (aggregate.id, aggregate.version))
            row = curs.fetchone()
        return int(row["notification_id"]) if row else 0

    def _current_version(self, ident: UUID) -> int | None:
        try:
            return int(self.repository.get(ident).version)
        except AggregateNotFoundError:
            return None


def _scope_key(command: c.Command, ctx: CommandContext, key: str) -> str:
    raw = f"{ctx.actor.organisation}|{ctx.actor.subject}|{type(command).__name__}|{key}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _replay(prior: tuple[IdempotencyRecord, int], fingerprint: str, key: str | None) -> Outcome:
    record, position = prior
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused(key or "")
    return Outcome(record.originator_id, record.originator_version, position, record.result_id,
                   replayed=True)
