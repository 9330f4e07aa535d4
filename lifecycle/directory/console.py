"""``lifecycle people ...``: the person registry from the command line; and the erasure log
re-applied after ``lifecycle migrate`` (``lifecycle/cli.py`` registers both). What they need is
imported when they run, as ``lifecycle/cli.py`` does, so that the command line starts fast."""

from __future__ import annotations

import json
from contextlib import closing
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from lifecycle.application import LifecycleApplication
    from lifecycle.service.settings import Settings
    from lifecycle.store.database import Database

people = typer.Typer(no_args_is_help=True, help=(
    "The person registry: names and contact details, each person's sealed with their own key."))


def _application(settings: Settings, db: Database) -> closing[LifecycleApplication]:
    """The application on ``db`` with the configured erasure log (which erasing writes to
    first), closed when the ``with`` block ends; refused (``fail``) when the erasure log is not
    configured where it must be."""
    from lifecycle.application import LifecycleApplication
    from lifecycle.cli import fail
    from lifecycle.directory.erasure_log import ErasureLog
    from lifecycle.service.settings import ConfigurationError

    try:
        erasures = ErasureLog(settings.erasure_log_file)
    except ConfigurationError as exc:
        raise fail(str(exc)) from None
    return closing(LifecycleApplication(env=db.eventsourcing_env(2), erasure_log=erasures))


@people.command()
def erase(subject: Annotated[str, typer.Argument(metavar="ID", help="The person's opaque id.")],
          by: Annotated[str | None, typer.Option(
              help="Your opaque id, recorded as who erased them (default: cli:<login name>).",
          )] = None) -> None:
    """Erase a person (UK GDPR Article 17) as a platform administrator: their key and sealed
    name and email are deleted, a PersonErased event is recorded, and the erasure log keeps
    them erased after any restore. Prints the erasure as JSON; exit status 2 when refused."""
    import getpass

    from lifecycle.actor import PLATFORM, Actor, CommandContext, Role
    from lifecycle.cli import _settings, fail
    from lifecycle.directory.commands import ErasePerson
    from lifecycle.directory.erasure import PersonErasure
    from lifecycle.errors import DomainError
    from lifecycle.store import database

    settings = _settings()
    try:
        operator = Actor(by or f"cli:{getpass.getuser()}", PLATFORM,
                         frozenset({Role.PLATFORM_ADMIN}))
        with _application(settings, database.resolve(settings)) as app:
            outcome = app.execute(ErasePerson(subject), CommandContext(operator))
            erasure = app.load(PersonErasure, outcome.aggregate_id)
    except DomainError as refused:
        raise fail(refused.message) from None
    typer.echo(json.dumps({"subject": erasure.subject, "erased_at": erasure.created_on.isoformat(),
                           "position": outcome.position}))


def reapply_erasures(settings: Settings, db: Database) -> None:
    """After ``lifecycle migrate``: erase again whoever a restore brought back (``reapply``).
    Exits with status 2 when the erasure log is damaged or, in production, not configured."""
    from lifecycle.cli import fail
    from lifecycle.directory.erasure_log import ErasureLogDamaged, reapply

    with _application(settings, db) as app:
        try:
            done = reapply(app, app.erasures())
        except ErasureLogDamaged as exc:
            raise fail(str(exc)) from None
    if done.erased_again:
        typer.echo(f"erased again (a restore had brought them back): {len(done.erased_again)}")
