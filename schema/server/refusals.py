"""HTTP-level refusals, as JSON in GraphQL's error shape: ``{"errors": [{"message",
"extensions": {"code"}}]}``; never plain text or a stack trace.

400 for a body that is not one JSON object (malformed JSON, a batched array) and for operations
over GET, 401 for a bad bearer token, 405 for another method, 413 for a body over the limit.
Errors of the GraphQL document itself are HTTP 200 with ``errors`` (GraphQL over HTTP's
convention for ``application/json``), and are not made here.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse

UNAVAILABLE = "DATABASE_UNAVAILABLE"  # the database is away: HTTP 503, retryable
CODES = {400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 404: "NOT_FOUND",
         405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE"}


def http_error(status: int, message: str, *, code: str | None = None,
               headers: Mapping[str, str] | None = None, retryable: bool = False
               ) -> JSONResponse:
    """A refusal with HTTP ``status``; ``code`` defaults to the status's name in ``CODES``;
    ``retryable`` adds ``extensions.retryable: true``."""
    extensions: dict[str, object] = {"code": code or CODES.get(status, "BAD_REQUEST")}
    if retryable:
        extensions["retryable"] = True
    return JSONResponse({"errors": [{"message": message, "extensions": extensions}]},
                        status_code=status, headers=headers)


def unauthorised(message: str) -> JSONResponse:
    """401 with the bearer challenge of RFC 6750."""
    return http_error(401, message, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
