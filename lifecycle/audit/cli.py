"""``lifecycle audit ...``, ``lifecycle history`` and ``lifecycle chain``: the transparency log
and the record of who did what, from the command line.
Each command reads its arguments here and leaves the work to ``lifecycle.audit.console``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

audit = typer.Typer(no_args_is_help=True, help=(
    "The transparency log: prove an event is in it, prove a checkpoint extends another, verify "
    "the whole log, export an organisation's events with their proofs."))


@audit.command()
def prove(position: Annotated[str, typer.Argument(help="The event's log position.")],
          checkpoint: Annotated[str | None, typer.Option(
              help="The checkpoint's tree size (default: the latest).")] = None) -> None:
    """Print the RFC 9162 inclusion proof of the event at POSITION (JSON)."""
    from lifecycle.audit import console
    from lifecycle.cli import _settings

    console.prove(_settings(), position, checkpoint)


@audit.command()
def consistency(old: Annotated[str, typer.Argument(help="The earlier checkpoint's size.")],
                new: Annotated[str, typer.Argument(help="The later checkpoint's size.")]) -> None:
    """Print the RFC 9162 consistency proof between two checkpoints (JSON)."""
    from lifecycle.audit import console
    from lifecycle.cli import _settings

    console.consistency(_settings(), old, new)


@audit.command()
def verify(key: Annotated[str | None, typer.Option(
        help="The verifier key to check checkpoints with (default: the configured signing "
             "key's).")] = None,
           checkpoint: Annotated[list[Path] | None, typer.Option(
               help="A file holding a signed checkpoint note kept outside the database "
                    "(repeatable): compared too, so that deleting checkpoints after a "
                    "rewrite does not hide it.")] = None) -> None:
    """Recompute the tree from the stored events and compare it with the stored tree and every
    signed checkpoint; report the first position where they part, or that all is intact
    (exit status 1 when not)."""
    from lifecycle.audit import console
    from lifecycle.cli import _settings

    console.verify(_settings(), key, checkpoint)


@audit.command()
def key() -> None:
    """Print the verifier key that checks this log's checkpoints (signed-note format)."""
    from lifecycle.audit.keys import signing_key
    from lifecycle.cli import _settings

    typer.echo(signing_key(_settings()).verifier())


def history(ident: Annotated[str, typer.Argument(
        metavar="ID", help="An innovation's, challenge's, organisation's or measure's id.",
)]) -> None:
    """Every event of a record, in log order, one JSON object a line: position, recorded
    time, type, who acted (subject, organisation, role), why, and the data."""
    from lifecycle.audit import console
    from lifecycle.cli import _settings

    console.history(_settings(), ident)


def chain() -> None:
    """Run the chaining worker (one active per database; others stand by and take over). A lost
    connection is logged and retried with backoff, forever. SIGTERM or SIGINT stop it."""
    from lifecycle.audit import console
    from lifecycle.cli import _settings

    console.chain(_settings())


@audit.command()
def export(organisation: Annotated[str, typer.Option(help="The organisation's id.")],
           from_: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD (UTC).")],
           to: Annotated[str, typer.Option(help="Last day, YYYY-MM-DD (UTC), included.")],
           output: Annotated[str | None, typer.Option(
               help="File to write (default: standard output).")] = None) -> None:
    """Export an organisation's events recorded in a date range, each with its inclusion proof
    against the latest checkpoint, and every checkpoint with its consistency proof, as JSON
    Lines; check it with `python verify_export.py FILE --key "$(lifecycle audit key)"`."""
    from lifecycle.audit import console
    from lifecycle.cli import _settings

    console.export(_settings(), organisation, from_, to, output)
