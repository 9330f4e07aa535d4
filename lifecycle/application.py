"""The lifecycle application: one event-sourced application, one global log (``lifecycle_events``).

``execute(command, ctx)`` is the single way in. It checks idempotency, loads the aggregates the
command addresses, asks the policy whether the caller may act, lets the aggregate decide, and saves
the new events together with the idempotency record in one transaction. It is synchronous (the
library is); the async service calls it from worker threads.

Idempotency keys belong to the caller (organisation and subject), not to a mutation: one key names
one request, and any other request with it (another mutation, or the same with other input) is
``IdempotencyKeyReused``. A command that names no expected version and loses a race to save
(another writer changed the aggregate between its load and its save) is carried out again on a
fresh load, a few times with a short jittered backoff: the client did not ask for a version, so
only a conflict that outlasts the retries reaches it. Within one process, commands on the same
aggregate take turns (a lock per aggregate, striped), so its own threads never race each other
to save; the retries are for writers in other processes.
"""

from __future__ import annotations

import hashlib
import threading
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast
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
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from lifecycle import commands as c
from lifecycle import visibility
from lifecycle.actor import Actor, CommandContext
from lifecycle.aggregate import LifecycleAggregate
from lifecycle.directory.erasure_log import ErasureLog
from lifecycle.directory.people import People
from lifecycle.errors import (
    DomainError,
    IdempotencyKeyReused,
    NotFound,
    VersionConflict,
)
from lifecycle.handlers import HANDLERS
from lifecycle.innovations.innovation import Innovation
from lifecycle.store.recorder import IdempotencyRecord, LifecycleRecorder
from lifecycle.validation import idempotency_key

