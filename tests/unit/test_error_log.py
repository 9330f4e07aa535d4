"""How the schema logs the errors of an operation (``schema.server.error_log``): a websocket
client that left while a shared subscription was sending to it is one DEBUG line, not an ERROR
with a traceback; an exception escaping a resolver is still an ERROR with its traceback."""

from __future__ import annotations

import logging

import pytest
import strawberry
from graphql import GraphQLError
from strawberry.http.exceptions import WebSocketDisconnected

from schema.server.error_log import LoggedSchema


@strawberry.type
class Query:
    nothing: str = "nothing"


def raised(exception: Exception) -> GraphQLError:
    try:
        raise exception
    except Exception as caught:
        return GraphQLError("failed", original_error=caught)


def test_a_client_that_left_is_a_debug_line_and_a_fault_is_still_an_error(
        caplog: pytest.LogCaptureFixture) -> None:
    schema = LoggedSchema(query=Query)
    caplog.set_level(logging.DEBUG, logger="strawberry.execution")
    schema.process_errors([raised(WebSocketDisconnected()), raised(WebSocketDisconnected())])
    assert [(r.levelno, r.getMessage(), r.exc_info) for r in caplog.records] == [
        (logging.DEBUG, "websocket client left during an operation", None)]
    caplog.clear()
    schema.process_errors([raised(WebSocketDisconnected()), raised(KeyError("boom"))])
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.DEBUG, "websocket client left during an operation"),
        (logging.ERROR, "graphql resolver failed")]
    assert caplog.records[1].exc_info is not None
