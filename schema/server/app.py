"""The ASGI application: ``/graphql`` (queries, mutations, GraphiQL), ``/healthz``, ``/readyz``.

It only composes: the lifespan opens what requests share (the event store, the read pool, the
watcher, the token verifier, the GraphQL app) and hands it to them as the lifespan's state, and
runs the background workers (the watcher, the projector where configured, the check that some
projector is active) supervised, so that none of them can close what requests use;
authentication (``schema.auth``), the body limit (``schema.body``), CORS (only for
``cors_origins``, none by default) and the routes wrap it.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute

from lifecycle.audit import chain
from lifecycle.directory.erasure_log import ErasureLog, reapply
from lifecycle.service.service import LifecycleService
from lifecycle.service.settings import Settings
from lifecycle.service.supervisor import Backoff, Supervised, supervise
from lifecycle.store.database import Database
from lifecycle.store.migrate import pending
from projections.engine.catalogue import all_projections
from projections.engine.runner import Projector
from projections.engine.status import warn_without_projector
from projections.engine.watcher import Watcher
from projections.partners.delivery import Deliverer
from projections.partners.feed import Feed
from schema.reads import Reads
from schema.server import graphiql
from schema.server.auth import BearerTokens, Organisations, refused
from schema.server.body import BodyLimit
from schema.server.endpoint import LifecycleGraphQL, graphql
from schema.server.health import healthz, readyz
from schema.server.requests import RequestIds
from schema.server.tokens import Verifier

log = logging.getLogger(__name__)


def create_app(settings: Settings, db: Database, *,
               on_read: Callable[[str], None] | None = None) -> Starlette:
    """The whole service, bound to one database. ``on_read`` hears every statement the read
    path runs (tests count round trips)."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[dict[str, Any]]:
        missing = await anyio.to_thread.run_sync(pending, db.dsn)
        if missing:
            # Bounded whatever the number of migrations: the log keeps a message's end, and
            # the instruction must survive the cut (``lifecycle.service.logs``).
            raise RuntimeError(f"{len(missing)} migrations not applied ({missing[0]} to "
                               f"{missing[-1]}): the database needs migrating first "
                               f"(lifecycle migrate)")
        erasures = ErasureLog(settings.erasure_log_file)
        service = await anyio.to_thread.run_sync(LifecycleService.connect, db,
                                                 settings.pool_size, erasures)
        # People a restore of the database brought back are erased again before any request.
        await anyio.to_thread.run_sync(reapply, service.app, erasures)
        watcher = Watcher(db.url)
        reads = await Reads.open(db.url, watcher, settings.pool_size, on_read)
        if settings.development:
            log.warning("DEVELOPMENT MODE: local signing key, GraphiQL on; not for production")
        run_projector = settings.projector == "on" or (settings.projector == "auto"
                                                       and db.embedded)
        workers: list[Supervised] = []
        try:
            # Background workers run supervised (lifecycle.supervisor): what they raise is
            # logged and retried, never propagated here, so it cannot close what requests use.
            async with anyio.create_task_group() as group:
                def keep(health: Supervised, work: Callable[[], Awaitable[None]]) -> None:
                    workers.append(health)
                    group.start_soon(supervise, health.name, work, Backoff(), health)

                keep(watcher.health, watcher.run)
                if run_projector:
                    keep(Supervised("projector"), Projector(db.url, all_projections()).run)
                if settings.deliverer == "on" or (settings.deliverer == "auto" and db.embedded):
                    keep(Supervised("webhook delivery"), Deliverer(db.url, settings).run)
                if chain.in_serve(settings, db.embedded):
                    keep(Supervised("chain"), chain.for_settings(settings, db.url).run)
                keep(Supervised("projector check"),
                     functools.partial(warn_without_projector, reads.pool))
                feed = Feed(db.url, watcher, queue_size=settings.subscriber_queue)
                keep(feed.health, feed.run)
                verifier, organisations = Verifier(settings), Organisations(reads)
                yield {"service": service, "watcher": watcher, "reads": reads,
                       "workers": workers, "verifier": verifier,
                       "organisations": organisations, "feed": feed,
                       "graphql": LifecycleGraphQL(service, reads, settings,
                                                   verifier=verifier,
                                                   organisations=organisations, feed=feed)}
                group.cancel_scope.cancel()
        finally:
            await reads.close()
            service.close()

    authenticated = [Middleware(AuthenticationMiddleware, backend=BearerTokens(),
                                on_error=refused)]
    routes: list[BaseRoute] = [
        # Other methods get strawberry's 405, as JSON.
        Route("/graphql", graphql, methods=None, middleware=authenticated),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ]
    if settings.graphiql_enabled:
        routes.append(Mount(graphiql.ASSETS, app=graphiql.assets()))
    middleware = [Middleware(RequestIds), Middleware(BodyLimit, limit=settings.max_body_bytes)]
    if settings.cors_origins:
        middleware.insert(0, Middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-Correlation-Id"],
            expose_headers=["X-Correlation-Id"], max_age=600))
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
