"""A record as it stood at a version, folded fast: from the last snapshot at or before that
version and the events after it, not from its first event (issue 13: "as of ... with snapshots so
it stays fast").

The snapshots are the library's (``eventsourcing``'s snapshot store, in ``lifecycle_snapshots``,
which the write side's migration makes): ``Snapshot.take`` of the folded aggregate at every
``INTERVAL``-th version, taken by whoever first folds past that version (so the write path
never waits for them) and stored once (a second reader's copy of the same snapshot is dropped).
A snapshot is derived state: the log stays the record, the tree covers only the log, and a
snapshot that cannot be read back (stored by an older shape of the aggregate) is passed over and
the record folded from its first event, as it would be without snapshots.

The JSON transcoder takes neither sets nor mappings keyed by anything but text, and gives back
tuples as lists, all of which an aggregate's state holds (endorsers, records keyed by id, the
latest evaluation); ``_stored`` and ``_restored`` carry them as tagged lists, every value inside
left to the transcoder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import weakref
from typing import Any
from uuid import UUID

from eventsourcing.domain import Snapshot
from eventsourcing.persistence import EventStore, IntegrityError

from lifecycle.aggregate import LifecycleAggregate
from lifecycle.application import LifecycleApplication

log = logging.getLogger(__name__)

INTERVAL = 100
"""Versions between two snapshots of one record."""

FOLD = 1
"""The fold's mark, stored in every snapshot: bump it in a release that changes what an event
does to a record's state (an aggregate's ``apply``, the stage machine), and every snapshot taken
before is passed over (the record is folded from its first event, and from snapshots again once
new ones are taken at later intervals)."""

_FOLD_KEY = "__fold__"


class _Stale(Exception):
    """A snapshot taken by a fold with another mark (``FOLD``)."""

_SET, _PAIRS, _TUPLE = "__set__", "__pairs__", "__tuple__"
_stores: weakref.WeakKeyDictionary[LifecycleApplication, EventStore[UUID]] = (
    weakref.WeakKeyDictionary())


def state_at(app: LifecycleApplication, ident: UUID, version: int) -> LifecycleAggregate:
    """The record ``ident`` folded up to and including ``version`` (1 or more, at most its
    latest), from the last snapshot at or before it; stores the snapshots due on the way.
    Raises ``ValueError`` for a version the record does not have."""
    snapshots = _store(app)
    aggregate: Any = None
    after = 0
    try:
        found: Any = next(iter(snapshots.get(ident, desc=True, limit=1, lte=version)), None)
        if found is not None:
            state = dict(found.state)
            if state.pop(_FOLD_KEY, None) != FOLD:
                raise _Stale(found.originator_version)
            aggregate = dataclasses.replace(found, state=_restored(state)).mutate(None)
            after = found.originator_version
    except _Stale:  # taken by another fold: what it holds may differ from folding the events
        log.info("the last snapshot of %s at or before version %d was taken by another fold; "
                 "folding from the first event", ident, version)
        aggregate, after = None, 0
    except Exception:  # an older shape: fold from the first event instead
        log.warning("the last snapshot of %s at or before version %d cannot be read back; "
                    "folding from the first event", ident, version, exc_info=True)
        aggregate, after = None, 0
    due = []
    event: Any
    for event in app.events.get(ident, gt=after, lte=version):
        aggregate = event.mutate(aggregate)
        if event.originator_version % INTERVAL == 0:
            # Encoded now: the aggregate goes on changing under a snapshot taken of it.
            taken = Snapshot.take(aggregate)
            due.append(app.mapper.to_stored_event(
                dataclasses.replace(taken, state={**_stored(taken.state), _FOLD_KEY: FOLD})))
    if aggregate is None or aggregate.version != version:
        raise ValueError(f"record {ident} has no version {version}")
    if due:
        _keep(snapshots, due)
    folded: LifecycleAggregate = aggregate
    return folded


def _store(app: LifecycleApplication) -> EventStore[UUID]:
    store = _stores.get(app)
    if store is None:
        store = _stores[app] = EventStore(app.mapper, app.factory.aggregate_recorder("snapshots"))
    return store


def _keep(snapshots: EventStore[UUID], due: list[Any]) -> None:
    for stored in due:  # one at a time: another reader may have stored some of them
        with contextlib.suppress(IntegrityError):  # the same snapshot, another reader's
            snapshots.recorder.insert_events([stored])


def _stored(value: Any) -> Any:
    """``value`` with its sets and its mappings keyed by other than text made lists the JSON
    transcoder takes (``_restored`` reverses it)."""
    if isinstance(value, set | frozenset):
        return {_SET: [_stored(v) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _stored(v) for k, v in value.items()}
        return {_PAIRS: [[_stored(k), _stored(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {_TUPLE: [_stored(v) for v in value]}
    if isinstance(value, list):
        return [_stored(v) for v in value]
    return value


def _restored(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_SET}:
            return {_restored(v) for v in value[_SET]}
        if set(value) == {_PAIRS}:
            return {_restored(k): _restored(v) for k, v in value[_PAIRS]}
        if set(value) == {_TUPLE}:
            return tuple(_restored(v) for v in value[_TUPLE])
        return {k: _restored(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_restored(v) for v in value]
    return value
