"""Spread over real HTTP: two adopting sites with different outcomes read differently (the
effect of the change at each, beside its current variation and assurance); a SUMMARY share
shows no site's measures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx

from lifecycle import commands as c
from lifecycle.actor import Actor, Authority, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.governance.authority import DecisionOutcome, Risk
from lifecycle.vocabulary import (
    BetterDirection,
    ChartType,
    Criterion,
    EvaluationMethod,
    PrototypeOutcome,
    SharingScope,
)
from schema import positions
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer

START = date(2025, 1, 6)
BASELINE = [62, 58, 61, 57, 63, 59, 60, 64, 56, 61, 59, 62, 58, 60, 63, 57, 61, 59, 62, 58]
IMPROVED = [41, 39, 42, 38, 40, 43, 37, 41, 39, 40, 42, 38]
UNCHANGED = [61, 59, 60, 62, 58, 61, 60, 59, 62, 57, 60, 61]
SPREAD = """query($id: ID!, $at: String) { spread(innovationId: $id, consistentWith: $at) {
  siteVerdicts { site measure verdict
    effects { verdict difference unit beforeCentre afterCentre signals { rule current } }
    assurance { verdict target } } } }"""


def weeks(values: list[int], first: int = 0) -> tuple[c.ObservationInput, ...]:
    return tuple(c.ObservationInput(START + timedelta(weeks=first + i), value=v)
                 for i, v in enumerate(values))


def spread(live: LiveServer, actor: Actor, innovation: str, at: str) -> dict[str, Any]:
    body: dict[str, Any] = httpx.post(
        f"{live.url}/graphql", json={"query": SPREAD, "variables": {"id": innovation,
                                                                    "at": at}},
        headers={"Authorization": f"Bearer {live.token(actor)}"}, timeout=30).json()
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["spread"]
    return found


def test_two_sites_with_different_outcomes_read_differently(
        live: LiveServer, app: LifecycleApplication) -> None:
    org = new_organisation(app, "Swansea Bay UHB", ("Morriston", "Singleton"))
    lead = member(org, Role.INNOVATION_LEAD)
    ctx = CommandContext(lead)
    idea = app.execute(c.SubmitIdea(title="Virtual ward", problem="Length of stay",
                                    proposal="q"),
                       CommandContext(member(org, Role.STAFF))).aggregate_id
    app.execute(c.AcceptIdea(idea, reason="r"), ctx)
    proto = app.execute(c.StartPrototype(idea, "PDSA", "h", "p", START), ctx).created_id
    app.execute(c.CompletePrototype(idea, proto, PrototypeOutcome.SUCCEEDED, "r", "l", START),
                ctx)
    app.execute(c.RecordEvaluation(idea, EvaluationMethod.SERVICE_EVALUATION,
                                   ((Criterion.SAFETY, 4),), "e", "adopt",
                                   estimated_cost=Decimal(100), risk=Risk.LOW,
                                   evaluated_on=START), ctx)
    app.execute(c.DecideAdoption(idea, DecisionOutcome.ADOPT, Authority.TEAM, "cheap"),
                CommandContext(member(org, Role.GOVERNANCE_TEAM)))
    for site, after in (("Morriston", IMPROVED), ("Singleton", UNCHANGED)):
        app.execute(c.StartAdoption(idea, org.organisation, f"at {site}", START, site=site),
                    ctx)
        measure = app.execute(c.DefineMeasure(idea, "Length of stay", "hours",
                                              BetterDirection.LOWER, ChartType.XMR, site=site,
                                              target=50.0), ctx).aggregate_id
        app.execute(c.RecordObservations(measure, weeks(BASELINE)), ctx)
        app.execute(c.StartPhase(measure, START + timedelta(weeks=20), "Virtual ward",
                                 "Opened"), ctx)
        last = app.execute(c.RecordObservations(measure, weeks(after, 20)), ctx)
    partner = new_organisation(app, "Hywel Dda Spread Partner", ())
    shared = app.execute(c.ShareInnovation(idea, partner.organisation, SharingScope.SUMMARY),
                         ctx)
    at = positions.encode(app.store.epoch(), max(last.position, shared.position))

    verdicts = {v["site"]: v for v in spread(live, lead, str(idea), at)["siteVerdicts"]}

    morriston, singleton = verdicts["Morriston"], verdicts["Singleton"]
    # Both sites' processes are stable now (each latest phase has its own limits)...
    assert morriston["verdict"] == singleton["verdict"] == "COMMON_CAUSE"
    # ...but the change improved things at one and not at the other.
    assert [e["verdict"] for e in morriston["effects"]] == ["IMPROVEMENT"]
    assert morriston["effects"][0]["difference"] == -20
    assert morriston["effects"][0]["unit"] == "hours"
    assert any(s["rule"] == "SHIFT" and s["current"]
               for s in morriston["effects"][0]["signals"])
    assert [e["verdict"] for e in singleton["effects"]] == ["NO_DETECTABLE_CHANGE"]
    assert morriston["assurance"] == {"verdict": "CONSISTENTLY_MEETS", "target": 50}
    assert singleton["assurance"] == {"verdict": "CONSISTENTLY_FAILS", "target": 50}
    # A SUMMARY share shows no site's measures.
    assert spread(live, member(partner, Role.PARTNER), str(idea), at)["siteVerdicts"] == []
