"""What the audit commands of ``lifecycle`` (``lifecycle/cli.py``) do, once the command line is
read: each takes the checked settings, opens what it needs, and writes to standard output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from uuid import UUID

import typer

from lifecycle.application import LifecycleApplication
from lifecycle.audit.history import history as read_history
from lifecycle.errors import NotFound
from lifecycle.service.settings import Settings
from lifecycle.store import database


@contextmanager
def application(settings: Settings) -> Iterator[LifecycleApplication]:
    db = database.resolve(settings)
    app = LifecycleApplication(env=db.eventsourcing_env(2))
    try:
        yield app
    finally:
        app.close()


def fail(message: str) -> typer.Exit:
    """Say what went wrong on standard error; the exit to raise (status 2: bad input)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def record_id(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise fail(f"{text!r} is not a record's id (a UUID)") from None


def history(settings: Settings, ident: str) -> None:
    """Every event of the record ``ident``, one JSON object a line, in log order."""
    record = record_id(ident)
    with application(settings) as app:
        after = 0
        while True:
            try:
                page = read_history(app, None, record, after=after, first=500)
            except NotFound:
                raise fail(f"no record {record} in the log") from None
            for entry in page.entries:
                typer.echo(json.dumps(asdict(entry), default=str))
                after = entry.position
            if not page.has_next:
                return
