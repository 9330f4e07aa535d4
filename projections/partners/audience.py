"""Who sees each event, at its position: the log folded into what decides it.

A partner's live view (subscriptions, webhooks) must apply the one visibility rule
(``lifecycle/visibility.py``) as it was *at each event's position*, not as it is now: a share
takes effect at the position where it was recorded, a revocation too. So the readers of the log
fold, in log order, exactly what the rule depends on: each innovation's owner and shares (and
its stage, for the pipeline), and each measure's organisation and innovation. ``Audience.fold``
turns a decoded event into a ``Happening``: the event's facts a partner may be told, and which
organisations see it there, at which scope.

``Audience.at`` builds the state at any position by folding the log's events of the types in
``SIGHTED`` (creations, shares, stage moves, measure definitions) up to it; the other events
change nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from lifecycle.development.events import DevelopmentPart as D
from lifecycle.governance.events import GovernancePart as G
from lifecycle.ideas.events import IdeasPart as I
from lifecycle.improvement.measure import Measure
from lifecycle.innovations.events import InnovationsPart as W
from lifecycle.innovations.innovation import Innovation
from lifecycle.innovations.stage import Stage
from lifecycle.innovations.transitions import stage_after
from lifecycle.spread.events import SpreadPart as S
from lifecycle.visibility import Scope, record_seen, scope
from projections.engine.log import Log, Recorded

PREFIX = "lifecycle/"

# The event types that change what this module folds: an innovation's creation (its owner),
# every move of ``transitions.stage_after``, shares, and a measure's definition.
SIGHTED = tuple(cls.TOPIC for cls in (
    I.IdeaSubmitted, I.IdeaAccepted, I.IdeaMerged, I.IdeaDeclined, W.InnovationClosed,
    W.InnovationParked, W.InnovationReopened, D.PrototypeStarted, D.EvaluationRecorded,
    G.AdoptionDecided, S.AdoptionStarted, S.InnovationEmbedded, S.SharedWith,
    S.SharingRevoked, Measure.MeasureDefined))

SELECT_SIGHTED = (
    "SELECT notification_id, originator_id, originator_version, topic, state, recorded_at "
    "FROM lifecycle_events WHERE notification_id > $1 AND notification_id <= $2 "
    "AND topic = ANY($3::text[]) ORDER BY notification_id LIMIT $4")


@dataclass
class Sighting:
    """What the rule needs of one innovation: its owner and shares (organisation -> scope)."""

    owner: UUID
    shared_with: dict[UUID, str] = field(default_factory=dict)
    stage: Stage | None = None
    parked_from: Stage | None = None


@dataclass(frozen=True)
class Happening:
    """One event as partners may be told of it: its position, stable name, time of recording,
    what it is about, the stage before and after it, and ``seen_by``: every organisation that
    sees it at its position, with the scope it sees the innovation at."""

    position: int
    recorded_at: datetime
    name: str
    innovation_id: UUID
    measure_id: UUID | None
    owner: UUID
    stage: Stage | None
    stage_before: Stage | None
    seen_by: Mapping[UUID, Scope]

    @property
    def stage_changed(self) -> bool:
        return self.stage is not None and self.stage != self.stage_before


class Audience:
    """The fold, at one position (``position``: the last event folded)."""

    def __init__(self) -> None:
        self.innovations: dict[UUID, Sighting] = {}
        self.measures: dict[UUID, tuple[UUID, UUID]] = {}  # measure -> (recorder, innovation)
        self.position = 0

    @classmethod
    async def at(cls, conn: asyncpg.Connection, log: Log, position: int,
                 batch: int = 5000) -> Audience:
        """The state after every event up to ``position`` (inclusive)."""
        audience = cls()
        after = 0
        while True:
            rows = await conn.fetch(SELECT_SIGHTED, after, position, list(SIGHTED), batch)
            if not rows:
                break
            for recorded in log.decode_each(rows):
                audience.fold(recorded)
            after = rows[-1][0]
        audience.position = position
        return audience

    def scope_of(self, viewer: UUID, innovation: UUID) -> Scope:
        """The scope at which ``viewer`` sees ``innovation`` now (NONE if unknown)."""
        sighting = self.innovations.get(innovation)
        if sighting is None:
            return Scope.NONE
        return scope(viewer, sighting.owner, sighting.shared_with)

    def fold(self, recorded: Recorded) -> Happening | None:
        """Fold one event; the ``Happening`` partners may hear of, or None for an event about
        neither an innovation nor a measure (organisations, challenges, people) or one this
        version cannot read."""
        self.position = max(self.position, recorded.position)
        event: Any = recorded.event
        if isinstance(event, Innovation.Event):
            return self._innovation(recorded, event)
        if isinstance(event, Measure.Event):
            return self._measure(recorded, event)
        return None

    def _innovation(self, recorded: Recorded, event: Any) -> Happening | None:
        ident: UUID = event.originator_id
        sighting = self.innovations.get(ident)
        if sighting is None:
            if not isinstance(event, I.IdeaSubmitted):
                return None  # an innovation this fold never saw created: nothing to tell
            sighting = self.innovations[ident] = Sighting(owner=event.organisation_id)
        before = sighting.stage
        sighting.stage, sighting.parked_from = stage_after(event, sighting.stage,
                                                           sighting.parked_from)
        if isinstance(event, S.SharedWith):
            sighting.shared_with[event.organisation_id] = event.scope
        elif isinstance(event, S.SharingRevoked):
            sighting.shared_with.pop(event.organisation_id, None)
        viewers = {sighting.owner, *sighting.shared_with}
        seen_by = {viewer: found for viewer in viewers
                   if (found := scope(viewer, sighting.owner, sighting.shared_with)).sees}
        return Happening(recorded.position, recorded.recorded_at, _name(event), ident, None,
                         sighting.owner, sighting.stage, before, seen_by)

    def _measure(self, recorded: Recorded, event: Any) -> Happening | None:
        ident: UUID = event.originator_id
        if isinstance(event, Measure.MeasureDefined):
            self.measures[ident] = (event.organisation_id, event.innovation_id)
        found = self.measures.get(ident)
        if found is None:
            return None
        recorder, innovation = found
        sighting = self.innovations.get(innovation)
        if sighting is None:
            return None
        viewers = {recorder, sighting.owner, *sighting.shared_with}
        seen_by = {viewer: scope(viewer, sighting.owner, sighting.shared_with)
                   for viewer in viewers
                   if record_seen(viewer, recorder, sighting.owner, sighting.shared_with)}
        return Happening(recorded.position, recorded.recorded_at, _name(event), innovation,
                         ident, sighting.owner, sighting.stage, sighting.stage, seen_by)


def _name(event: Any) -> str:
    topic: str = type(event).TOPIC
    return topic.removeprefix(PREFIX)

