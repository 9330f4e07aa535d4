"""Webhook endpoints, managed by an organisation's administrators (the ``admin`` role of that
organisation; auditors and other roles are refused, and another organisation's endpoint answers
as one never made): register one (URL, event types) and be shown its secret once, rotate the
secret, resume an endpoint paused after failures, and read each endpoint's delivery log.
Delivery itself is ``projections/partners/delivery.py``'s."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

import asyncpg
import strawberry

from lifecycle.actor import Actor, Role
from lifecycle.aggregate import EVENT_TYPES
from lifecycle.errors import DomainError, NotFound, ValidationFailed
from lifecycle.policy import require_role
from lifecycle.service.settings import Settings
from projections.partners import endpoints as store
from projections.partners.audience import PREFIX
from projections.partners.keys import NoKeys, Seal, new_secret
from projections.partners.outbound import checked_url, resolved
from schema import positions
from schema.context import Context
from schema.errors import CommandError, from_domain
from schema.ids import parsed
from schema.reads import Refused

ADMINS = frozenset({Role.ADMIN})
EVENT_TYPES_MAX = 100
DELIVERIES_MAX = 100


@strawberry.enum(description="Whether an endpoint is being delivered to.")
class WebhookState(StrEnum):
    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"


@strawberry.type(description="One attempt to deliver one event to an endpoint.")
class WebhookDelivery:
    position: str = strawberry.field(description="The event's log position (its webhook-id "
                                                 "and CloudEvents id are the same position).")
    attempt: int
    attempted_at: datetime
    type: str
    status: int | None = strawberry.field(description="The receiver's HTTP status, if any.")
    error: str | None = strawberry.field(description="Why the attempt failed.")
    succeeded: bool


@strawberry.type(description="Where an organisation's systems receive its events.")
class WebhookEndpoint:
    endpoint: strawberry.Private[store.Endpoint]
    id: strawberry.ID
    url: str
    event_types: list[str] = strawberry.field(description="Empty: every type.")
    state: WebhookState
    paused_reason: str | None
    created_at: datetime
    secret_rotated_at: datetime | None

    @classmethod
    def of(cls, endpoint: store.Endpoint) -> WebhookEndpoint:
        return cls(endpoint=endpoint, id=strawberry.ID(str(endpoint.id)), url=endpoint.url,
                   event_types=list(endpoint.event_types),
                   state=WebhookState(endpoint.state), paused_reason=endpoint.paused_reason,
                   created_at=endpoint.created_at,
                   secret_rotated_at=endpoint.secret_rotated_at)

    @strawberry.field(description="The latest delivery attempts, newest first.")
    async def deliveries(self, info: strawberry.Info[Context, None],
                         first: int = 20) -> list[WebhookDelivery]:
        ctx = info.context
        if not 1 <= first <= DELIVERIES_MAX:
            raise Refused(ValidationFailed("first", f"must be from 1 to {DELIVERIES_MAX}"))
        async with ctx.reads.pool.acquire() as conn:
            found = await store.deliveries(conn, self.endpoint.id, first)
        epoch = ctx.service.epoch
        return [WebhookDelivery(position=positions.encode(epoch, d.position),
                                attempt=d.attempt, attempted_at=d.attempted_at,
                                type=d.event_type, status=d.status, error=d.error,
                                succeeded=d.succeeded) for d in found]


@strawberry.type(description="An endpoint with its secret, shown this once: keep it to verify "
                             "deliveries' signatures (Standard Webhooks).")
class WebhookSecretIssued:
    endpoint: WebhookEndpoint
    secret: str


@strawberry.type(description="An endpoint is delivered to again.")
class WebhookEndpointResumed:
    endpoint: WebhookEndpoint


RegisterWebhookEndpointPayload = Annotated[
    WebhookSecretIssued | CommandError, strawberry.union("RegisterWebhookEndpointPayload")]
RotateWebhookSecretPayload = Annotated[
    WebhookSecretIssued | CommandError, strawberry.union("RotateWebhookSecretPayload")]
ResumeWebhookEndpointPayload = Annotated[
    WebhookEndpointResumed | CommandError, strawberry.union("ResumeWebhookEndpointPayload")]


@strawberry.input
class RegisterWebhookEndpointInput:
    url: str = strawberry.field(description="https (http in development only); a host whose "
                                            "addresses are all public.")
    event_types: list[str] = strawberry.field(
        default_factory=list, description="Stable event names, e.g. `CommentAdded`; "
                                          "none for every type.")


@strawberry.input
class WebhookEndpointInput:
    endpoint_id: strawberry.ID


def _admin(ctx: Context, doing: str) -> Actor:
    """The caller, if an administrator of its organisation; raises ``Forbidden``."""
    actor = ctx.actor
    require_role(actor, ADMINS, doing)
    return actor


def _event_types(names: list[str]) -> list[str]:
    known = {topic.removeprefix(PREFIX) for topic in EVENT_TYPES}
    if len(names) > EVENT_TYPES_MAX:
        raise ValidationFailed("event_types", f"at most {EVENT_TYPES_MAX}")
    for name in names:
        if name not in known:
            raise ValidationFailed("event_types", f"{name[:80]!r} is not an event type")
    return sorted(set(names))


def _endpoint_id(value: strawberry.ID) -> UUID:
    ident = parsed(value)
    if ident is None:
        raise NotFound("webhook endpoint", str(value)[:80])
    return ident


def _settings(ctx: Context) -> Settings:
    return ctx.settings or Settings()


def _seal(ctx: Context) -> Seal:
    try:
        return Seal.of(_settings(ctx))
    except NoKeys as off:
        raise ValidationFailed("url", str(off)) from None


async def _with_new_secret(ctx: Context, seal: Seal,
                           save: Callable[[asyncpg.Connection, bytes],
                                          Awaitable[store.Endpoint | None]]
                           ) -> WebhookSecretIssued | None:
    """A new secret, sealed and saved with its endpoint by ``save`` and shown this once; None
    where ``save`` finds no endpoint to save it with."""
    secret = new_secret()
    async with ctx.reads.pool.acquire() as conn:
        endpoint = await save(conn, seal.seal(secret))
    return WebhookSecretIssued(endpoint=WebhookEndpoint.of(endpoint), secret=secret) \
        if endpoint is not None else None


@strawberry.type
class WebhookQueries:
    @strawberry.field(description="The caller's organisation's webhook endpoints "
                                  "(administrators).")
    async def webhook_endpoints(self, info: strawberry.Info[Context, None]
                                ) -> list[WebhookEndpoint]:
        try:
            actor = _admin(info.context, "read webhook endpoints")
        except DomainError as error:
            raise Refused(error) from None
        async with info.context.reads.pool.acquire() as conn:
            found = await store.of_organisation(conn, actor.organisation)
        return [WebhookEndpoint.of(e) for e in found]


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(description="Register an endpoint for the events your organisation "
                                     "sees from now on; its secret is shown this once.")
    async def register_webhook_endpoint(self, info: strawberry.Info[Context, None],
                                        input: RegisterWebhookEndpointInput
                                        ) -> RegisterWebhookEndpointPayload:
        ctx = info.context
        try:
            actor = _admin(ctx, "register a webhook endpoint")
            settings = _settings(ctx)
            url = checked_url(input.url, settings)
            await resolved(url, settings)
            types = _event_types(input.event_types)
            seal = _seal(ctx)
        except DomainError as error:
            return from_domain(error)
        issued = await _with_new_secret(ctx, seal, lambda conn, sealed: store.register(
            conn, actor.organisation, str(url), types, sealed, actor.subject))
        assert issued is not None  # registering always saves
        return issued

    @strawberry.mutation(description="Replace an endpoint's secret; the new one, shown this "
                                     "once, signs every delivery from now on.")
    async def rotate_webhook_secret(self, info: strawberry.Info[Context, None],
                                    input: WebhookEndpointInput) -> RotateWebhookSecretPayload:
        ctx = info.context
        try:
            actor = _admin(ctx, "rotate a webhook secret")
            ident = _endpoint_id(input.endpoint_id)
            seal = _seal(ctx)
        except DomainError as error:
            return from_domain(error)
        issued = await _with_new_secret(ctx, seal, lambda conn, sealed: store.rotate(
            conn, ident, actor.organisation, sealed))
        return issued or from_domain(NotFound("webhook endpoint", ident))

    @strawberry.mutation(description="Resume delivery to an endpoint paused after failures, "
                                     "from the event it stopped at.")
    async def resume_webhook_endpoint(self, info: strawberry.Info[Context, None],
                                      input: WebhookEndpointInput
                                      ) -> ResumeWebhookEndpointPayload:
        ctx = info.context
        try:
            actor = _admin(ctx, "resume a webhook endpoint")
            ident = _endpoint_id(input.endpoint_id)
        except DomainError as error:
            return from_domain(error)
        async with ctx.reads.pool.acquire() as conn:
            endpoint = await store.resume(conn, ident, actor.organisation)
        if endpoint is None:
            return from_domain(NotFound("webhook endpoint", ident))
        return WebhookEndpointResumed(endpoint=WebhookEndpoint.of(endpoint))
