"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from graphql import GraphQLError

from lifecycle.actor import Actor, CommandContext
from lifecycle.service.service import LifecycleService
from lifecycle.service.settings import Settings
from projections.partners.feed import Feed
from schema.loaders import Loaders
from schema.reads import Reads, position_of
from schema.server.tokens import Identity


class Unauthenticated(GraphQLError):
    def __init__(self) -> None:
        super().__init__(
            "authentication required: send 'Authorization: Bearer <token>'",
            extensions={"code": "UNAUTHENTICATED"},
        )


@dataclass
class Context:
    service: LifecycleService
    reads: Reads
    identity: Identity | None
    correlation_id: UUID
    loaders: Loaders
    # Set once the operation has run: a query that answered without errors (schema/cache.py).
    cacheable: bool = False
    # Websocket connections (schema/partners): the subscriptions' feed, the connection_init
    # payload (strawberry sets it), and when the connection's token expires.
    feed: Feed | None = None
    settings: Settings | None = None  # the service's, for what depends on them (webhooks)
    connection_params: dict[str, object] = field(default_factory=dict)
    expires_at: datetime | None = None

    @classmethod
    def for_request(cls, service: LifecycleService, reads: Reads, identity: Identity | None,
                    correlation_id: str | None) -> Context:
        try:
            correlation = UUID(correlation_id) if correlation_id else uuid4()
        except ValueError:
            correlation = uuid4()
        return cls(service, reads, identity, correlation, Loaders(reads.pool))

    @property
    def actor(self) -> Actor:
        """The authenticated caller; anonymous callers get an authentication error."""
        if self.identity is None:
            raise Unauthenticated()
        return self.identity.actor

    async def read_at(self, consistent_with: str | None, *read_models: str) -> None:
        """Read-your-writes, the one way every query does it: wait until each of the read
        models it reads (``read_models``, by projection name) has reached the position the
        client's ``consistentWith`` cursor names (none: read now). An anonymous caller is
        refused (``Unauthenticated``) before the cursor is looked at; ``Refused`` for a cursor
        that is malformed or from another database epoch, ``NotYetConsistent`` when a read
        model does not get there within the wait."""
        self.actor  # noqa: B018 (refuses anonymous callers)
        await self.reads.consistent_with(read_models,
                                         position_of(consistent_with, self.service.epoch))

    def command(self, *, idempotency_key: str | None = None,
                expected_version: int | None = None) -> CommandContext:
        return CommandContext(self.actor, self.correlation_id, idempotency_key,
                              expected_version)
