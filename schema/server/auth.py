"""Authentication: a Starlette ``AuthenticationBackend`` for bearer tokens on HTTP requests.

A request with a bad bearer token gets HTTP 401 and never reaches GraphQL; a request without one
runs anonymously, and every field that needs a caller answers with an ``UNAUTHENTICATED`` error.
The verifier and the directory of organisations come from the lifespan's state. Websocket
connections authenticate in their ``connection_init`` message instead, so the backend lets their
handshake through.

A token must name an organisation that exists (or be a platform administrator's, which names the
platform), and so must every organisation an auditor's token audits (``audit_orgs``). Existence
is read from the directory read model. An organisation registered moments ago may not be there
yet, so a miss is a read-your-writes wait: up to the read path's wait
(``Reads.wait_seconds``, as for ``consistentWith``) for the directory to reach the log's head as
it was when the request came, then a second look. Still missing: 401, saying either that no such
organisation is registered or, when the directory did not catch up in time, that it is not known
yet and to retry.
"""

from __future__ import annotations

from uuid import UUID

from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    BaseUser,
)
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import Scope

from lifecycle.store import database
from projections.directory import queries as directory_queries
from schema.reads import Reads
from schema.server.refusals import UNAVAILABLE, http_error, unauthorised
from schema.server.tokens import AUDIT_ORGS, AuthenticationFailed, Identity, Verifier, too_long

DIRECTORY = "directory"  # the read model of organisations


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

    Raises ``AuthenticationFailed`` for a header longer than a token may be (checked before
    the header is read any further), another scheme, an empty token, or a token the verifier
    refuses."""
    if not header:
        return None
    limit = verifier.settings.max_token_chars + len("Bearer ")
    if len(header) > limit:
        raise AuthenticationFailed(too_long("Authorization header", len(header), limit))
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("the Authorization header must be 'Bearer <token>'")
    return verifier.verify(token.strip())


class Organisations:
    """Which organisations exist, as the directory read model knows them (module docstring)."""

    def __init__(self, reads: Reads) -> None:
        self.reads = reads
        # Organisations are never removed, so an organisation once found is kept: bounded by
        # the registered organisations, never by what callers send.
        self.known: set[UUID] = set()

    async def check(self, identity: Identity) -> None:
        """Raises ``AuthenticationFailed`` unless the identity's organisation is registered
        (or it is the platform administrator's, who acts for the platform), and every
        organisation it audits, naming the claim (``org`` or ``audit_orgs``)."""
        actor = identity.actor
        if not actor.administers_platform:
            await self._registered(actor.organisation, "org")
        for audited in sorted(actor.audit_scope):
            await self._registered(audited, AUDIT_ORGS)

    async def _registered(self, organisation: UUID, claim: str) -> None:
        if organisation in self.known:
            return
        found, head = await self._look(organisation)
        if not found:
            caught_up = await self.reads.watcher.wait(DIRECTORY, head,
                                                      within=self.reads.wait_seconds)
            found, _ = await self._look(organisation)
            if not found:
                why = (f"no organisation {organisation} is registered" if caught_up else
                       f"organisation {organisation} is not known yet (the directory has "
                       f"not caught up within {self.reads.wait_seconds:g} s); retry shortly")
                raise AuthenticationFailed(f"the bearer token's '{claim}' claim is not valid: "
                                           f"{why}")
        self.known.add(organisation)

    async def _look(self, ident: UUID) -> tuple[bool, int]:
        """Whether the directory has ``ident``, and the log's head as this read saw it."""
        async with self.reads.pool.acquire() as conn:
            # The head first: an organisation registered before it is then in the directory
            # once the directory reaches it.
            head = await conn.fetchval("SELECT coalesce(max(notification_id), 0) "
                                       "FROM lifecycle_events")
            row = await directory_queries.organisation(conn, ident)
        return row is not None, int(head)


class DatabaseAway(AuthenticationError):
    """The token could not be checked because the database is unavailable: HTTP 503, not 401
    (the token may well be good)."""


class BearerTokens(AuthenticationBackend):
    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        if conn.scope["type"] != "http":
            return None
        verifier: Verifier = conn.state.verifier
        organisations: Organisations = conn.state.organisations
        try:
            identity = bearer(conn.headers.get("authorization"), verifier)
            if identity is None:
                return None
            await organisations.check(identity)
        except AuthenticationFailed as exc:
            raise AuthenticationError(str(exc)) from None
        except Exception as exc:
            if database.unavailable(exc):
                raise DatabaseAway("the database is unavailable; retry shortly") from exc
            raise
        return AuthCredentials(["authenticated"]), Caller(identity)


def refused(_: HTTPConnection, exc: AuthenticationError) -> Response:
    """401 for a token refused; 503 (retryable, as the GraphQL endpoint answers an outage)
    when it could not be checked."""
    if isinstance(exc, DatabaseAway):
        return http_error(503, str(exc), code=UNAVAILABLE, headers={"Retry-After": "1"},
                          retryable=True)
    return unauthorised(str(exc))


def identity_of(scope: Scope) -> Identity | None:
    """The caller that ``BearerTokens`` authenticated, if any."""
    user = scope.get("user")
    return user.caller if isinstance(user, Caller) else None
