"""How GraphQL errors are logged: a client's mistake briefly, a fault in full.

Strawberry hands every error of a request (a document that does not parse or validate, a field
that refused its caller, an exception in a resolver) to the schema's ``process_errors``, whose
default logs each at ERROR with its traceback, and with the document's offending line in its
text: a megabyte of document per anonymous request. Here:

- an error the service meant (``expected``: graphql-core's syntax and validation errors, a
  ``GraphQLError`` raised on purpose, such as ``UNAUTHENTICATED``) is a client's mistake: one
  INFO line per request naming the first ``SHOWN`` errors' messages, codes and paths, with no
  traceback and never the document;
- a database outage (``lifecycle.store.database.unavailable``) is neither: the client gets a
  retryable 503 ``DATABASE_UNAVAILABLE``, which ``schema.server.requests`` logs as one WARNING
  line ``request refused``, and the outage itself is logged by the workers and ``/readyz``.
  Here it is one DEBUG line per request naming the exception's type, never a traceback: an
  outage under load would otherwise log kilobytes of traceback per request;
- a websocket client that left while its operation was being sent to
  (``WebSocketDisconnected``, raised where a shared subscription sends to each subscriber) is
  an ordinary event: one DEBUG line ``websocket client left during an operation``;
- anything else, an exception escaping a resolver, is a fault: one ERROR line each, with its
  traceback as a field. The client sees it masked (``schema.root``).

The same rule decides both, so what a client may read is exactly what is logged as its mistake.
"""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.types import ExecutionContext

from lifecycle.store import database

SHOWN = 5

log = logging.getLogger("strawberry.execution")


def expected(error: GraphQLError) -> bool:
    """True for an error the service meant: no exception behind it, or a ``GraphQLError``."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


def _summary(error: GraphQLError) -> dict[str, Any]:
    # `message` only: str(error) would add the document's offending line, however long.
    return {"message": error.message, "code": (error.extensions or {}).get("code"),
            "path": error.path}


class LoggedSchema(strawberry.Schema):
    """strawberry's schema, logging its errors as the module's docstring says."""

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        operation = execution_context.operation_name if execution_context else None
        mistakes = [error for error in errors if expected(error)]
        if mistakes:
            log.info("graphql client errors", extra={
                "operation": operation, "error_count": len(mistakes),
                "errors": [_summary(error) for error in mistakes[:SHOWN]]})
        faults = [error for error in errors if not expected(error)]
        if left := [error for error in faults
                    if isinstance(error.original_error, WebSocketDisconnected)]:
            log.debug("websocket client left during an operation",
                      extra={"operation": operation, "error_count": len(left)})
            faults = [error for error in faults if not any(error is gone for gone in left)]
        outage = [error for error in faults
                  if error.original_error is not None
                  and database.unavailable(error.original_error)]
        if outage:
            log.debug("graphql database unavailable", extra={
                "operation": operation, "error_count": len(outage),
                "error_type": type(outage[0].original_error).__name__})
        for error in faults:
            original = error.original_error
            if original is not None and not any(error is o for o in outage):
                log.error("graphql resolver failed", extra={
                    "operation": operation, "path": error.path,
                    "error_type": type(original).__name__},
                    exc_info=(type(original), original, original.__traceback__))
