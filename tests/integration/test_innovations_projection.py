"""The innovations read model, folded from the log by the projector, against real PostgreSQL."""

from __future__ import annotations

from datetime import date

import asyncpg

from lifecycle import commands as c
from lifecycle.actor import CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.database import Database
from lifecycle.vocabulary import PrototypeOutcome
from projections.innovations import Innovations
from projections.runner import Projector
from tests.conftest import member, new_organisation


async def project(db: Database) -> Projector:
    projector = Projector(db.url, [Innovations()])
    conn = await asyncpg.connect(db.url)
    try:
        from projections import tracking
        for p in projector.projections:
            projector.positions[p.name] = await tracking.ensure(conn, p.name)
        await projector.catch_up(conn)
    finally:
        await conn.close()
    return projector


async def test_summary_and_stage_history_follow_the_commands(
        app: LifecycleApplication, db: Database) -> None:
    org = new_organisation(app, "Betsi Cadwaladr UHB", ("Ysbyty Gwynedd",))
    staff = member(org, Role.STAFF)
    lead = member(org, Role.INNOVATION_LEAD)
    idea = app.execute(c.SubmitIdea(title="Sepsis screening app", problem="Late recognition",
                                    proposal="NEWS2 prompts on handhelds",
                                    tags=("sepsis", "deterioration"), site="Ysbyty Gwynedd"),
                       CommandContext(staff)).aggregate_id
    app.execute(c.EndorseIdea(idea), CommandContext(member(org, Role.STAFF)))
    app.execute(c.AcceptIdea(idea, reason="Patient safety priority"), CommandContext(lead))
    proto = app.execute(c.StartPrototype(idea, title="PDSA 1", hypothesis="h", plan="p",
                                         started_on=date(2026, 3, 1)),
                        CommandContext(lead)).created_id
    last = app.execute(c.CompletePrototype(idea, proto, PrototypeOutcome.FAILED, "r", "l",
                                           date(2026, 3, 20)), CommandContext(lead))

    projector = await project(db)
    assert projector.positions["innovations"] >= last.position

    conn = await asyncpg.connect(db.url)
    try:
        row = await conn.fetchrow("SELECT * FROM rm_innovations WHERE id = $1", idea)
        transitions = await conn.fetch(
            "SELECT from_stage, to_stage FROM rm_stage_transitions WHERE innovation_id = $1 "
            "ORDER BY position", idea)
        found = await conn.fetchval(
            "SELECT id FROM rm_innovations WHERE search @@ websearch_to_tsquery('english', $1)"
            " AND id = $2", "handheld prompts", idea)
    finally:
        await conn.close()
    assert row is not None
    assert row["stage"] == "PROTOTYPING"
    assert row["endorsements"] == 1
    assert row["prototypes"] == 1
    assert row["version"] == 5
    assert row["first_triaged_at"] is not None
    assert row["tags"] == ["sepsis", "deterioration"]
    assert [tuple(t) for t in transitions] == [(None, "SUBMITTED"), ("SUBMITTED", "CONCEPT"),
                                               ("CONCEPT", "PROTOTYPING")]
    assert found == idea
