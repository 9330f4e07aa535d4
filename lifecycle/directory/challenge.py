"""An innovation challenge: an organisation asks its staff for ideas on a problem, for a while."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from lifecycle.actor import CommandContext
from lifecycle.aggregate import LifecycleAggregate, NoFingerprint, stable_name, topic
from lifecycle.errors import InvalidState


@stable_name("Challenge")
class Challenge(LifecycleAggregate):
    class ChallengeOpened(NoFingerprint, LifecycleAggregate.Created):
        TOPIC = topic("ChallengeOpened")
        organisation_id: UUID
        title: str
        problem: str
        opens_on: date
        closes_on: date

        def apply(self, agg: Challenge) -> None:
            self.keep(agg, "organisation_id", "title", "problem", "opens_on", "closes_on")

    class ChallengeClosed(LifecycleAggregate.Event):
        TOPIC = topic("ChallengeClosed")
        reason: str

        def apply(self, agg: Challenge) -> None:
            agg.closed = True

    organisation_id: UUID
    title: str
    problem: str
    opens_on: date
    closes_on: date
    closed: bool

    def __init__(self) -> None:
        self.closed = False

    @classmethod
    def open(cls, ctx: CommandContext, ident: UUID, *, organisation_id: UUID, title: str,
             problem: str, opens_on: date, closes_on: date) -> Challenge:
        return cls._begin(cls.ChallengeOpened, ctx, ident, organisation_id=organisation_id,
                          title=title, problem=problem, opens_on=opens_on, closes_on=closes_on)

    def close(self, ctx: CommandContext, *, reason: str) -> None:
        if self.closed:
            raise InvalidState("the challenge is already closed")
        self._record(self.ChallengeClosed, ctx, reason=reason)

    def accepts_ideas_on(self, day: date) -> bool:
        return not self.closed and self.opens_on <= day <= self.closes_on
