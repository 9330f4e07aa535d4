"""What ``schema/partners/frames.py`` relies on in strawberry's graphql-transport-ws handler; these
fail when an upgrade changes it (strawberry-graphql is pinned in pyproject.toml)."""

from __future__ import annotations

import inspect
import json
from typing import Any

import orjson
from strawberry.subscriptions.protocols.graphql_transport_ws import handlers
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.types.execution import ExecutionResult

from schema.partners.frames import next_message


class Recorded:
    """Stands in for the handler an ``Operation`` sends through."""

    def __init__(self) -> None:
        self.sent: list[Any] = []
        self.forgotten: list[str] = []

    async def send_message(self, message: Any) -> None:
        self.sent.append(message)

    def forget_id(self, ident: str) -> None:
        self.forgotten.append(ident)


async def test_a_next_message_goes_through_send_message_in_the_shape_spliced() -> None:
    handler = Recorded()
    operation: Operation[Any, Any] = Operation(
        handler, "op-7", "subscription { x }", None, None)  # type: ignore[arg-type]
    data = {"x": {"position": "p", "innovation": None}}
    errors = [{"message": "Internal error; it has been logged.", "path": ["x", "innovation"]}]
    result = ExecutionResult(data=data, errors=None)
    await operation.send_next(result)
    assert handler.sent == [{"id": "op-7", "type": "next", "payload": {"data": data}}]
    # The spliced text is the message strawberry would have encoded, key for key.
    message = handler.sent[0]
    spliced = next_message("op-7", orjson.dumps(message["payload"]).decode())
    assert spliced == orjson.dumps(message).decode()
    assert json.loads(next_message('a "quoted" id', json.dumps({"errors": errors}))) == {
        "id": 'a "quoted" id', "type": "next", "payload": {"errors": errors}}


def test_each_operation_runs_in_run_operation_as_a_task_of_its_own() -> None:
    subscribe = inspect.getsource(BaseGraphQLTransportWSHandler.handle_subscribe)
    assert "asyncio.create_task(self.run_operation(operation))" in subscribe


def test_an_operation_that_fails_is_reported_through_handle_task_exception() -> None:
    run = inspect.getsource(BaseGraphQLTransportWSHandler.run_operation)
    assert "await self.handle_task_exception(error)" in run
    send = inspect.getsource(handlers.Operation.send_operation_message)
    assert "await self.handler.send_message(message)" in send
