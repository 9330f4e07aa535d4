"""Subscriptions for partner organisations (and an organisation's own live view), over
graphql-transport-ws on ``/graphql`` (``schema/partners/websocket.py``).

Each delivers the events its caller's organisation sees, each as it was seen at its position
(``projections/partners/audience.py``: a share counts from the position where it was recorded,
a revocation too), one message per event with its position. ``after`` (a position from an
earlier message, or from a mutation's payload) replays from the log what came after it, then
continues live, with no gap and no duplicate. A subscriber that falls behind gets one error,
``FELL_BEHIND``, whose ``extensions.resumeAfter`` is the position to resume from.

What the caller may not see is refused before the stream starts, as a query answers it: an
innovation or measure it cannot query is ``NOT_FOUND`` (checked once the read model has reached
``after``, as ``consistentWith`` waits); a malformed ``after`` is ``VALIDATION``. A stream follows
one organisation's view: an auditor of several organisations is ``FORBIDDEN`` (it subscribes
with a token that audits one of them).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Annotated, Any
from uuid import UUID

import asyncpg
import strawberry
from graphql import GraphQLError

from lifecycle.errors import Forbidden, NotFound, ValidationFailed
from projections.improvement import queries as m
from projections.innovations import queries as q
from projections.partners.audience import Happening
from projections.partners.feed import Feed, FellBehind, Interest
from projections.visibility import Viewer
from schema import positions
from schema.context import Context
from schema.ids import parsed
from schema.partners.frames import SENDING
from schema.partners.sharing import Delivered, group_key
from schema.partners.types import InnovationEvent, MeasureEvent, StageChange
from schema.reads import Refused

FELL_BEHIND = "FELL_BEHIND"
# How a stream's innovation or measure is found: ``innovations_by_id``, ``measures_by_id``.
Lookup = Callable[[asyncpg.Connection, Viewer, list[UUID]], Awaitable[Mapping[UUID, object]]]

After = Annotated[str | None, strawberry.argument(description=(
    "A position from an earlier message (or a mutation's payload): first replay the events "
    "after it from the log, then continue live. Without it, from now on."))]


def _after(ctx: Context, cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        return positions.decode(ctx.service.epoch, cursor)
    except positions.StaleCursor as exc:
        raise Refused(ValidationFailed("after", str(exc))) from None


def _viewer(ctx: Context) -> UUID:
    """The one organisation whose view the caller's stream follows (module docstring)."""
    viewers = ctx.actor.viewers
    if len(viewers) > 1:
        raise Refused(Forbidden(
            "a subscription follows one organisation's view; this token audits "
            f"{len(viewers)} organisations: subscribe with a token that audits one of them"))
    return viewers[0]


def _id(kind: str, value: strawberry.ID) -> UUID:
    ident = parsed(value)
    if ident is None:
        raise Refused(NotFound(kind, str(value)[:80]))
    return ident


def _feed(ctx: Context) -> Feed:
    if ctx.feed is None:
        raise GraphQLError("subscriptions are not served here", extensions={
            "code": "UNAVAILABLE"})
    return ctx.feed


async def _visible(ctx: Context, kind: str, value: strawberry.ID, after: str | None,
                   read_model: str, lookup: Lookup) -> tuple[UUID, int | None]:
    """The innovation or measure a stream follows (``kind``, found by ``lookup`` in
    ``read_model``) and the position to replay after: refused as a query would refuse it, once
    the read model has reached that position (module docstring)."""
    _viewer(ctx)
    ident = _id(kind, value)
    start = _after(ctx, after)
    await ctx.reads.consistent_with(read_model, start)  # read-your-writes, as queries
    async with ctx.reads.pool.acquire() as conn:
        if not await lookup(conn, ctx.actor.viewers, [ident]):
            raise Refused(NotFound(kind, ident))
    return ident, start


async def _stream(info: strawberry.Info[Context, None], wants: Interest, after: int | None,
                  message: Callable[[Happening, UUID], object]) -> AsyncIterator[Any]:
    """The caller's events, each a ``Delivered`` payload that the schema's executor turns into
    its ``message`` (the field's type, made with the log's epoch), executed once per group of
    subscribers that asked the same (``schema/partners/sharing.py``); over a websocket, an
    event whose message its group has already made is sent as it is instead
    (``schema/partners/frames.py``)."""
    ctx = info.context
    epoch = ctx.service.epoch
    feed = _feed(ctx)
    key = group_key(info)
    sending = SENDING.get()  # set when a graphql-transport-ws operation runs this
    try:
        async for shared in feed.follow(ctx.reads.pool, _viewer(ctx), wants, after,
                                        key):
            if sending is not None and await sending.sent(shared):
                continue
            yield Delivered(message(shared.happening, epoch), shared)
    except FellBehind as behind:
        resume = positions.encode(epoch, behind.resume_after)
        raise GraphQLError(
            "This subscription fell behind the events it was sent and was ended; subscribe "
            "again with `after` set to `extensions.resumeAfter` to receive the rest.",
            extensions={"code": FELL_BEHIND, "resumeAfter": resume}) from None


@strawberry.type
class PartnerSubscriptions:
    @strawberry.subscription(description="Every event of one innovation the caller sees.")
    async def innovation_events(self, info: strawberry.Info[Context, None], id: strawberry.ID,
                                after: After = None) -> AsyncIterator[InnovationEvent]:
        ident, start = await _visible(info.context, "innovation", id, after, "innovations",
                                      q.innovations_by_id)
        return _stream(info, lambda h: h.innovation_id == ident and h.measure_id is None,
                       start, InnovationEvent.of)

    @strawberry.subscription(description=(
        "Every event of the innovations other organisations share with the caller's, at the "
        "share's scope, from the position of the share to that of its revocation."))
    async def shared_innovation_events(self, info: strawberry.Info[Context, None],
                                       after: After = None) -> AsyncIterator[InnovationEvent]:
        viewer = _viewer(info.context)
        return _stream(info, lambda h: h.owner != viewer and h.measure_id is None,
                       _after(info.context, after), InnovationEvent.of)

    @strawberry.subscription(description=(
        "The caller's organisation's pipeline: each move of one of its innovations from one "
        "stage to another (new innovations included)."))
    async def pipeline_changes(self, info: strawberry.Info[Context, None],
                               after: After = None) -> AsyncIterator[StageChange]:
        viewer = _viewer(info.context)
        return _stream(info, lambda h: h.owner == viewer and h.measure_id is None
                       and h.stage_changed, _after(info.context, after), StageChange.of)

    @strawberry.subscription(description=(
        "Every event of one measure the caller sees: its new observations (select `measure` "
        "for its signals as they stand after them), phases and revisions."))
    async def measure_events(self, info: strawberry.Info[Context, None], id: strawberry.ID,
                             after: After = None) -> AsyncIterator[MeasureEvent]:
        ident, start = await _visible(info.context, "measure", id, after, "improvement",
                                      m.measures_by_id)
        return _stream(info, lambda h: h.measure_id == ident, start, MeasureEvent.of)
