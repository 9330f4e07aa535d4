"""Every event type has a frozen fixture of its stored form, and every fixture still decodes.

A change of an event's shape must come with a new ``class_version``, an upcaster and a new fixture
(``python -m tests.fixtures.freeze_events``); the old fixture stays and must keep decoding.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

import lifecycle.application  # noqa: F401 (imports and so names every aggregate)
from lifecycle.aggregate import EVENT_TYPES, LifecycleAggregate
from lifecycle.innovations.innovation import Innovation
from lifecycle.innovations.part import InnovationState
from tests.fixtures.freeze_events import HERE, mapper

FIXTURES = sorted(HERE.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def stored(fixture: dict[str, Any]) -> StoredEvent:
    return StoredEvent(originator_id=UUID(fixture["originator_id"]),
                       originator_version=fixture["originator_version"],
                       topic=fixture["topic"],
                       state=json.dumps(fixture["state"]).encode())


def test_every_event_type_has_a_frozen_fixture() -> None:
    topics = {load(p)["topic"] for p in FIXTURES}
    assert set(EVENT_TYPES) <= topics, f"missing fixtures: {set(EVENT_TYPES) - topics}"


def test_event_names_do_not_depend_on_module_paths() -> None:
    for topic, cls in EVENT_TYPES.items():
        assert topic.startswith("lifecycle/")
        assert cls.__module__ not in topic


def test_the_events_of_the_innovations_parts_are_named_as_the_aggregates_own() -> None:
    """The innovation is composed of parts (one a capability) whose events eventsourcing's
    metaclass redefines on the aggregate: every one of them is stored and decoded as the
    aggregate's ``Innovation.<Name>``, an ``Innovation.Event``."""
    parts = [klass for klass in Innovation.__mro__ if issubclass(klass, InnovationState)
             and klass is not Innovation]
    nested = {name: value for part in parts for name, value in vars(part).items()
              if isinstance(value, type) and issubclass(value, LifecycleAggregate.Event)}
    assert len(nested) == 24
    for name, original in nested.items():
        named = EVENT_TYPES[original.TOPIC]  # type: ignore[attr-defined]
        assert named is getattr(Innovation, name)
        assert issubclass(named, Innovation.Event)
        assert issubclass(named, original)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture_decodes_to_its_event_type(path: Path) -> None:
    fixture = load(path)
    event = mapper().to_domain_event(stored(fixture))
    assert type(event) is EVENT_TYPES[fixture["topic"]]
    assert event.originator_id == UUID(fixture["originator_id"])
    fields = {f.name for f in dataclasses.fields(event)}
    assert {"actor", "actor_organisation", "actor_role", "correlation_id",
            "idempotency_key", "timestamp"} <= fields


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_current_fixture_round_trips_unchanged(path: Path) -> None:
    fixture = load(path)
    m = mapper()
    event = m.to_domain_event(stored(fixture))
    if getattr(type(event), "class_version", 1) != int(path.stem.rsplit(".v", 1)[1]):
        pytest.skip("an older shape: upcast on decode, not re-encoded")
    assert json.loads(m.to_stored_event(event).state) == fixture["state"]
