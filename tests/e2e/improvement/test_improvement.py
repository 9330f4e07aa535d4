"""Issue 11 over real HTTP: "did the change improve things?" survives recalculated limits;
observations corrected and withdrawn; targets and assurance; a measure with no better direction;
and every refusal a typed error that changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
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
from lifecycle.vocabulary import Criterion, EvaluationMethod, PrototypeOutcome
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer

START = date(2025, 1, 6)
BASELINE = [62, 58, 61, 57, 63, 59, 60, 64, 56, 61, 59, 62, 58, 60, 63, 57, 61, 59, 62, 58]
AFTER = [41, 39, 42, 38, 40, 43, 37, 41, 39, 40, 42, 38]
ERRORS = "... on UserError { __typename message } ... on ValidationError { field }"
MEASURE = """id version verdict target definedBy targetChanges { target reason decidedBy }
  rules { name shiftLength trendLength multiplier minimumPoints twoOfThree screenMovingRanges }
  currentVariation { classification phase limitsFrom centre lower upper }
  effects { phase startsOn points baselinePhase beforeCentre beforeLower beforeUpper
            afterCentre difference unit verdict
            signals { rule direction points current limitsFrom rules { name } } }
  assurance { verdict target lower upper }
  signals { rule direction phase points current limitsFrom ruleSet rules { name } }
  points { on value numerator denominator classification }
  corrections { on kind value numerator denominator wasValue wasNumerator wasDenominator
                reason decidedBy }"""
SUCCESS = {"defineMeasure": "MeasureDefined", "recordObservations": "ObservationsRecorded",
           "startPhase": "PhaseStarted", "correctObservation": "ObservationCorrected",
           "withdrawObservation": "ObservationWithdrawn", "setMeasureTarget": "TargetSet"}


def week(n: int) -> str:
    return (START + timedelta(weeks=n)).isoformat()


def post(live: LiveServer, actor: Actor, document: str, variables: dict[str, Any]
         ) -> dict[str, Any]:
    body: dict[str, Any] = httpx.post(
        f"{live.url}/graphql", json={"query": document, "variables": variables},
        headers={"Authorization": f"Bearer {live.token(actor)}"}, timeout=30).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def mutate(live: LiveServer, actor: Actor, name: str, /, **input: Any) -> dict[str, Any]:
    """The payload of mutation ``name``: its measure (read from the read model) and position,
    or its typed error."""
    document = (f"mutation Do($input: {name[0].upper()}{name[1:]}Input!) {{ {name}(input: "
                f"$input) {{ __typename {ERRORS} ... on MeasureChange {{ position "
                f"measure {{ {MEASURE} }} }} }} }}")
    payload: dict[str, Any] = post(live, actor, document, {"input": input})[name]
    return payload


def done(live: LiveServer, actor: Actor, name: str, /, **input: Any) -> dict[str, Any]:
    payload = mutate(live, actor, name, **input)
    assert payload["__typename"] == SUCCESS[name], payload
    return payload


def measure_at(live: LiveServer, actor: Actor, ident: str, position: str) -> dict[str, Any]:
    query = (f"query($id: ID!, $at: String) {{ measure(id: $id, consistentWith: $at) "
             f"{{ {MEASURE} }} }}")
    found: dict[str, Any] = post(live, actor, query, {"id": ident, "at": position})["measure"]
    return found


def xmr(values: Sequence[float], first: int = 0) -> list[dict[str, Any]]:
    return [{"on": week(first + i), "value": v} for i, v in enumerate(values)]


@pytest.fixture(scope="module")
def team(app: LifecycleApplication) -> tuple[Actor, str]:
    """An innovation lead and an innovation that may have measures."""
    org = new_organisation(app, "Aneurin Bevan UHB", ("Grange", "Nevill Hall"))
    lead = member(org, Role.INNOVATION_LEAD)
    ctx = CommandContext(lead)
    idea = app.execute(c.SubmitIdea(title="Nurse-led clinic", problem="Waits", proposal="q"),
                       CommandContext(member(org, Role.STAFF))).aggregate_id
    app.execute(c.AcceptIdea(idea, reason="r"), ctx)
    proto = app.execute(c.StartPrototype(idea, "PDSA", "h", "p", START), ctx).created_id
    app.execute(c.CompletePrototype(idea, proto, PrototypeOutcome.SUCCEEDED, "r", "l", START),
                ctx)
    app.execute(c.RecordEvaluation(idea, EvaluationMethod.SERVICE_EVALUATION,
                                   ((Criterion.SAFETY, 4),), "e", "adopt",
                                   estimated_cost=Decimal(100), risk=Risk.LOW,
                                   evaluated_on=START), ctx)
    return lead, str(idea)


def define(live: LiveServer, team: tuple[Actor, str], **more: Any) -> dict[str, Any]:
    lead, idea = team
    fields = {"name": "Wait for clinic (days)", "unit": "days", "better": "LOWER",
              "chart": "XMR", **more}
    created: dict[str, Any] = done(live, lead, "defineMeasure", innovationId=idea,
                                   **fields)["measure"]
    return created


# -- the issue's scenario -------------------------------------------------------------------------
def test_the_effect_of_a_change_stays_improvement_when_the_new_phase_gets_its_own_limits(
        live: LiveServer, team: tuple[Actor, str]) -> None:
    lead, _ = team
    measure = define(live, team)["id"]
    done(live, lead, "recordObservations", measureId=measure, observations=xmr(BASELINE))
    done(live, lead, "startPhase", measureId=measure, startsOn=week(20),
         description="Nurse-led clinic", reason="Clinic opened")

    eleven = done(live, lead, "recordObservations", measureId=measure,
                  observations=xmr(AFTER[:11], 20))["measure"]
    assert eleven["currentVariation"]["classification"] == "SPECIAL_CAUSE_IMPROVEMENT"
    assert eleven["currentVariation"]["limitsFrom"] == 0  # the baseline's, carried forward
    assert [e["verdict"] for e in eleven["effects"]] == ["IMPROVEMENT"]

    twelfth = done(live, lead, "recordObservations", measureId=measure,
                   observations=xmr(AFTER[11:], 31))
    got = measure_at(live, lead, measure, twelfth["position"])
    assert twelfth["measure"] == got  # the payload is what a query reads at its position

    # The current variation: the new phase has its own limits, and is common cause.
    assert got["verdict"] == got["currentVariation"]["classification"] == "COMMON_CAUSE"
    assert (got["currentVariation"]["phase"], got["currentVariation"]["limitsFrom"]) == (1, 1)
    assert got["currentVariation"]["centre"] == 40
    # The effect of the change is still improvement, with its evidence.
    [effect] = got["effects"]
    assert effect["verdict"] == "IMPROVEMENT"
    assert (effect["phase"], effect["startsOn"], effect["points"], effect["baselinePhase"]) == (
        1, week(20), 12, 0)
    assert (effect["beforeCentre"], effect["afterCentre"], effect["difference"],
            effect["unit"]) == (60, 40, -20, "days")
    assert effect["beforeLower"] == pytest.approx(49.92)
    assert effect["beforeUpper"] == pytest.approx(70.08)
    fired = {s["rule"]: s for s in effect["signals"] if s["current"]}
    assert set(fired) >= {"OUTSIDE_LIMITS", "SHIFT"}
    assert fired["SHIFT"]["points"] == [week(20 + i) for i in range(12)]
    assert all(s["direction"] == "IMPROVEMENT" and s["limitsFrom"] == 0
               and s["rules"]["name"] == "making-data-count" for s in effect["signals"])
    # The signals reported before the recalculation remain, as history.
    history = [s for s in got["signals"] if not s["current"]]
    assert {s["rule"] for s in history} >= {"OUTSIDE_LIMITS", "SHIFT"}
    shift = next(s for s in history if s["rule"] == "SHIFT")
    assert (shift["direction"], shift["phase"], shift["limitsFrom"]) == ("IMPROVEMENT", 1, 0)
    assert shift["points"] == [week(20 + i) for i in range(11)]
    assert all(s["ruleSet"] == s["rules"]["name"] == "making-data-count"
               for s in got["signals"])


# -- corrections and withdrawals ------------------------------------------------------------------
def test_a_p_observation_is_corrected_and_withdrawn_with_who_and_why(
        live: LiveServer, team: tuple[Actor, str]) -> None:
    lead, _ = team
    measure = define(live, team, name="Falls with harm", unit="proportion", chart="P")["id"]
    done(live, lead, "recordObservations", measureId=measure, observations=[
        {"on": week(0), "numerator": 0, "denominator": 20},
        {"on": week(1), "numerator": 2, "denominator": 20}])

    # The same ratio with other counts is not silently dropped: it is a correction.
    same_ratio = mutate(live, lead, "recordObservations", measureId=measure,
                        observations=[{"on": week(0), "numerator": 0, "denominator": 25}])
    assert same_ratio["__typename"] == "ValidationError"
    assert "correct the observation instead" in same_ratio["message"]

    corrected = done(live, lead, "correctObservation", measureId=measure,
                     observation={"on": week(0), "numerator": 0, "denominator": 25},
                     reason="Five admissions were missed")["measure"]
    assert corrected["points"][0] == {"on": week(0), "value": 0, "numerator": 0,
                                      "denominator": 25, "classification": "INSUFFICIENT_DATA"}
    withdrawn = done(live, lead, "withdrawObservation", measureId=measure, on=week(1),
                     reason="Recorded against the wrong ward")["measure"]
    assert [p["on"] for p in withdrawn["points"]] == [week(0)]
    assert withdrawn["corrections"] == [
        {"on": week(0), "kind": "CORRECTED", "value": 0, "numerator": 0, "denominator": 25,
         "wasValue": 0, "wasNumerator": 0, "wasDenominator": 20,
         "reason": "Five admissions were missed", "decidedBy": lead.subject},
        {"on": week(1), "kind": "WITHDRAWN", "value": None, "numerator": None,
         "denominator": None, "wasValue": 0.1, "wasNumerator": 2, "wasDenominator": 20,
         "reason": "Recorded against the wrong ward", "decidedBy": lead.subject}]


# -- targets and assurance ------------------------------------------------------------------------
def test_a_target_is_judged_against_the_limits_of_the_latest_point(
        live: LiveServer, team: tuple[Actor, str]) -> None:
    lead, _ = team
    created = define(live, team, target=75.0)
    measure = created["id"]
    assert created["assurance"] == {"verdict": "INSUFFICIENT_DATA", "target": 75,
                                    "lower": None, "upper": None}
    met = done(live, lead, "recordObservations", measureId=measure,
               observations=xmr(BASELINE))["measure"]
    # Lower is better and every point the process makes is below 70.08: 75 is always met.
    assert met["assurance"]["verdict"] == "CONSISTENTLY_MEETS"
    assert met["assurance"]["upper"] == pytest.approx(70.08)
    varies = done(live, lead, "setMeasureTarget", measureId=measure, target=60.0,
                  reason="The board's ambition")["measure"]
    assert (varies["target"], varies["assurance"]["verdict"]) == (60, "VARIES")
    fails = done(live, lead, "setMeasureTarget", measureId=measure, target=40.0,
                 reason="National standard")["measure"]
    assert fails["assurance"]["verdict"] == "CONSISTENTLY_FAILS"
    removed = done(live, lead, "setMeasureTarget", measureId=measure, target=None,
                   reason="No longer targeted")["measure"]
    assert removed["assurance"]["verdict"] == "NO_TARGET"
    # Each setting is kept with who set it and why, not only the latest target.
    assert created["definedBy"] == lead.subject
    assert removed["targetChanges"] == [
        {"target": 60, "reason": "The board's ambition", "decidedBy": lead.subject},
        {"target": 40, "reason": "National standard", "decidedBy": lead.subject},
        {"target": None, "reason": "No longer targeted", "decidedBy": lead.subject}]


# -- a measure with no better direction, and a rule set of its own ------------------------------
def test_a_measure_with_no_better_direction_reports_special_cause_neither(
        live: LiveServer, team: tuple[Actor, str]) -> None:
    lead, _ = team
    created = define(live, team, name="Referrals", unit="referrals", better="NEITHER",
                     rules={"name": "ihi-like", "shiftLength": 6, "minimumPoints": 10})
    assert created["rules"] == {"name": "ihi-like", "shiftLength": 6, "trendLength": 7,
                                "multiplier": 2.66, "minimumPoints": 10, "twoOfThree": True,
                                "screenMovingRanges": False}
    measure = created["id"]
    done(live, lead, "recordObservations", measureId=measure, observations=xmr(BASELINE))
    done(live, lead, "startPhase", measureId=measure, startsOn=week(20),
         description="New referral form", reason="Form changed")
    got = done(live, lead, "recordObservations", measureId=measure,
               observations=xmr(AFTER[:6], 20))["measure"]
    assert got["currentVariation"]["classification"] == "SPECIAL_CAUSE_NEITHER"
    assert {s["direction"] for s in got["signals"]} == {"NEITHER"}
    assert {s["rule"] for s in got["signals"]} >= {"SHIFT"}  # six points: the rule set's
    assert all(s["rules"]["name"] == "ihi-like" for s in got["signals"])
    assert [e["verdict"] for e in got["effects"]] == ["CHANGE"]


# -- refusals -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "input", "field", "says"), [
    ("recordObservations", {"observations": [{"on": "2025-01-06", "value": 1e300}]},
     "observations[2025-01-06]", "a value must be a number between"),
    ("recordObservations", {"observations": [{"on": "2025-01-06", "numerator": 0,
                                              "denominator": 1e-300}]},
     "observations[2025-01-06]", "a denominator must be a number between"),
    ("recordObservations", {"observations": [{"on": "2025-01-06", "value": 7}]},
     "observations[2025-01-06]", "correct the observation instead"),
    ("correctObservation", {"observation": {"on": "2025-02-03", "value": 4}, "reason": "r"},
     "on", "no observation is recorded"),
    ("correctObservation", {"observation": {"on": "2025-01-06", "value": 5}, "reason": "r"},
     "on", "nothing to correct"),
    ("correctObservation", {"observation": {"on": "2025-01-06", "value": 1e300},
                            "reason": "r"}, "observations[2025-01-06]", "between"),
    ("withdrawObservation", {"on": "2025-02-03", "reason": "r"}, "on",
     "no observation is recorded"),
    ("setMeasureTarget", {"target": 1e300, "reason": "r"}, "target",
     "a target must be a number between"),
    ("setMeasureTarget", {"target": 50.0, "reason": "r"}, "target", "already"),
])
def test_a_refused_change_to_a_measure_is_a_typed_error_and_changes_nothing(
        live: LiveServer, team: tuple[Actor, str], name: str, input: dict[str, Any],
        field: str, says: str) -> None:
    lead, _ = team
    chart = "P" if "numerator" in str(input) else "XMR"
    created = define(live, team, chart=chart, target=50.0)
    measure = created["id"]
    first = [{"on": week(0), "value": 5}] if chart == "XMR" else [
        {"on": week(0), "numerator": 1, "denominator": 4}]
    before = done(live, lead, "recordObservations", measureId=measure, observations=first)

    refused = mutate(live, lead, name, measureId=measure, **input)

    assert refused["__typename"] == "ValidationError", refused
    assert refused["field"] == field
    assert says in refused["message"]
    assert measure_at(live, lead, measure, before["position"])["version"] == \
        before["measure"]["version"]


@pytest.mark.parametrize(("more", "field", "says"), [
    ({"target": 1e300}, "target", "a target must be a number between"),
    ({"better": "NEITHER", "target": 1.0}, "target", "no better direction"),
    ({"rules": {"shiftLength": 1}}, "ruleSet", "at least 2 points"),
    ({"rules": {"multiplier": 0}}, "ruleSet", "multiplier"),
    ({"rules": {"minimumPoints": 1}}, "ruleSet", "at least 2 points"),
])
def test_a_refused_definition_is_a_typed_error(
        live: LiveServer, team: tuple[Actor, str], more: dict[str, Any], field: str,
        says: str) -> None:
    lead, idea = team
    fields = {"name": "Refused", "unit": "u", "better": "LOWER", "chart": "XMR", **more}
    refused = mutate(live, lead, "defineMeasure", innovationId=idea, **fields)
    assert refused["__typename"] == "ValidationError", refused
    assert refused["field"] == field
    assert says in refused["message"]


def test_nobody_outside_the_measuring_organisation_corrects_its_observations(
        live: LiveServer, team: tuple[Actor, str], app: LifecycleApplication) -> None:
    lead, _ = team
    measure = define(live, team)["id"]
    done(live, lead, "recordObservations", measureId=measure, observations=xmr([5]))
    stranger = member(new_organisation(app, "Powys Teaching HB", ()), Role.INNOVATION_LEAD)
    refused = mutate(live, stranger, "correctObservation", measureId=measure,
                     observation={"on": week(0), "value": 6}, reason="r")
    assert refused["__typename"] == "NotFoundError", refused
    assert UUID(measure)
