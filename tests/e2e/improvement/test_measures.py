"""Measures over real HTTP: the chart, its signals and verdict, visible to whom they should be."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx
import pytest

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.governance.authority import Risk
from lifecycle.vocabulary import (
    BetterDirection,
    ChartType,
    Criterion,
    EvaluationMethod,
    PrototypeOutcome,
)
from schema import positions
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer

START = date(2025, 1, 6)
MEASURE = """query($id: ID!, $at: String) { measure(id: $id, consistentWith: $at) {
  name verdict ruleSet observationCount phases
  points { on value classification rules centre }
  signals { rule direction points ruleSet position }
  changes { startsOn reason decidedBy } } }"""


def ask(live: LiveServer, actor: Actor, query: str, **variables: Any) -> dict[str, Any]:
    body: dict[str, Any] = httpx.post(
        f"{live.url}/graphql", headers={"Authorization": f"Bearer {live.token(actor)}"},
        json={"query": query, "variables": variables}, timeout=30).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


@pytest.fixture(scope="module")
def charted(app: LifecycleApplication) -> tuple[Actor, UUID, UUID, str]:
    org = new_organisation(app, "Hywel Dda Measures", ())
    lead = member(org, Role.INNOVATION_LEAD)
    ctx = CommandContext(lead)
    idea = app.execute(c.SubmitIdea(title="Falls mats", problem="p", proposal="q"),
                       CommandContext(member(org, Role.STAFF))).aggregate_id
    app.execute(c.AcceptIdea(idea, reason="r"), ctx)
    proto = app.execute(c.StartPrototype(idea, "PDSA", "h", "p", START), ctx).created_id
    app.execute(c.CompletePrototype(idea, proto, PrototypeOutcome.SUCCEEDED, "r", "l", START),
                ctx)
    app.execute(c.RecordEvaluation(idea, EvaluationMethod.SERVICE_EVALUATION,
                                   ((Criterion.SAFETY, 4),), "e", "adopt",
                                   estimated_cost=Decimal(100), risk=Risk.LOW,
                                   evaluated_on=START), ctx)
    measures = []
    for name in ("Falls per 1,000 bed days", "Falls with harm"):
        measure = app.execute(c.DefineMeasure(idea, name=name, unit="falls",
                                              better=BetterDirection.LOWER,
                                              chart=ChartType.XMR), ctx).aggregate_id
        values = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 12]
        app.execute(c.RecordObservations(measure, tuple(
            c.ObservationInput(START + timedelta(weeks=i), value=v)
            for i, v in enumerate(values))), ctx)
        app.execute(c.StartPhase(measure, START + timedelta(weeks=12), "Mats on every bed",
                                 "Pilot complete"), ctx)
        last = app.execute(c.RecordObservations(measure, tuple(
            c.ObservationInput(START + timedelta(weeks=12 + i), value=v)
            for i, v in enumerate([9, 8, 9, 8, 9, 8, 9]))), ctx)
        measures.append(measure)
    return lead, idea, measures[0], positions.encode(app.store.epoch(), last.position)


def test_measure_shows_its_chart_signals_and_verdict(
        live: LiveServer, charted: tuple[Actor, UUID, UUID, str]) -> None:
    lead, _, measure, at = charted
    got = ask(live, lead, MEASURE, id=str(measure), at=at)["measure"]
    assert got["verdict"] == "SPECIAL_CAUSE_IMPROVEMENT"
    assert got["ruleSet"] == "making-data-count"
    assert got["observationCount"] == len(got["points"]) == 19
    assert got["phases"] == [(START + timedelta(weeks=12)).isoformat()]
    assert got["points"][-1]["classification"] == "SPECIAL_CAUSE_IMPROVEMENT"
    assert any(s["rule"] == "SHIFT" and s["direction"] == "IMPROVEMENT"
               for s in got["signals"])
    assert got["changes"] == [{"startsOn": (START + timedelta(weeks=12)).isoformat(),
                               "reason": "Pilot complete", "decidedBy": lead.subject}]


def test_another_organisation_cannot_see_the_measure(
        live: LiveServer, charted: tuple[Actor, UUID, UUID, str],
        app: LifecycleApplication) -> None:
    _, _, measure, at = charted
    stranger = member(new_organisation(app, "Elsewhere Trust", ()), Role.STAFF)
    assert ask(live, stranger, MEASURE, id=str(measure), at=at)["measure"] is None


def test_an_innovations_measures_are_fetched_with_one_query_per_kind_not_per_row(
        live: LiveServer, charted: tuple[Actor, UUID, UUID, str]) -> None:
    lead, idea, _, at = charted
    query = """query($id: ID!, $at: String) { measures(innovationId: $id, consistentWith: $at) {
        name points { on } signals { rule } changes { reason } } }"""
    live.queries.clear()
    got = ask(live, lead, query, id=str(idea), at=at)["measures"]
    assert len(got) == 2
    assert all(len(m["points"]) == 19 for m in got)
    # One query for the list, then one each for points, signals and changes of both measures
    # (the pool's own reset statements between acquisitions are not read-model queries).
    reads = [q for q in live.queries if "rm_" in q]
    assert len(reads) == 4, reads
