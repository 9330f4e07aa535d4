"""deploy/compose.yaml runs every worker that follows the log: each advisory lock of
``lifecycle/store/locks.py`` but the migrations' is one active worker per database, so the
production-shaped stack must run its command, with a replica standing by to take over."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # PyYAML (with uvicorn[standard]) has no stubs

from lifecycle.store import locks

ROOT = Path(__file__).resolve().parents[2]

# The command that runs each lock's worker; a new lock must name its command here, and so gets
# checked in the stack below.
COMMANDS = {"projector": "project", "deliverer": "deliver", "chain": "chain"}
NOT_WORKERS = {"migrations"}  # a one-off service (``lifecycle migrate``), not a worker


def services() -> dict[str, Any]:
    compose: dict[str, Any] = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text())
    found: dict[str, Any] = compose["services"]
    return found


def test_every_active_standby_worker_names_its_command() -> None:
    assert set(locks.ALL) - NOT_WORKERS == set(COMMANDS)


def test_compose_runs_every_worker_with_a_replica_standing_by() -> None:
    running = {tuple(service.get("command", ())): service for service in services().values()}
    for lock, command in COMMANDS.items():
        service = running.get(("lifecycle", command))
        assert service is not None, f"no compose service runs `lifecycle {command}` ({lock})"
        assert service.get("deploy", {}).get("replicas", 1) >= 2, \
            f"`lifecycle {command}` has no replica standing by"
        assert service["depends_on"]["migrate"]["condition"] == \
            "service_completed_successfully"


def test_the_api_leaves_the_log_to_the_workers_and_the_deliverer_can_open_secrets() -> None:
    found = services()
    api = found["api"]["environment"]
    assert api["LIFECYCLE_PROJECTOR"] == "off"
    assert api["LIFECYCLE_DELIVERER"] == "off"
    deliver = next(s for s in found.values() if s.get("command") == ["lifecycle", "deliver"])
    # The same keys seal (the API, at registration) and open (the deliverer, to sign).
    assert deliver["environment"]["LIFECYCLE_WEBHOOK_KEYS"] == api["LIFECYCLE_WEBHOOK_KEYS"]
