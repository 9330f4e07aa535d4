"""Erasing the person who took a decision: their name is gone from the registry, the history,
the read models and the export; the innovation's stage and decision remain under their opaque
id; the transparency log still verifies (the log itself never changes)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

import verify_export as standalone
from lifecycle import commands as c
from lifecycle.actor import CommandContext
from lifecycle.audit.export import Range, export
from lifecycle.audit.history import history
from lifecycle.audit.verify import verify
from lifecycle.directory.erasure_log import ErasureLog
from lifecycle.innovations.innovation import Innovation
from lifecycle.innovations.stage import Stage
from lifecycle.store.database import Database
from tests.conftest import ADMIN
from tests.integration.audit_world import KEY, Log, chain_all, chained_log

NAME = "Dafydd Decider-Unique"


@pytest.fixture
async def log(server: Database) -> AsyncIterator[Log]:
    async with chained_log(server) as opened:
        yield opened


def tables_holding(db: Database, text: str) -> list[str]:
    """Every table of the database whose rows, as text, contain ``text``."""
    with psycopg.connect(db.dsn) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return [t for t in tables if conn.execute(
            f"SELECT count(*) FROM {t} AS r WHERE r::text ILIKE %s",
            (f"%{text}%",)).fetchone() != (0,)]


async def test_erasing_the_decision_maker_keeps_the_decision_and_the_log_verifies(
        log: Log, tmp_path: Path) -> None:
    app, decider = log.app, log.world.governance
    app.people.register(NAME, "dafydd@nhs.example", subject=decider.subject)
    app.erasure_log = ErasureLog(tmp_path / "erasure-log.jsonl")

    app.execute(c.ErasePerson(decider.subject), CommandContext(ADMIN))
    await chain_all(log.db, app)

    report = await verify(log.conn, KEY.verifier())
    assert report.intact, report.findings
    assert report.events == app.store.head()
    innovation = app.load(Innovation, log.world.innovation)
    assert innovation.stage is Stage.ADOPTED
    assert len(innovation.decisions) == 1
    decided = [e for e in history(app, None, log.world.innovation, first=100).entries
               if e.type == "AdoptionDecided"]
    assert [e.subject for e in decided] == [decider.subject]  # the id stays, leading nowhere
    assert app.people.find(decider.subject).display_name is None
    assert tables_holding(log.db, NAME) == []
    assert tables_holding(log.db, "dafydd@nhs.example") == []
    lines: list[str] = []
    today = datetime.now(UTC).date()
    await export(log.conn, Range(log.world.lead.organisation, today - timedelta(days=1),
                                 today + timedelta(days=1)), lines.append)
    events = [json.loads(line) for line in lines if json.loads(line)["kind"] == "event"]
    states = [base64.b64decode(e["state"]).decode() for e in events]
    assert not any(NAME in s for s in states)
    shown = {(json.loads(state)["actor"], e["actor_erased"]) for e, state in
             zip(events, states, strict=True)}
    assert (decider.subject, True) in shown  # the decision, shown as an erased person's
    assert {erased for actor, erased in shown if actor != decider.subject} == {False}
    assert standalone.check(lines, standalone.parse_key(KEY.verifier())) == len(events)
