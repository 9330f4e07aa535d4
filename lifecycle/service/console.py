"""``lifecycle serve``, ``token``, ``seed`` and ``organisations``: running the API as a service,
and getting started with it: development tokens to call it with, demo data, and the banner that
lists the organisations with a token (``lifecycle/cli.py`` registers them). What they need is
imported when they run, so that the command line starts fast."""

from __future__ import annotations

import json
import os
import sys
from contextlib import closing
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

import typer

from lifecycle.actor import Role
from lifecycle.service import heap, logs
from lifecycle.service.settings import ConfigurationError, Settings
from lifecycle.vocabulary import STAFF_GROUPS

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from lifecycle.application import LifecycleApplication
    from lifecycle.store.database import Database


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the API (GraphQL at /graphql, /healthz, /readyz) with uvicorn."""
    import uvicorn

    from lifecycle.cli import _settings
    from lifecycle.store import database
    from lifecycle.store.migrate import pending
    from schema.server.app import create_app

    settings = _settings()
    db = database.resolve(settings)
    # Refused here in one line, before uvicorn (whose startup failure is a traceback, and its
    # log line is bounded); the app's lifespan checks again for each worker process.
    if missing := pending(db.dsn):
        raise ConfigurationError("the database needs migrating first (lifecycle migrate): "
                                 + ", ".join(missing))
    options: dict[str, Any] = dict(
        host=host or settings.host, port=port or settings.port, loop="uvloop", http="httptools",
        log_level=settings.log_level.lower(), proxy_headers=False, server_header=False,
        ws_max_size=settings.max_body_bytes)  # a websocket message is bounded as a body is
    options["log_config"] = logs.config(settings.log_level)  # uvicorn's lines as JSON too
    if settings.workers == 1:
        app = create_app(settings, db)
        heap.settle()
        uvicorn.run(app, **options)
        return
    # Several processes: each builds its own app (worker_app) from the environment, which names
    # the database this process resolved (an embedded server stays this process's).
    os.environ.update(worker_environment(settings, db))
    if settings.development:  # the workers' common signing key, made before they start
        from schema.server.tokens import dev_key

        dev_key(settings)
    # uvicorn kills a worker that has not answered its supervisor's ping within this many seconds
    # (5 by default), and a worker answers only once its interpreter has started: on a loaded
    # machine that took longer, so every worker was killed while starting, forever.
    uvicorn.run("lifecycle.service.console:worker_app", factory=True, workers=settings.workers,
                timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS, **options)


WORKER_HEALTHCHECK_SECONDS = 60


def worker_environment(settings: Settings, db: Database) -> dict[str, str]:
    """What a worker of a multi-process ``serve`` needs to find what this process found: the
    database, and, where one process would have run the projector, a projector in every worker
    (the advisory lock keeps one active, the others standing by to take over)."""
    env = {"DATABASE_URL": db.url}
    if settings.projector == "auto" and db.embedded:
        env["LIFECYCLE_PROJECTOR"] = "on"
    return env


def worker_app() -> Starlette:
    """The app of one worker process of ``serve`` (``LIFECYCLE_WORKERS`` > 1)."""
    from lifecycle.cli import _settings
    from lifecycle.store import database
    from schema.server.app import create_app

    settings = _settings()
    app = create_app(settings, database.resolve(settings))
    heap.settle()
    return app


_ROLES = ", ".join(role.value for role in Role)


def token(
    subject: Annotated[str, typer.Option(help="The person's opaque id.")],
    role: Annotated[list[str], typer.Option(
        help=f"A role; repeat for several. One of: {_ROLES}.")],
    organisation: Annotated[str | None, typer.Option(
        help="The organisation's id (`lifecycle organisations` lists them); a platform_admin "
             "acts for the platform: leave it out.")] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    staff_group: Annotated[str | None, typer.Option(
        help=f"The person's staff group. One of: {', '.join(STAFF_GROUPS)}.")] = None,
    hours: Annotated[int, typer.Option(help="Lifetime in hours.")] = 8,
    audits: Annotated[list[str] | None, typer.Option(
        "--audits", help="An organisation an auditor audits (its token's audit_orgs); repeat "
                         "for several. An auditor needs at least one.")] = None,
) -> None:
    """Mint a development bearer token (refused in production).

    Run it with the server's LIFECYCLE_DATA_DIR (default .data): the signing key is kept there.
    """
    from lifecycle.actor import PLATFORM
    from lifecycle.cli import _settings, fail
    from lifecycle.errors import ValidationFailed
    from schema.server.tokens import mint

    settings = _settings()
    try:
        roles = [Role(r) for r in role]
        org = PLATFORM if organisation is None and roles == [Role.PLATFORM_ADMIN] \
            else UUID(organisation or "")
        audited = frozenset(UUID(o) for o in audits or ())
    except ValueError as exc:
        raise fail(f"{exc}; roles are: {_ROLES}; every role but platform_admin needs "
                   "--organisation") from None
    if staff_group is not None and staff_group not in STAFF_GROUPS:
        raise fail(f"{staff_group!r} is not a staff group; staff groups are: "
                   f"{', '.join(STAFF_GROUPS)}")
    if not settings.development:
        raise fail("production tokens come from the identity provider")
    try:
        minted = mint(settings, subject=subject, organisation=org, roles=roles, name=name,
                      staff_group=staff_group, ttl_seconds=hours * 3600, audits=audited)
    except ValidationFailed as refused:
        raise fail(refused.message) from None
    typer.echo(minted)


def seed(
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same data.")] = 42,
    innovations: Annotated[int, typer.Option(help="How many innovations.")] = 300,
    if_empty: Annotated[bool, typer.Option("--if-empty",
                                           help="Only seed an empty log.")] = False,
) -> None:
    """Generate a realistic synthetic data set through the application's commands, then list
    the organisations (and, in development, a token to call the API with)."""
    from rich.progress import Progress

    from lifecycle.application import LifecycleApplication
    from lifecycle.cli import _settings
    from lifecycle.seed import seed as generate
    from lifecycle.store import database

    settings = _settings()
    db = database.resolve(settings)
    with closing(LifecycleApplication(env=db.eventsourcing_env(settings.pool_size))) as app:
        if if_empty and app.store.head() > 0:
            typer.echo("the log is not empty; not seeding")
        else:
            with Progress() as progress:
                task = progress.add_task("seeding innovations", total=innovations)

                def advance(done: int, total: int) -> None:
                    progress.update(task, completed=done, total=total)

                summary = generate(app, seed=seed, innovations=innovations,
                                   on_progress=advance)
            typer.echo(json.dumps(summary.__dict__, default=str, indent=2))
        _welcome(settings, app)


def organisations() -> None:
    """List organisations and their ids (from the log) and, in development, a token to call
    the API with."""
    from lifecycle.application import LifecycleApplication
    from lifecycle.cli import _settings
    from lifecycle.store import database

    settings = _settings()
    db = database.resolve(settings)
    with closing(LifecycleApplication(env=db.eventsourcing_env(1))) as app:
        _welcome(settings, app)


# The banner's token: a person who may both propose and run innovations at the first
# organisation registered (in the demo data, a health board with innovations in every stage).
WELCOME_SUBJECT = "person-1"
WELCOME_ROLES = [Role.STAFF, Role.INNOVATION_LEAD]


def _invoked_as() -> str:
    """How to run this command line again, as it was run now: the script's path as typed
    (``.venv/bin/lifecycle`` under ``make run``), or the interpreter with ``-m lifecycle``."""
    script = sys.argv[0] if sys.argv else ""
    if os.path.basename(script) == "lifecycle":
        return script
    return f"{sys.executable} -m lifecycle"


def _welcome(settings: Settings, app: LifecycleApplication) -> None:
    """Print the organisations' ids and, in development, a token for the first of them with
    the exact header line GraphiQL takes."""
    from schema.server.tokens import mint

    registered: list[Any] = [
        app.mapper.to_domain_event(notification)
        for notification in app.recorder.select_notifications(
            start=1, limit=10_000, topics=["lifecycle/OrganisationRegistered"])]
    typer.echo("\norganisations (id, name, kind):")
    for event in registered:
        # Plain lines, not a table: ids must survive a narrow terminal whole.
        typer.echo(f"  {event.originator_id}  {event.name} ({event.kind})")
    if not registered:
        typer.echo("  none yet: `lifecycle seed` makes demo data")
    if not settings.development or not registered:
        return
    first = registered[0]
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host  # noqa: S104
    bearer = mint(settings, subject=WELCOME_SUBJECT, organisation=first.originator_id,
                  roles=WELCOME_ROLES, staff_group=STAFF_GROUPS[0])
    roles = " and ".join(role.value for role in WELCOME_ROLES)
    typer.echo(f"""
GraphiQL: http://{host}:{settings.port}/graphql
A development token ({WELCOME_SUBJECT}, {roles} at {first.name}, 8 hours):
{bearer}
GraphiQL's Headers tab takes this line:
{json.dumps({"Authorization": f"Bearer {bearer}"})}
Other tokens: {_invoked_as()} token --subject person-2 --organisation <id> --role staff
(signed with the development key in {settings.data_dir.resolve()}: mint them with the same
LIFECYCLE_DATA_DIR as the server)
""")