_KEY_NAMESPACE = uuid5(NAMESPACE_URL, "urn:lifecycle:idempotency")
# Tries of a command that names no version, each after a random pause of up to 10 ms doubling
# to 250 ms, so that contenders in different processes spread out. Measured (tests'
# PostgreSQL, 2 cores): 100 concurrent comments on one idea from 4 processes of 4 threads, 3
# runs: none refused, 1.9 tries a command, the slowest 1.3 s; with 8 tries up to 100 ms, 5 of
# 300 were refused.
ATTEMPTS = 10
BACKOFF = wait_random_exponential(multiplier=0.01, max=0.25)
# Locks that commands on one aggregate take turns on (by aggregate id; two aggregates sharing a
# stripe only wait for each other).
TURN_STRIPES = 256
A = TypeVar("A", bound=LifecycleAggregate)


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
        "APPLICATION_RECORDER_TOPIC": "lifecycle.store.recorder:LifecycleRecorder",
    }

    def __init__(self, *args: Any, erasure_log: ErasureLog | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.erasure_log = erasure_log
        self._turns = tuple(threading.Lock() for _ in range(TURN_STRIPES))

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        register_transcodings(transcoder)

    @property
    def store(self) -> LifecycleRecorder:
        return cast(LifecycleRecorder, self.recorder)

    @property
    def people(self) -> People:
        """The person registry, on the same database as the log."""
        return People(self.store.datastore)

    def erasures(self) -> ErasureLog:
        """The erasure log that erasing a person writes to first (``erasure_log``, set by
        whoever runs erasures: the service, ``lifecycle people erase``). Raises
        ``RuntimeError`` when none is set: an erasure must never go unrecorded there."""
        if self.erasure_log is None:
            raise RuntimeError("no erasure log is configured (LIFECYCLE_ERASURE_LOG)")
        return self.erasure_log

    def execute(self, command: c.Command, ctx: CommandContext) -> Outcome:
        """Carry out ``command`` for ``ctx.actor``, exactly once per idempotency key.

        Raises a ``DomainError``: ``IdempotencyKeyReused`` when the caller used the key for
        another request, ``VersionConflict`` when ``ctx.expected_version`` is stale or, without
        one, when ``ATTEMPTS`` fresh tries all lost the race to save."""
        key = idempotency_key(ctx.idempotency_key)
        scope = None if key is None else _scope_key(ctx, key)
        fingerprint = command.fingerprint()
        if key is not None:  # a request first made before keys were scoped to the caller alone
            legacy = self.store.find_idempotency(_legacy_scope_key(command, ctx, key))
            if legacy is not None:
                return _replay(legacy, fingerprint, key)
        retrying = Retrying(
            retry=retry_if_exception_type(_LostRace), wait=BACKOFF, reraise=True,
            stop=stop_after_attempt(1 if ctx.expected_version is not None else ATTEMPTS))
        try:
            # The turn is held across the retries: this process's other commands on the
            # aggregate wait rather than race the retried one, which meets only other
            # processes' writers.
            with self._turn(command.addressed):
                return retrying(self._attempt, command, ctx, scope, fingerprint, key)
        except _LostRace as lost:
            raise VersionConflict(lost.aggregate_id, lost.loaded_version,
                                  self._current_version(lost.aggregate_id)) from None

    def _attempt(self, command: c.Command, ctx: CommandContext, scope: str | None,
                 fingerprint: str, key: str | None) -> Outcome:
        """One try: load, decide, save; ``_LostRace`` when another writer saved first.

        A request whose key is already recorded is replayed, looked up at each try: a twin of
        it (the same request sent twice at once) may have been carried out meanwhile, and its
        events would now make the handler refuse what was in fact done."""
        prior = None if scope is None else self.store.find_idempotency(scope)
        if prior is not None:
            return _replay(prior, fingerprint, key)
        handler = HANDLERS[type(command)]
        try:
            change = handler(self, command, ctx)
        except DomainError:
            # A twin in another process may have been saved between the lookup and the load.
            prior = None if scope is None else self.store.find_idempotency(scope)
            if prior is not None:
                return _replay(prior, fingerprint, key)
            raise
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
            recordings = self.save(aggregate, idempotency=record, alongside=change.alongside)
        except IntegrityError:
            if scope is not None:
                prior = self.store.find_idempotency(scope)
                if prior is not None:  # the same key's request, saved by a concurrent call
                    return _replay(prior, fingerprint, key)
            raise _LostRace(aggregate.id, loaded_version) from None
        return Outcome(aggregate.id, aggregate.version,
                       max(r.notification.id for r in recordings), change.created_id)

    def _turn(self, ident: UUID | None) -> AbstractContextManager[Any]:
        return nullcontext() if ident is None else self._turns[ident.int % TURN_STRIPES]

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
        return uuid5(_KEY_NAMESPACE, _scope_key(ctx, key))

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


class _LostRace(Exception):
    """Another writer saved the aggregate between this command's load and its save."""

    def __init__(self, aggregate_id: UUID, loaded_version: int) -> None:
        super().__init__(aggregate_id, loaded_version)
        self.aggregate_id = aggregate_id
        self.loaded_version = loaded_version


def _scope_key(ctx: CommandContext, key: str) -> str:
    """Where a key is kept: the caller's (organisation and subject), whatever the mutation; the
    request's fingerprint (which names the command) tells its requests apart."""
    raw = f"{ctx.actor.organisation}|{ctx.actor.subject}|{key}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _legacy_scope_key(command: c.Command, ctx: CommandContext, key: str) -> str:
    """Where a key was kept before it was scoped to the caller alone (it named the command too):
    looked up so that a request retried across that upgrade is replayed, not carried out again.
    No key is kept there any more."""
    raw = f"{ctx.actor.organisation}|{ctx.actor.subject}|{type(command).__name__}|{key}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _replay(prior: tuple[IdempotencyRecord, int], fingerprint: str, key: str | None) -> Outcome:
    record, position = prior
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused(key or "")
    return Outcome(record.originator_id, record.originator_version, position, record.result_id,
                   replayed=True)
