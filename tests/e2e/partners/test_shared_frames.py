"""A live event's ``next`` message is made once per group of subscribers that asked the same
(``schema/partners/frames.py``): strawberry handles the group's result once (its stream-result
hooks, error masking, the message's JSON), and every member receives that payload under its own
operation id, errors masked as before.

strawberry's handling is observed through the schema's masking extension's stream-result hook
(``schema.root.Masked.on_stream_result``), which strawberry runs once for each result it handles.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AsyncExitStack
from typing import Any

import pytest

from lifecycle.actor import Role
from lifecycle.application import LifecycleApplication
from lifecycle.vocabulary import SharingScope
from projections.innovations import queries as q
from schema.root import Masked
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer
from tests.e2e.partners.client import WAIT, Socket, connected
from tests.e2e.partners.conftest import comment, cursor, position_of, share, submit, until

SHARED = """subscription($after: String) { sharedInnovationEvents(after: $after) {
  position type innovation { id title problem } } }"""
SECRET = "relation rm_secret does not exist"


class Handled:
    """Counts the results strawberry handles (its stream-result hook), in any thread."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        hook = Masked.on_stream_result

        def counted(extension: Masked, result: Any) -> Iterator[None]:
            self.count += 1
            yield from hook(extension, result)

        monkeypatch.setattr(Masked, "on_stream_result", counted)


async def _group(stack: AsyncExitStack, live: LiveServer, app: LifecycleApplication,
                 name: str, size: int) -> tuple[list[tuple[Socket, str]], Any, Any]:
    """``size`` alike subscribers (one group) of a partner, each on its own socket with its
    own operation id, all following the feed live; the owner and the innovation."""
    owner = member(new_organisation(app, f"Owner {name}"), Role.INNOVATION_LEAD)
    partner = new_organisation(app, f"Partner {name}")
    alike = [member(partner, Role.STAFF) for _ in range(size)]
    innovation = submit(app, owner)
    start = share(app, owner, innovation, alike[0], SharingScope.FULL)
    subscribers = []
    for n, actor in enumerate(alike):
        ws = await stack.enter_async_context(connected(live.url, live.token(actor)))
        ws.ids = 10 * n  # operation ids differ between members
        subscribers.append((ws, await ws.subscribe(SHARED, after=cursor(app, start))))
    warm = comment(app, owner, innovation, "warm-up")
    for ws, op in subscribers:
        await until(ws, op, "sharedInnovationEvents", warm, app)
    return subscribers, owner, innovation


async def test_a_groups_event_is_handled_once_and_sent_to_each_member_under_its_own_id(
        app: LifecycleApplication, live: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    async with AsyncExitStack() as stack:
        subscribers, owner, innovation = await _group(stack, live, app, "F1", 4)
        handled = Handled(monkeypatch)
        written = [comment(app, owner, innovation, f"note {n}") for n in range(5)]
        received = [await until(ws, op, "sharedInnovationEvents", written[-1], app)
                    for ws, op in subscribers]  # `until` checks each message's id
        for got in received:
            assert [position_of(app, e) for e in got] == written
            assert got == received[0]
        assert handled.count == len(written)  # once per event for the group, not per member


async def test_a_groups_failed_field_reaches_each_member_masked_as_before(
        app: LifecycleApplication, live: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    async with AsyncExitStack() as stack:
        subscribers, owner, innovation = await _group(stack, live, app, "F2", 3)

        async def failing(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError(SECRET)

        monkeypatch.setattr(q, "innovations_by_id", failing)
        handled = Handled(monkeypatch)
        written = comment(app, owner, innovation, "while the read model fails")
        payloads = []
        for ws, op in subscribers:
            message = await ws.receive(within=WAIT)
            assert message["id"] == op, message
            assert message["type"] == "next", message
            payloads.append(message["payload"])
        assert handled.count == 1
        for payload in payloads:
            assert payload == payloads[0]
            assert position_of(app, payload["data"]["sharedInnovationEvents"]) == written
            assert payload["data"]["sharedInnovationEvents"]["innovation"] is None
            assert payload["errors"] == [{
                "message": "Internal error; it has been logged.",
                "locations": [{"line": 2, "column": 17}],
                "path": ["sharedInnovationEvents", "innovation"]}]
            assert SECRET not in repr(payload)
        # The members' streams go on once the read model answers again.
        monkeypatch.undo()
        after = comment(app, owner, innovation, "answered again")
        for ws, op in subscribers:
            got = await until(ws, op, "sharedInnovationEvents", after, app)
            assert [position_of(app, e) for e in got] == [after]
