"""A shared event's ``next`` message made once per group, sent by each member with its own id.

``schema/partners/sharing.py`` executes a live event once per group of subscribers that asked the
same; what strawberry then does with the result (error processing and logging, the extensions'
results and stream-result hooks, masking, the ``next`` message, its JSON) would still run once
per subscriber. Here it runs once per group:

- The first member to take an event from its queue (``Sending.sent`` finds the event's
  ``Shared.frame`` empty) sends it through strawberry as before; the handler's ``send_message``
  (``schema/partners/websocket.py``) serialises the message's ``payload`` once and records that
  text as the event's frame before sending it.
- Every other member splices the frame into its own ``{"id": ..., "type": "next", "payload":
  ...}`` and sends the text: the same bytes the pipeline would have made, errors masked and
  formatted as they were for the first. It waits for the frame if the first has not made it yet.
- A member whose execution raised (the group's outcome failed) never takes the frame: it goes
  through strawberry, which ends its stream with the error as before. If the first member goes
  away before making the frame, those waiting take the event through strawberry themselves.

Queues, ``FELL_BEHIND``, replay and ordering stay per subscriber: every send, spliced or not,
happens in the member's own operation task, in its stream's order.

This leans on strawberry's graphql-transport-ws handler: ``run_operation`` runs one operation as
its own task, and every message it sends goes through ``send_message`` with the protocol's
``next`` shape. ``tests/unit/partners/test_frames.py`` fails if either changes.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Protocol

from projections.partners.feed import Shared


class Operation(Protocol):
    id: str
    completed: bool


class Sending:
    """One subscription operation's spliced sends; ``send_text`` sends one text frame."""

    def __init__(self, operation: Operation, send_text: Callable[[str], Awaitable[None]]
                 ) -> None:
        self.operation = operation
        self.send_text = send_text
        self.opening = next_message(operation.id, "")[:-1]  # the text before the payload
        self.pending: asyncio.Future[str | None] | None = None

    async def sent(self, shared: Shared) -> bool:
        """Whether ``shared`` went out as its group's frame. False: the caller yields it to
        strawberry, and (if this member is the first) its payload becomes the frame."""
        self.abandon()
        frame = shared.frame
        if frame is None:
            shared.frame = self.pending = asyncio.get_running_loop().create_future()
            return False
        assert isinstance(frame, asyncio.Future)
        # shielded: a member going away never cancels it
        payload = frame.result() if frame.done() else await asyncio.shield(frame)
        outcome = shared.outcome
        if payload is None or (isinstance(outcome, asyncio.Future)
                               and (outcome.cancelled() or outcome.exception() is not None)):
            return False
        if not self.operation.completed:
            await self.send_text(self.opening + payload + "}")
        return True

    def serialised(self, payload: str) -> None:
        """The payload of the ``next`` message this operation is sending: its pending event's
        frame, if it is making one."""
        if self.pending is not None and not self.pending.done():
            self.pending.set_result(payload)
        self.pending = None

    def abandon(self) -> None:
        """Those waiting for a frame this operation did not make take the event themselves."""
        if self.pending is not None and not self.pending.done():
            self.pending.set_result(None)
        self.pending = None


SENDING: ContextVar[Sending | None] = ContextVar("lifecycle_sending", default=None)
"""The ``Sending`` of the subscription operation whose task is running (unset elsewhere)."""


def next_message(operation_id: str, payload: str) -> str:
    """The text of operation ``operation_id``'s ``next`` message whose payload's JSON is
    ``payload``: the keys in the order strawberry writes them."""
    return '{"id":' + json.dumps(operation_id) + ',"type":"next","payload":' + payload + "}"
