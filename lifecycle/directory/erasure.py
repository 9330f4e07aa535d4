"""A person's erasure, as the log records it: one ``PersonErased`` event, the first and only of
an aggregate whose id is derived from the person's opaque id (``erasure_id``), so that a person
is erased at most once however many ask at the same moment.

The event holds the opaque id alone: it says that whoever the id led to is forgotten, never who
that was. It has no free-text reason, because whatever is written in the log stays there for good
and a reason for erasing someone tends to name them. The forgetting itself (the person's key and
sealed details deleted) is done in the same transaction that stores the event
(``lifecycle.directory.handlers.erase_person``).
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from lifecycle.actor import CommandContext
from lifecycle.aggregate import LifecycleAggregate, stable_name, topic

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:lifecycle:person-erasure")


def erasure_id(subject: str) -> UUID:
    """The id of ``subject``'s erasure: the same for the same person, on every database."""
    return uuid5(_NAMESPACE, subject)


@stable_name("PersonErasure")
class PersonErasure(LifecycleAggregate):
    class PersonErased(LifecycleAggregate.Created):
        TOPIC = topic("PersonErased")
        subject: str

        def apply(self, agg: PersonErasure) -> None:
            agg.subject = self.subject

    subject: str

    @classmethod
    def erase(cls, ctx: CommandContext, *, subject: str) -> PersonErasure:
        return cls._begin(cls.PersonErased, ctx, erasure_id(subject), subject=subject)
