"""``lifecycle``: the command line, and the composition root (it imports the rest lazily)."""

from __future__ import annotations

import json
import os
import sys
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

import typer
from pydantic import ValidationError

from lifecycle.actor import Role
from lifecycle.audit.cli import audit
from lifecycle.audit.cli import chain as audit_chain
from lifecycle.service import logs
from lifecycle.service.settings import ConfigurationError, Settings
from lifecycle.vocabulary import STAFF_GROUPS

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from lifecycle.application import LifecycleApplication
    from lifecycle.store.database import Database

# Typer's own traceback display is off: an uncaught exception is a JSON log line with the
# traceback as a field (lifecycle.logs), and never shows local variables.
cli = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Lifecycle: the innovation ledger for health organisations.")


def _settings() -> Settings:
    """The settings, checked, with this process's logging set up from them (JSON lines)."""
    try:
        settings = Settings()
    except ValidationError as exc:
        typer.echo(f"error: the configuration is not valid: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        logs.configure(settings.log_level)
        settings.check()
    except ConfigurationError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    return settings


@cli.command()
def migrate() -> None:
    """Apply pending schema migrations (the only command that creates tables)."""
    from lifecycle.store import database
    from lifecycle.store.migrate import migrate as apply

    db = database.resolve(_settings())
    applied = apply(db.dsn)
    typer.echo("applied: " + ", ".join(applied) if applied else "up to date")


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the API (GraphQL at /graphql, /healthz, /readyz) with uvicorn."""
    import uvicorn

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
        uvicorn.run(create_app(settings, db), **options)
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
    uvicorn.run("lifecycle.cli:worker_app", factory=True, workers=settings.workers,
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
    from lifecycle.store import database
    from schema.server.app import create_app

    settings = _settings()
    return create_app(settings, database.resolve(settings))


_ROLES = ", ".join(role.value for role in Role)


@cli.command()
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
    from lifecycle.errors import ValidationFailed
    from schema.server.tokens import mint

    settings = _settings()
    try:
        roles = [Role(r) for r in role]
        org = PLATFORM if organisation is None and roles == [Role.PLATFORM_ADMIN] \
            else UUID(organisation or "")
        audited = frozenset(UUID(o) for o in audits or ())
    except ValueError as exc:
        typer.echo(f"error: {exc}; roles are: {_ROLES}; every role but platform_admin needs "
                   "--organisation", err=True)
        raise typer.Exit(2) from None
    if staff_group is not None and staff_group not in STAFF_GROUPS:
        typer.echo(f"error: {staff_group!r} is not a staff group; staff groups are: "
                   f"{', '.join(STAFF_GROUPS)}", err=True)
        raise typer.Exit(2)
    if not settings.development:
        typer.echo("error: production tokens come from the identity provider", err=True)
        raise typer.Exit(2)
    try:
        minted = mint(settings, subject=subject, organisation=org, roles=roles, name=name,
                      staff_group=staff_group, ttl_seconds=hours * 3600, audits=audited)
    except ValidationFailed as refused:
        typer.echo(f"error: {refused.message}", err=True)
        raise typer.Exit(2) from None
    typer.echo(minted)


@cli.command()
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
    from lifecycle.seed import seed as generate
    from lifecycle.store import database

    settings = _settings()
    db = database.resolve(settings)
    app = LifecycleApplication(env=db.eventsourcing_env(settings.pool_size))
    try:
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
    finally:
        app.close()


@cli.command()
def organisations() -> None:
    """List organisations and their ids (from the log) and, in development, a token to call
    the API with."""
    from lifecycle.application import LifecycleApplication
    from lifecycle.store import database

    settings = _settings()
    db = database.resolve(settings)
    app = LifecycleApplication(env=db.eventsourcing_env(1))
    try:
        _welcome(settings, app)
    finally:
        app.close()


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


@cli.command()
def project() -> None:
    """Run the projector (one active worker per database; others stand by and take over).

    It never exits because the database went away: a lost connection is logged and retried
    with backoff, forever, and the projector resumes from its positions. SIGTERM or SIGINT stop
    it."""
    import signal

    import anyio

    from lifecycle.service.supervisor import supervise
    from lifecycle.store import database
    from projections.engine.catalogue import all_projections
    from projections.engine.runner import Projector

    db = database.resolve(_settings())
    projector = Projector(db.url, all_projections())

    async def main() -> None:
        stop = anyio.Event()
        with anyio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
            async with anyio.create_task_group() as group:
                async def on_signal() -> None:
                    async for _ in signals:
                        stop.set()
                        return
                group.start_soon(on_signal)
                await supervise("projector", partial(projector.run, stop), stop=stop)
                group.cancel_scope.cancel()

    anyio.run(main)


@cli.command()
def deliver() -> None:
    """Deliver webhooks (one active worker per database; others stand by and take over).

    A lost database connection is logged and retried with backoff, forever; each endpoint
    resumes from its tracked position. SIGTERM or SIGINT stop it."""
    import signal

    import anyio

    from lifecycle.service.supervisor import supervise
    from lifecycle.store import database
    from projections.partners.delivery import Deliverer

    settings = _settings()
    deliverer = Deliverer(database.resolve(settings).url, settings)

    async def main() -> None:
        stop = anyio.Event()
        with anyio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
            async with anyio.create_task_group() as group:
                async def on_signal() -> None:
                    async for _ in signals:
                        stop.set()
                        return
                group.start_soon(on_signal)
                await supervise("webhook delivery", partial(deliverer.run, stop), stop=stop)
                group.cancel_scope.cancel()

    anyio.run(main)


@cli.command()
def status() -> None:
    """Each read model's position, the log's head, the lag, any error, and whether a projector
    is active on the database."""
    import anyio
    from rich.console import Console
    from rich.table import Table

    from lifecycle.store import database
    from projections.engine.runner import close, connect
    from projections.engine.status import Status, read_status

    db = database.resolve(_settings())

    async def read() -> Status:
        conn = await connect(db.url)
        try:
            return await read_status(conn)
        finally:
            await close(conn)

    found = anyio.run(read)
    table = Table("projection", "position", "head", "lag", "error")
    for model in found.read_models:
        table.add_row(model.name, str(model.position), str(found.head), str(model.lag),
                      model.error or "")
    console = Console()
    console.print(table)
    console.print("projector: " + ("active" if found.projector_active else
                                   "NONE ACTIVE (read models are not changing; run "
                                   "`lifecycle project`)"))


@cli.command()
def rebuild(
    name: Annotated[str | None, typer.Argument(help="The read model to rebuild.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Rebuild every read model.")] = False,
) -> None:
    """Rebuild read models from position zero into fresh tables, then swap them in."""
    import anyio
    from rich.progress import Progress

    from lifecycle.store import database
    from projections.engine.catalogue import all_projections, by_name
    from projections.engine.rebuild import rebuild as run_rebuild

    if all_ == (name is not None):
        typer.echo("error: name one read model, or pass --all", err=True)
        raise typer.Exit(2)
    try:
        chosen = all_projections() if all_ else [by_name(name or "")]
    except KeyError as exc:
        typer.echo(f"error: {exc.args[0]}", err=True)
        raise typer.Exit(2) from None
    db = database.resolve(_settings())
    with Progress() as progress:
        names = ", ".join(p.name for p in chosen)
        task = progress.add_task(f"rebuilding {names}", total=None)

        def advance(position: int, head: int) -> None:
            progress.update(task, completed=position, total=head)

        at = anyio.run(partial(run_rebuild, db.url, chosen, on_progress=advance))
        progress.update(task, completed=at, total=at)


@cli.command()
def history(ident: Annotated[str, typer.Argument(
        metavar="ID", help="An innovation's, challenge's, organisation's or measure's id.",
)]) -> None:
    """Every event of a record, in log order, one JSON object a line: position, recorded
    time, type, who acted (subject, organisation, role), why, and the data."""
    from lifecycle.audit import console

    console.history(_settings(), ident)


cli.add_typer(audit, name="audit")
cli.command()(audit_chain)


def main() -> None:
    try:
        cli()
    except ConfigurationError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
