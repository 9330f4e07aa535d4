"""``lifecycle``: the command line, and the composition root (it imports the rest lazily)."""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

from lifecycle.audit import cli as audit_commands
from lifecycle.directory.console import people, reapply_erasures
from lifecycle.service import console as service_commands
from lifecycle.service import logs
from lifecycle.service.settings import ConfigurationError, Settings
from projections.engine import console as projector_commands
from projections.partners import console as delivery_commands

# Typer's own traceback display is off: an uncaught exception is a JSON log line with the
# traceback as a field (lifecycle.logs), and never shows local variables.
cli = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Lifecycle: the innovation ledger for health organisations.")


def fail(message: str) -> typer.Exit:
    """Say what went wrong on standard error; the exit to raise (status 2: bad input). Every
    command refuses this way."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _settings() -> Settings:
    """The settings, checked, with this process's logging set up from them (JSON lines)."""
    try:
        settings = Settings()
    except ValidationError as exc:
        raise fail(f"the configuration is not valid: {exc}") from None
    try:
        logs.configure(settings.log_level)
        settings.check()
    except ConfigurationError as exc:
        raise fail(str(exc)) from None
    return settings


@cli.command()
def migrate() -> None:
    """Apply pending schema migrations, then create, adopt or rebuild each read model's tables
    to the shape it declares (the only command that creates tables)."""
    from lifecycle.store import database
    from projections.engine.upgrade import migrate_everything

    settings = _settings()
    db = database.resolve(settings)
    applied = migrate_everything(db)
    typer.echo("applied: " + ", ".join(applied) if applied else "up to date")
    reapply_erasures(settings, db)  # after a restore, the erased stay erased


# Every other command lives with what it runs, in a console (or cli) module of its own that
# imports what it needs only when it runs. One line here registers each, in the order
# `lifecycle --help` lists them; a group of commands (`lifecycle audit ...`) is a Typer of its
# own, added with `cli.add_typer`.
cli.command()(service_commands.serve)
cli.command()(service_commands.token)
cli.command()(service_commands.seed)
cli.command()(service_commands.organisations)
cli.command()(projector_commands.project)
cli.command()(delivery_commands.deliver)
cli.command()(projector_commands.status)
cli.command()(projector_commands.rebuild)
cli.command()(audit_commands.history)
cli.add_typer(audit_commands.audit, name="audit")
cli.command()(audit_commands.chain)
cli.add_typer(people, name="people")


def main() -> None:
    try:
        cli()
    except ConfigurationError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
