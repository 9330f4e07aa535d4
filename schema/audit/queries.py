"""Audit queries: ``history``."""

from __future__ import annotations

import strawberry

from lifecycle.audit.history import history as read_history
from lifecycle.errors import NotFound, ValidationFailed
from schema import arguments, pagination
from schema.audit.proofs import ProofQueries
from schema.audit.types import HistoryEntry
from schema.context import Context
from schema.ids import parsed
from schema.pagination import Connection, Edge, PageInfo

HISTORY_ORDER = "HISTORY"


def _after(cursor: str | None) -> int:
    """The log position an ``after`` cursor of a history carries (0 without one); raises
    ``ValidationFailed("after")`` for any other cursor."""
    decoded = pagination.decode(HISTORY_ORDER, cursor, timestamp=False)
    if decoded is None:
        return 0
    value = decoded[0]
    if not (value.isascii() and value.isdigit()) or len(value) > 19:
        raise ValidationFailed("after", "is not a cursor of this list in this order")
    return int(value)


@strawberry.type
class AuditQueries(ProofQueries):
    @strawberry.field(description=(
        "Every event of an innovation, challenge, organisation or measure, in log order: who "
        "acted, for which organisation, in which role, why, and the event's data. Null when "
        "the record does not exist for the caller; an innovation shared with the caller's "
        "organisation as a summary shows no history."))
    async def history(self, info: strawberry.Info[Context, None], id: strawberry.ID,
                      first: int | None = None,
                      after: str | None = None) -> Connection[HistoryEntry] | None:
        ctx = info.context
        actor = ctx.actor
        with arguments.checked():
            size = pagination.page_size(first)
            start = _after(after)
        ident = parsed(id)
        if ident is None:
            return None
        try:
            page = await ctx.service.run(read_history, ctx.service.app, actor, ident,
                                         after=start, first=size)
        except NotFound:
            return None
        edges = [Edge(node=HistoryEntry.of(e),
                      cursor=pagination.encode(HISTORY_ORDER, str(e.position), ident))
                 for e in page.entries]
        return Connection(edges=edges, page_info=PageInfo(
            has_next_page=page.has_next, has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None))
