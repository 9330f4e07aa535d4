"""The graphql-ws JavaScript client (npm `graphql-ws`, as browsers' code uses it), run with node:
it subscribes with a token, receives, and resumes after the last position it had, receiving
exactly what it missed. Skipped only where node or npm is not installed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lifecycle.actor import Role
from lifecycle.application import LifecycleApplication
from lifecycle.vocabulary import SharingScope
from tests.conftest import ROOT, member, new_organisation
from tests.e2e.conftest import LiveServer
from tests.e2e.partners.client import ws_url
from tests.e2e.partners.conftest import comment, cursor, share, submit

CLIENT = Path(__file__).with_name("graphql_ws_client.mjs")
PACKAGES = ("graphql-ws@6.4.2", "graphql@16.15.0", "ws@8.23.1")
SHARED = """subscription($after: String) { sharedInnovationEvents(after: $after) {
  position type innovationId } }"""


@pytest.fixture(scope="module")
def node_client() -> Path:
    """The client script beside its packages, installed once under .data/ (npm's own cache)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to run the graphql-ws client")
    home = ROOT / ".data" / "graphql-ws-client"
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "node_modules" / "graphql-ws").is_dir():
        (home / "package.json").write_text('{"private": true, "type": "module"}\n')
        done = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--save-exact",
                               *PACKAGES], cwd=home, capture_output=True, text=True,
                              timeout=300, check=False)
        assert done.returncode == 0, done.stderr
    script = home / CLIENT.name
    shutil.copyfile(CLIENT, script)
    return script


def run_client(script: Path, live: LiveServer, token: str, after: str,
               until: str) -> list[dict[str, str]]:
    done = subprocess.run(
        [shutil.which("node") or "node", str(script), ws_url(live.url), token, SHARED,
         json.dumps({"after": after}), "sharedInnovationEvents", until],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_the_graphql_ws_client_subscribes_receives_and_resumes(
        node_client: Path, app: LifecycleApplication, live: LiveServer) -> None:
    owner = member(new_organisation(app, "Owner Trust J"), Role.INNOVATION_LEAD)
    partner = member(new_organisation(app, "Partner Trust J"), Role.STAFF)
    innovation = submit(app, owner)
    start = comment(app, owner, innovation, "before")
    first = [share(app, owner, innovation, partner, SharingScope.FULL),
             comment(app, owner, innovation, "one")]
    token = live.token(partner)
    got = run_client(node_client, live, token, cursor(app, start), cursor(app, first[-1]))
    assert [e["position"] for e in got] == [cursor(app, p) for p in first]
    assert [e["type"] for e in got] == ["SharedWith", "CommentAdded"]
    missed = [comment(app, owner, innovation, text) for text in ("two", "three")]
    resumed = run_client(node_client, live, token, got[-1]["position"], cursor(app, missed[-1]))
    assert [e["position"] for e in resumed] == [cursor(app, p) for p in missed]
