"""What the audit commands of ``lifecycle`` (``lifecycle/cli.py``) do, once the command line is
read: each takes the checked settings, opens what it needs, and writes to standard output."""

from __future__ import annotations

import base64
import contextlib
import json
import sys
from collections.abc import Awaitable, Callable
from contextlib import closing
from dataclasses import asdict
from pathlib import Path
from typing import TypeVar
from uuid import UUID

import anyio
import asyncpg
import typer

from lifecycle.application import LifecycleApplication
from lifecycle.audit import store
from lifecycle.audit.chain import for_settings
from lifecycle.audit.checkpoint import BadKey, parse_verifier
from lifecycle.audit.export import export as write_export
from lifecycle.audit.export import parse_range
from lifecycle.audit.history import history as read_history
from lifecycle.audit.keys import signing_key
from lifecycle.audit.verify import verify as check
from lifecycle.cli import fail
from lifecycle.errors import NotFound, ValidationFailed
from lifecycle.service.settings import Settings
from lifecycle.store import database
from lifecycle.store.sessions import close, connect

T = TypeVar("T")


def record_id(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise fail(f"{text!r} is not a record's id (a UUID)") from None


def history(settings: Settings, ident: str) -> None:
    """Every event of the record ``ident``, one JSON object a line, in log order."""
    record = record_id(ident)
    with closing(LifecycleApplication(env=database.resolve(settings).eventsourcing_env(2))) as app:
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


def _count(name: str, text: str | None) -> int | None:
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) >= 2**63:
        raise fail(f"{name} must be decimal digits, not {text!r}")
    return int(text)


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def _read(settings: Settings, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
    db = database.resolve(settings)

    async def run() -> T:
        conn = await connect(db.url, "lifecycle audit")
        try:
            return await work(conn)
        finally:
            await close(conn)

    return anyio.run(run)


def prove(settings: Settings, position: str, checkpoint: str | None) -> None:
    """The inclusion proof of the event at ``position``, as JSON."""
    at, size = _count("POSITION", position), _count("--checkpoint", checkpoint)
    assert at is not None
    try:
        proof = _read(settings, lambda conn: store.inclusion(conn, at, size))
    except store.NoSuchProof as exc:
        raise fail(str(exc)) from None
    typer.echo(json.dumps({
        "position": proof.position, "leaf_index": proof.leaf_index,
        "tree_size": proof.tree_size, "leaf_hash": _b64(proof.leaf_hash),
        "inclusion_path": [_b64(h) for h in proof.inclusion_path],
        "checkpoint": proof.checkpoint}, indent=2))


def consistency(settings: Settings, old: str, new: str) -> None:
    first, second = _count("OLD", old), _count("NEW", new)
    assert first is not None
    assert second is not None
    try:
        path = _read(settings, lambda conn: store.consistency(conn, first, second))
    except store.NoSuchProof as exc:
        raise fail(str(exc)) from None
    typer.echo(json.dumps({"old_size": first, "new_size": second,
                           "consistency_path": [_b64(h) for h in path]}, indent=2))


def verify(settings: Settings, key: str | None, kept: list[Path] | None = None) -> None:
    from rich.progress import Progress

    verifier = key or signing_key(settings).verifier()
    try:
        parse_verifier(verifier)
    except BadKey as exc:
        raise fail(f"--key: {exc}") from None
    try:
        notes = [path.read_text() for path in kept or []]
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"--checkpoint: {exc}") from None
    with Progress(transient=False) as progress:
        task = progress.add_task("verifying the log", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        # The leaves are recomputed in worker processes (on other cores) reading the database
        # the verifier's connection reads, on its snapshot.
        url = database.resolve(settings).url
        report = _read(settings, lambda conn: check(conn, verifier, advance, dsn=url,
                                                    kept=notes))
    typer.echo(f"{report.events} events verified against the stored tree of "
               f"{report.chained} leaves and {report.checkpoints} signed checkpoints"
               + (f"; {report.unchained} newest events not chained yet" if report.unchained
                  else ""))
    for finding in report.findings:
        typer.echo(f"{finding.kind}: {finding.message}")
    if not report.intact:
        raise typer.Exit(1)
    typer.echo("intact")


def chain(settings: Settings) -> None:
    """Run the chaining worker until SIGTERM or SIGINT."""
    from lifecycle.service.foreground import run_until_signalled

    run_until_signalled("chain", for_settings(settings, database.resolve(settings).url).run)


def export(settings: Settings, organisation: str, first: str, last: str,
           output: str | None) -> None:
    try:
        wanted = parse_range(organisation, first, last)
    except ValidationFailed as refused:
        raise fail(f"--{refused.field}: {refused.reason}") from None
    with contextlib.ExitStack() as files:
        out = sys.stdout if output is None else files.enter_context(
            open(output, "w", encoding="utf-8"))

        def write(line: str) -> None:
            out.write(line + "\n")

        try:
            count = _read(settings, lambda conn: write_export(conn, wanted, write))
        except store.NoSuchProof as exc:
            raise fail(str(exc)) from None
    typer.echo(f"exported {count} events", err=True)
