"""What the modules sending mutations over real HTTP share: the selections of a payload's
errors and of an innovation's change, the trust its people act for, sending a mutation, and
innovations to act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx

from lifecycle import commands as c
from lifecycle.actor import Actor, Authority, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.governance.authority import DecisionOutcome, Risk
from lifecycle.vocabulary import Criterion, EvaluationMethod, PrototypeOutcome
from schema import positions
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer

ERRORS = """... on UserError { message code }
  ... on ValidationError { field }
  ... on NotFoundError { kind ident }
  ... on WrongStageError { stage allowedFrom }
  ... on InsufficientAuthorityError { required taken }
  ... on VersionConflictError { expected actual }
  ... on IdempotencyKeyReusedError { key }"""
INNOVATION = """... on InnovationChange {
    position replayed innovation { id version stage problem } }"""


@dataclass
class Trust:
    admin: Actor
    staff: Actor
    colleague: Actor
    lead: Actor
    team_governor: Actor
    directorate_governor: Actor
    auditor: Actor
    partner: Actor


def build_trust(app: LifecycleApplication) -> Trust:
    """A health board's people in each role, and a partner: each module sending mutations
    registers this as its module-scoped ``trust`` fixture."""
    admin = new_organisation(app, "Betsi Cadwaladr UHB",
                             ("Ysbyty Gwynedd", "Glan Clwyd", "Wrexham Maelor"))
    partner = member(new_organisation(app, "Bangor University", ()), Role.PARTNER)
    return Trust(admin, member(admin, Role.STAFF), member(admin, Role.STAFF),
                 member(admin, Role.INNOVATION_LEAD), member(admin, Role.GOVERNANCE_TEAM),
                 member(admin, Role.GOVERNANCE_DIRECTORATE), member(admin, Role.AUDITOR),
                 partner)


def mutate(live: LiveServer, actor: Actor, name: str, shape: str, /,
           **input: Any) -> dict[str, Any]:
    """Send the mutation ``name`` with ``input``; its payload, with no GraphQL errors."""
    document = (f"mutation Do($input: {name[0].upper()}{name[1:]}Input!) {{\n"
                f"  {name}(input: $input) {{ __typename {ERRORS} {shape} }} }}")
    response = httpx.post(f"{live.url}/graphql", json={"query": document,
                          "variables": {"input": input}},
                          headers={"Authorization": f"Bearer {live.token(actor)}"}, timeout=10)
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][name]
    return payload


def at(app: LifecycleApplication, payload: dict[str, Any]) -> int:
    """The log position a payload's opaque cursor stands for."""
    return positions.decode(app.store.epoch(), payload["position"])


def submit(live: LiveServer, actor: Actor, **extra: Any) -> str:
    payload = mutate(live, actor, "submitIdea", "... on IdeaSubmitted { innovation { id } }",
                     title="Ward discharge lounge", problem="Beds blocked until noon",
                     proposal="Move ready patients to a lounge at 9am", **extra)
    assert payload["__typename"] == "IdeaSubmitted", payload
    ident: str = payload["innovation"]["id"]
    return ident


def adopted(app: LifecycleApplication, trust: Trust) -> UUID:
    """An innovation decided for adoption, driven through the application directly."""
    lead, staff = CommandContext(trust.lead), CommandContext(trust.staff)
    ident = app.execute(c.SubmitIdea(title="Virtual ward", problem="Long stays",
                                      proposal="Monitor at home"), staff).aggregate_id
    app.execute(c.AcceptIdea(ident, reason="promising"), lead)
    proto = app.execute(c.StartPrototype(ident, "Pilot", "Fewer bed days", "Ten patients",
                                         date(2025, 1, 6)), lead).created_id
    app.execute(c.CompletePrototype(ident, proto, PrototypeOutcome.SUCCEEDED, "Worked",
                                    "Needs a nurse", date(2025, 2, 6)), lead)
    app.execute(c.RecordEvaluation(ident, EvaluationMethod.SERVICE_EVALUATION,
                                   ((Criterion.SAFETY, 4),), "audit", "adopt",
                                   Decimal("4000"), Risk.LOW, date(2025, 3, 1)), lead)
    app.execute(c.DecideAdoption(ident, DecisionOutcome.ADOPT, Authority.TEAM, "cheap and safe"),
                CommandContext(trust.team_governor))
    return ident
