"""A real uvicorn serving the app on a free loopback port, for tests that speak HTTP."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from lifecycle.actor import Actor, Role
from lifecycle.application import LifecycleApplication
from lifecycle.service.settings import Settings
from lifecycle.store.database import Database
from schema.server.app import create_app
from schema.server.tokens import mint
from tests.conftest import member, new_organisation, settings_for


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class LiveServer:
    url: str
    settings: Settings
    queries: list[str]

    def token(self, actor: Actor) -> str:
        return mint(self.settings, subject=actor.subject, organisation=actor.organisation,
                    roles=sorted(actor.roles), staff_group=actor.staff_group,
                    audits=actor.audit_scope)


@contextmanager
def serving(settings: Settings, db: Database,
            on_read: Callable[[str], None] | None = None) -> Iterator[str]:
    """A real uvicorn serving the app on a free loopback port, in a thread; yields its URL."""
    port = free_port()
    config = uvicorn.Config(create_app(settings, db, on_read=on_read),
                            host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live(db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = settings_for(db, Path(tmp_path_factory.mktemp("live")))
    queries: list[str] = []
    with serving(settings, db, queries.append) as url:
        yield LiveServer(url, settings, queries)


@pytest.fixture(scope="session")
def staff(app: LifecycleApplication) -> Actor:
    admin = new_organisation(app, "Hywel Dda Health Board", ("Glangwili", "Withybush"))
    return member(admin, Role.STAFF)
