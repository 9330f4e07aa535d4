"""The base of every aggregate: events that say who acted, for which request, and why.

Event classes carry explicit, stable ``TOPIC`` names (``"lifecycle/IdeaSubmitted"``) so that the
stored log does not depend on Python module paths.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

from lifecycle.actor import CommandContext

A = TypeVar("A", bound="LifecycleAggregate")


class LifecycleAggregate(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_organisation: UUID
        actor_role: str
        correlation_id: UUID
        idempotency_key: str | None

    class Created(Event, Aggregate.Created):
        def keep(self, agg: object, *names: str) -> None:
            """Set each named attribute of the aggregate this event creates to the event's
            field of the same name (one name in both)."""
            for name in names:
                setattr(agg, name, getattr(self, name))

    @classmethod
    def _begin(cls, event_class: type[Created], ctx: CommandContext, ident: UUID,
               **fields: Any) -> Self:
        return cls._create(event_class, id=ident, **provenance(ctx), **fields)

    def _record(self, event_class: type[Event], ctx: CommandContext, **fields: Any) -> None:
        self.trigger_event(event_class, **provenance(ctx), **fields)


def provenance(ctx: CommandContext) -> dict[str, Any]:
    """The fields every event carries about the request that caused it."""
    return {
        "actor": ctx.actor.subject,
        "actor_organisation": ctx.actor.organisation,
        "actor_role": ctx.actor.primary_role.value,
        "correlation_id": ctx.correlation_id,
        "idempotency_key": ctx.idempotency_key,
    }


EVENT_TYPES: dict[str, type[LifecycleAggregate.Event]] = {}
"""Every stored event name and its class: what the frozen fixtures are checked against."""


def stable_name(name: str) -> Callable[[type[A]], type[A]]:
    """Give an aggregate and its nested events stored names that do not depend on modules.

    Applied after the class is built, because the library redefines nested event classes while
    it builds an aggregate class and would otherwise insist on naming its implicit base events.
    """

    def name_classes(cls: type[A]) -> type[A]:
        cls_topic = topic(name)
        setattr(cls, "TOPIC", cls_topic)  # noqa: B010 (set after the library built the class)
        register_topic(cls_topic, cls)
        # An aggregate composed of parts (``Innovation``): the library redefines the parts'
        # events on the aggregate, whose own are named first; then the whole MRO is looked in,
        # so that no event of a part goes unnamed.
        for klass in cls.__mro__:
            for attr in vars(klass).values():
                if isinstance(attr, type) and issubclass(attr, LifecycleAggregate.Event):
                    event_topic = getattr(attr, "TOPIC", None)
                    if event_topic and event_topic not in EVENT_TYPES:
                        register_topic(event_topic, attr)
                        EVENT_TYPES[event_topic] = attr
        return cls

    return name_classes


def topic(name: str) -> str:
    """The stored name of an event or aggregate type."""
    return f"lifecycle/{name}"


class NoFingerprint:
    """Mixed into the events that create an aggregate from a request: their version 2 no longer
    records the request's fingerprint (it is kept with the idempotency key and was never read
    from the event); version 1 events stored before decode through this upcaster."""

    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state.pop("request_fingerprint", None)
