"""Authentication: a Starlette ``AuthenticationBackend`` for bearer tokens on HTTP requests.

A request with a bad bearer token gets HTTP 401 and never reaches GraphQL; a request without one
runs anonymously, and every field that needs a caller answers with an ``UNAUTHENTICATED`` error.
The verifier comes from the lifespan's state. Websocket connections authenticate in their
``connection_init`` message instead, so the backend lets their handshake through.
"""

from __future__ import annotations

from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    BaseUser,
)
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import Scope

from schema.http import unauthorised
from schema.tokens import AuthenticationFailed, Identity, Verifier


class Caller(BaseUser):
    """The authenticated caller, as Starlette's ``request.user``."""

    def __init__(self, identity: Identity) -> None:
        self.caller = identity

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.caller.name or self.caller.actor.subject


def bearer(header: str | None, verifier: Verifier) -> Identity | None:
    """The identity in an ``Authorization: Bearer <token>`` header; None when there is none.

    Raises ``AuthenticationFailed`` for another scheme, an empty token, or a token the verifier
    refuses."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("the Authorization header must be 'Bearer <token>'")
    return verifier.verify(token.strip())


class BearerTokens(AuthenticationBackend):
    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        if conn.scope["type"] != "http":
            return None
        verifier: Verifier = conn.state.verifier
        try:
            identity = bearer(conn.headers.get("authorization"), verifier)
        except AuthenticationFailed as exc:
            raise AuthenticationError(str(exc)) from None
        if identity is None:
            return None
        return AuthCredentials(["authenticated"]), Caller(identity)


def refused(_: HTTPConnection, exc: AuthenticationError) -> Response:
    return unauthorised(str(exc))


def identity_of(scope: Scope) -> Identity | None:
    """The caller that ``BearerTokens`` authenticated, if any."""
    user = scope.get("user")
    return user.caller if isinstance(user, Caller) else None
