"""What a subscription delivers: one message per event, carrying its log position.

The message says what happened (the event's stable name, when, to which innovation or measure,
the stage before and after) to an organisation that saw the event at its position. What the
thing is now comes through the same query path and visibility rule as ``innovation(id)`` and
``measure(id)`` (``innovation``, ``measure``): null where the caller can no longer see it (a
revoked share), detail fields null for a summary share.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict
from uuid import UUID

import strawberry

from lifecycle.innovations.stage import Stage
from projections.innovations import queries as q
from projections.partners.audience import Happening
from schema import positions
from schema.context import Context
from schema.improvement.types import Measure, visible_measure
from schema.innovations.types import Innovation, Related
from schema.loaders import Loaders


async def _innovation(info: strawberry.Info[Context, None], ident: UUID,
                      position: int) -> Innovation | None:
    ctx = info.context
    viewer = ctx.actor.viewers
    await ctx.reads.consistent_with("innovations", position)
    async with ctx.reads.pool.acquire() as conn:
        row = (await q.innovations_by_id(conn, viewer, [ident])).get(ident)
    # Fresh loaders for each message: a connection lives long, and a loader caches.
    return Innovation.from_row(row, Related(viewer, loaders=Loaders(ctx.reads.pool))) \
        if row else None


@strawberry.interface(description="An event a subscription delivers, with its place in the log.")
class LogEvent:
    happening: strawberry.Private[Happening]
    position: str = strawberry.field(description=(
        "The event's log position, as an opaque cursor: pass it as `after` to resume after it."))
    type: str = strawberry.field(description="The event's stable name, e.g. `IdeaRevised`.")
    recorded_at: datetime
    innovation_id: strawberry.ID

    @strawberry.field(description="The innovation as the caller may query it now: null where "
                                  "it no longer can, detail fields null for a summary share.")
    async def innovation(self, info: strawberry.Info[Context, None]) -> Innovation | None:
        return await _innovation(info, self.happening.innovation_id, self.happening.position)


class _Logged(TypedDict):
    happening: Happening
    position: str
    type: str
    recorded_at: datetime
    innovation_id: strawberry.ID


def _logged(happening: Happening, epoch: UUID) -> _Logged:
    """What every message says of its event (``LogEvent``'s fields), its position a cursor of
    the log's ``epoch``."""
    return _Logged(happening=happening, position=positions.encode(epoch, happening.position),
                   type=happening.name, recorded_at=happening.recorded_at,
                   innovation_id=strawberry.ID(str(happening.innovation_id)))


@strawberry.type(description="Something happened to an innovation the caller sees.")
class InnovationEvent(LogEvent):
    stage: Stage | None = strawberry.field(description="Its stage after the event.")

    @classmethod
    def of(cls, happening: Happening, epoch: UUID) -> InnovationEvent:
        return cls(**_logged(happening, epoch), stage=happening.stage)


@strawberry.type(description="An innovation of the caller's organisation moved stage.")
class StageChange(LogEvent):
    from_stage: Stage | None = strawberry.field(description="Null for a new innovation.")
    to_stage: Stage

    @classmethod
    def of(cls, happening: Happening, epoch: UUID) -> StageChange:
        assert happening.stage is not None
        return cls(**_logged(happening, epoch), from_stage=happening.stage_before,
                   to_stage=happening.stage)


@strawberry.type(description="Something happened to a measure the caller sees: new "
                             "observations (`ObservationsRecorded`), a new phase, a revision.")
class MeasureEvent(LogEvent):
    measure_id: strawberry.ID

    @classmethod
    def of(cls, happening: Happening, epoch: UUID) -> MeasureEvent:
        assert happening.measure_id is not None
        return cls(**_logged(happening, epoch),
                   measure_id=strawberry.ID(str(happening.measure_id)))

    @strawberry.field(description="The measure as the caller may query it now, with its "
                                  "statistics and signals; null where it no longer can.")
    async def measure(self, info: strawberry.Info[Context, None]) -> Measure | None:
        ident = self.happening.measure_id
        assert ident is not None
        await info.context.reads.consistent_with("improvement", self.happening.position)
        return await visible_measure(info.context, ident)
