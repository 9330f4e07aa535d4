"""``lifecycle status``: each read model's lag and error, and whether a projector is active."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest

from lifecycle.store.database import Database
from tests.conftest import drop_database, fresh_database


@pytest.fixture
def fresh(server: Database) -> Iterator[Database]:
    db = fresh_database(server, "lifecycle_status")
    yield db
    drop_database(server, db)


def status(db: Database, tmp_path: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "lifecycle", "status"], capture_output=True, text=True,
        timeout=120, check=False, env={**os.environ, "DATABASE_URL": db.url,
                                       "LIFECYCLE_DATA_DIR": str(tmp_path), "COLUMNS": "300"})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_status_says_no_projector_is_active_and_shows_a_stopped_read_model(
        fresh: Database, tmp_path: Path) -> None:
    with psycopg.connect(fresh.dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO lifecycle_events (originator_id, originator_version, topic, "
                     "state) VALUES (%s, 1, 'lifecycle/Newer', '{}')", (uuid4(),))
        conn.execute("INSERT INTO projection_positions (name, position, error, error_position) "
                     "VALUES ('spread', 0, 'cannot decode lifecycle/Newer', 1)")
    shown = status(fresh, tmp_path)
    assert "projector: NONE ACTIVE" in shown
    assert "stopped at 1: cannot decode lifecycle/Newer" in shown
    assert "lag" in shown
