"""A small world for the audit's tests: an innovation taken to an adoption decision by its
owner, shared in FULL with one organisation and as a SUMMARY with another, and a third
organisation that it was never shared with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

from lifecycle import commands as c
from lifecycle.actor import Actor, Authority, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.governance.authority import DecisionOutcome, Risk
from lifecycle.vocabulary import Criterion, EvaluationMethod, PrototypeOutcome, SharingScope
from tests.conftest import member, new_organisation

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

