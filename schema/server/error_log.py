"""How GraphQL errors are logged: a client's mistake briefly, a fault in full.

Strawberry hands every error of a request (a document that does not parse or validate, a field
that refused its caller, an exception in a resolver) to the schema's ``process_errors``, whose
default logs each at ERROR with its traceback, and with the document's offending line in its
text: a megabyte of document per anonymous request. Here:

- an error the service meant (``expected``: graphql-core's syntax and validation errors, a
  ``GraphQLError`` raised on purpose, such as ``UNAUTHENTICATED``) is a client's mistake: one
  INFO line per request naming the first ``SHOWN`` errors' messages, codes and paths, with no
  traceback and never the document;
- anything else, an exception escaping a resolver, is a fault: one ERROR line each, with its
  traceback as a field. The client sees it masked (``schema.root``).

The same rule decides both, so what a client may read is exactly what is logged as its mistake.
"""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

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
        for error in errors:
            original = error.original_error
            if original is not None and not expected(error):
                log.error("graphql resolver failed", extra={
                    "operation": operation, "path": error.path,
                    "error_type": type(original).__name__},
                    exc_info=(type(original), original, original.__traceback__))
