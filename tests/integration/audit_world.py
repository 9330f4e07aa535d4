"""A small world for the audit's tests: an innovation taken to an adoption decision by its
owner, shared in FULL with one organisation and as a SUMMARY with another, and a third
organisation that it was never shared with."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import anyio
import asyncpg

from lifecycle import commands as c
from lifecycle.actor import Actor, Authority, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.audit import store
from lifecycle.audit.chain import Chainer
from lifecycle.audit.checkpoint import SigningKey
from lifecycle.governance.authority import DecisionOutcome, Risk
from lifecycle.store.database import Database
from lifecycle.store.sessions import close, connect
from lifecycle.vocabulary import Criterion, EvaluationMethod, PrototypeOutcome, SharingScope
from tests.conftest import drop_database, fresh_database, make_app, member, new_organisation

DAY = date(2025, 3, 3)


@dataclass
class World:
    innovation: UUID
    lead: Actor
    governance: Actor
    auditor: Actor
    full: Actor
    summary: Actor
    stranger: Actor


def build(app: LifecycleApplication) -> World:
    admins = {n: new_organisation(app, f"Audit {n} {uuid4().hex[:6]}", ("Main",))
              for n in ("own", "full", "summary", "stranger")}
    lead = member(admins["own"], Role.INNOVATION_LEAD)
    governance = member(admins["own"], Role.GOVERNANCE_TEAM)
    ctx = CommandContext(lead)
    ident = app.execute(c.SubmitIdea(title="A ward handover board", problem="Lost notes",
                                     proposal="A board"),
                        CommandContext(member(admins["own"], Role.STAFF))).aggregate_id
    app.execute(c.AcceptIdea(ident, reason="worth a trial"), ctx)
    proto = app.execute(c.StartPrototype(ident, "t", "h", "p", DAY), ctx).created_id
    app.execute(c.CompletePrototype(ident, proto, PrototypeOutcome.SUCCEEDED, "r", "l", DAY), ctx)
    app.execute(c.RecordEvaluation(ident, EvaluationMethod.SERVICE_EVALUATION,
                                   ((Criterion.SAFETY, 4),), "e", "adopt", Decimal("100"),
                                   Risk.LOW, DAY), ctx)
    app.execute(c.DecideAdoption(ident, DecisionOutcome.ADOPT, Authority.TEAM,
                                 "safe and cheap"), CommandContext(governance))
    app.execute(c.ShareInnovation(ident, admins["full"].organisation, SharingScope.FULL), ctx)
    app.execute(c.ShareInnovation(ident, admins["summary"].organisation, SharingScope.SUMMARY),
                ctx)
    return World(ident, lead, governance, member(admins["own"], Role.AUDITOR),
                 member(admins["full"], Role.PARTNER), member(admins["summary"], Role.PARTNER),
                 member(admins["stranger"], Role.STAFF))


EVERY = 7  # a checkpoint every 7 events
KEY = SigningKey.generate("test-log")
ORIGIN = "lifecycle.test/audit"


@dataclass
class Log:
    db: Database
    app: LifecycleApplication
    world: World
    conn: asyncpg.Connection


async def chain_all(db: Database, app: LifecycleApplication) -> None:
    """Run a chaining worker until it has chained every event and signed the last one."""
    worker = Chainer(db.url, KEY, ORIGIN, every_events=EVERY, every_minutes=0.001,
                     poll_interval=0.05)
    head = app.store.head()
    conn = await connect(db.url)
    stop = anyio.Event()
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(worker.run, stop)
            with anyio.fail_after(60):
                while True:
                    signed = await store.checkpoint(conn)
                    _, last = await store.size(conn)
                    if last == head and signed is not None and \
                            signed.tree_size == worker.size:
                        break
                    await anyio.sleep(0.05)
            stop.set()
    finally:
        await close(conn)


@asynccontextmanager
async def chained_log(server: Database) -> AsyncIterator[Log]:
    """A fresh database with the world in it, every event chained and signed."""
    db = fresh_database(server, "lifecycle_tlog")
    app = make_app(db)
    conn = None
    try:
        world = build(app)
        await chain_all(db, app)
        conn = await connect(db.url)
        yield Log(db, app, world, conn)
    finally:
        if conn is not None:
            await close(conn)
        app.close()
        drop_database(server, db)
