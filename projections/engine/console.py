"""``lifecycle project``, ``lifecycle status`` and ``lifecycle rebuild``: the projector and the
read models from the command line (``lifecycle/cli.py`` registers them). What they need is
imported when they run, so that the command line starts fast."""

from __future__ import annotations

from functools import partial
from typing import Annotated

import typer


def project() -> None:
    """Run the projector (one active worker per database; others stand by and take over).

    It never exits because the database went away: a lost connection is logged and retried
    with backoff, forever, and the projector resumes from its positions. SIGTERM or SIGINT stop
    it."""
    from lifecycle.cli import _settings
    from lifecycle.service.foreground import run_until_signalled
    from lifecycle.store import database
    from projections.engine.catalogue import all_projections
    from projections.engine.runner import Projector

    projector = Projector(database.resolve(_settings()).url, all_projections())
    run_until_signalled("projector", projector.run)


def status() -> None:
    """Each read model's position, the log's head, the lag, any error, and whether a projector
    is active on the database."""
    import anyio
    from rich.console import Console
    from rich.table import Table

    from lifecycle.cli import _settings
    from lifecycle.store import database
    from lifecycle.store.sessions import session
    from projections.engine.status import Status, read_status

    db = database.resolve(_settings())

    async def read() -> Status:
        async with session(db.url) as conn:
            return await read_status(conn)

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


def rebuild(
    name: Annotated[str | None, typer.Argument(help="The read model to rebuild.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Rebuild every read model.")] = False,
) -> None:
    """Rebuild read models from position zero into fresh tables, then swap them in."""
    import anyio
    from rich.progress import Progress

    from lifecycle.cli import _settings
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
