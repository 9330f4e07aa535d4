"""The innovations read model, folded from the log by the projector, against real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from lifecycle import commands as c
from lifecycle.actor import CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.store.database import Database
from lifecycle.vocabulary import InnovationClass, PrototypeOutcome, SharingScope
from projections.engine import bulk as _bulk
from projections.engine.runner import Projector
from projections.innovations.projection import Innovations
from projections.innovations.queries import ORDERS, InnovationFilter, innovations_page
from tests.conftest import member, new_organisation


async def project(db: Database) -> Projector:
    projector = Projector(db.url, [Innovations()])
    conn = await asyncpg.connect(db.url)
    try:
        from projections.engine import tracking
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


async def test_pages_of_shared_innovations_follow_sharing_revoking_and_revising_in_every_order(
        app: LifecycleApplication, db: Database) -> None:
    a, b, c_ = (new_organisation(app, name) for name in ("Trust A", "Trust B", "Trust C"))
    leads = {org.organisation: member(org, Role.STAFF, Role.INNOVATION_LEAD) for org in (a, b, c_)}

    def submit(org: Any, title: str, n: int = 0) -> UUID:
        return app.execute(c.SubmitIdea(
            title=title, problem="p", proposal="q", tags=("sepsis",) if n % 2 else ("falls",),
            site="Royal Glamorgan" if n % 3 else None,
            innovation_class=InnovationClass.INNOVATION if n % 4 else InnovationClass.IMPROVEMENT,
        ), CommandContext(leads[org.organisation])).aggregate_id

    def run(org: Any, command: Any) -> None:
        app.execute(command, CommandContext(leads[org.organisation]))

    mine = [submit(a, f"Idea {n}", n) for n in range(6)]
    theirs = [submit(c_, f"Other {n}", n) for n in range(3)]
    own = [submit(b, f"Own {n}", n) for n in range(2)]
    for idea in mine[:5]:
        run(a, c.ShareInnovation(idea, b.organisation))
    run(a, c.ShareInnovation(mine[0], c_.organisation, SharingScope.FULL))
    run(c_, c.ShareInnovation(theirs[0], b.organisation))
    await project(db)  # the rows fetched by the next batch are shared already

    run(a, c.ShareInnovation(mine[1], b.organisation, SharingScope.FULL))
    run(a, c.RevokeSharing(mine[2], "no longer relevant", organisation_id=b.organisation))
    run(a, c.ReviseIdea(mine[3], title="Aardvark", problem="p", proposal="q", tags=("frailty",)))
    run(a, c.AcceptIdea(mine[4], reason="r"))  # shared rows follow the stage
    late = submit(a, "Shared and revoked in one batch")
    run(a, c.ShareInnovation(late, b.organisation))
    run(a, c.RevokeSharing(late, "by mistake", organisation_id=b.organisation))
    run(c_, c.ShareInnovation(theirs[1], b.organisation))
    await project(db)

    filters: list[tuple[InnovationFilter, Callable[[dict[str, Any]], bool]]] = [
        (InnovationFilter(), lambda i: True),
        (InnovationFilter(stages=("CONCEPT",)), lambda i: i["stage"] == "CONCEPT"),
        (InnovationFilter(site="Royal Glamorgan"), lambda i: i["site"] == "Royal Glamorgan"),
        (InnovationFilter(innovation_class="IMPROVEMENT"),
         lambda i: i["innovation_class"] == "IMPROVEMENT"),
        (InnovationFilter(tag="frailty"), lambda i: "frailty" in i["tags"]),
        (InnovationFilter(tag="sepsis"), lambda i: "sepsis" in i["tags"]),
        (InnovationFilter(search="aardvark"), lambda i: i["title"] == "Aardvark"),
        (InnovationFilter(submitted_from=date(2999, 1, 1)), lambda i: False),
    ]
    conn = await asyncpg.connect(db.url)
    try:
        innovations = [dict(r) for r in await conn.fetch("SELECT * FROM rm_innovations")]
        shares = [dict(r) for r in await conn.fetch("SELECT * FROM rm_innovation_shares")]
        assert sorted((s["innovation_id"], s["organisation_id"]) for s in shares) == sorted(
            (i["id"], o) for i in innovations for o in i["shared_with"])
        by_id = {i["id"]: i for i in innovations}
        assert all(s[k] == by_id[s["innovation_id"]][k] for s in shares for k in s
                   if k not in ("innovation_id", "organisation_id"))
        for viewer, expected_ids in ((b.organisation, {*mine[:2], *mine[3:5], *theirs[:2], *own}),
                                     (c_.organisation, {mine[0], *theirs})):
            visible = [i for i in innovations if i["organisation_id"] == viewer
                       or viewer in i["shared_with"]]
            assert {i["id"] for i in visible} == expected_ids
            for f, matches in filters:
                for order, (column, direction) in ORDERS.items():
                    ordered = sorted(sorted((i for i in visible if matches(i)),
                                            key=lambda i: i["id"]),
                                     key=lambda i: i[column], reverse=direction == "DESC")
                    paged: list[UUID] = []
                    after = None
                    while True:
                        page = await innovations_page(conn, viewer, f, order=order,
                                                      after=after, first=2)
                        paged.extend(r["id"] for r in page[:2])
                        if len(page) <= 2:
                            break
                        after = (page[1]["cursor_value"], page[1]["id"])
                    assert paged == [i["id"] for i in ordered], (f, order)
    finally:
        await conn.close()


async def test_share_rows_follow_batches_too_large_for_one_statement(
        app: LifecycleApplication, db: Database) -> None:
    """Batches of more share rows than ``_bulk.SMALL`` go through the staged COPY path."""
    a, b, c_ = (new_organisation(app, name) for name in ("Big A", "Big B", "Big C"))
    lead = member(a, Role.STAFF, Role.INNOVATION_LEAD)
    ideas = [app.execute(c.SubmitIdea(title=f"Bulk {n}", problem="p", proposal="q"),
                         CommandContext(lead)).aggregate_id for n in range(_bulk.SMALL + 6)]
    for idea in ideas:
        for org in (b, c_):
            app.execute(c.ShareInnovation(idea, org.organisation), CommandContext(lead))
    await project(db)
    for idea in ideas[::2]:
        app.execute(c.RevokeSharing(idea, "done", organisation_id=b.organisation),
                    CommandContext(lead))
    for idea in ideas:
        app.execute(c.CommentOnIdea(innovation_id=idea, text="still going"),
                    CommandContext(lead))
    await project(db)

    conn = await asyncpg.connect(db.url)
    try:
        found = {tuple(r) for r in await conn.fetch(
            "SELECT innovation_id, organisation_id FROM rm_innovation_shares "
            "WHERE innovation_id = ANY($1)", ideas)}
        stale = await conn.fetchval(
            "SELECT count(*) FROM rm_innovation_shares s JOIN rm_innovations i "
            "ON i.id = s.innovation_id WHERE s.innovation_id = ANY($1) "
            "AND s.updated_at <> i.updated_at", ideas)
    finally:
        await conn.close()
    assert found == {(i, c_.organisation) for i in ideas} | {
        (i, b.organisation) for i in ideas[1::2]}
    assert stale == 0
