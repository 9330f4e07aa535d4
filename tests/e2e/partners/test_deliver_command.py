"""``lifecycle deliver``: the webhook delivery worker as a process of its own becomes the active
one on its database and stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from lifecycle.store.database import Database
from tests.conftest import drop_database, fresh_database
from tests.e2e.test_cli import LIFECYCLE, env_for


def test_deliver_command_becomes_active_then_stops_on_sigterm(server: Database,
                                                               tmp_path: Path) -> None:
    db = fresh_database(server, "lifecycle_deliver_cli")
    log = tmp_path / "deliver.log"
    try:
        env = {**env_for(db, tmp_path), "LIFECYCLE_LOG_LEVEL": "INFO"}
        with log.open("wb") as out:
            worker = subprocess.Popen([*LIFECYCLE, "deliver"], env=env, stdout=out,
                                      stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 120  # generous: a loaded machine starts slowly
            while "webhook delivery active" not in log.read_text():
                assert worker.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the deliverer never became active"
                time.sleep(0.1)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
        assert worker.returncode == 0, log.read_text()
    finally:
        drop_database(server, db)
