"""Commands to refuse: builders of each command with one field replaced, and every text field of
every command with the name clients see and its limit (tests/unit/test_commands_*.py, and the
text policy's tests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from lifecycle import commands as c
from lifecycle import validation as v
from lifecycle.actor import Authority
from lifecycle.governance.authority import DecisionOutcome, Risk, Thresholds
from lifecycle.vocabulary import (
    BetterDirection,
    ChartType,
    Criterion,
    EvaluationMethod,
    FundingSource,
    InvolvementKind,
    OrganisationKind,
    PrototypeOutcome,
)

ID = uuid4()
OTHER_ID = uuid4()
DAY = date(2024, 3, 1)
LATER = DAY + timedelta(days=30)

TITLE, NAME, SHORT, LONG = v.TITLE_MAX, v.NAME_MAX, v.SHORT_TEXT_MAX, v.LONG_TEXT_MAX


def merged(defaults: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    return defaults | fields


# -- builders: each command with one text field replaced -------------------------------------
def submit(**fields: Any) -> c.SubmitIdea:
    defaults = {"title": "Virtual ward rounds", "problem": "waits", "proposal": "video rounds"}
    return c.SubmitIdea(**merged(defaults, fields))


def revise(**fields: Any) -> c.ReviseIdea:
    defaults = {"innovation_id": ID, "title": "t", "problem": "p", "proposal": "q"}
    return c.ReviseIdea(**merged(defaults, fields))


def evaluation(**fields: Any) -> c.RecordEvaluation:
    defaults = {
        "innovation_id": ID, "method": EvaluationMethod.SERVICE_EVALUATION,
        "scores": ((Criterion.SAFETY, 4), (Criterion.PATIENT_OUTCOMES, 3)),
        "evidence": "audit", "recommendation": "adopt", "estimated_cost": Decimal("1000"),
        "risk": Risk.LOW, "evaluated_on": DAY,
    }
    return c.RecordEvaluation(**merged(defaults, fields))


def funding(**fields: Any) -> c.RecordFunding:
    defaults = {"innovation_id": ID, "source": FundingSource.CHARITY,
                "funder": "Health Foundation", "amount": Decimal("25000"), "starts_on": DAY}
    return c.RecordFunding(**merged(defaults, fields))


def challenge(**fields: Any) -> c.OpenChallenge:
    defaults = {"title": "Falls", "problem": "too many falls", "opens_on": DAY,
                "closes_on": LATER}
    return c.OpenChallenge(**merged(defaults, fields))


# (command builder taking the text, the field name clients see, the limit)
TEXT_FIELDS: list[tuple[str, Callable[[str], c.Command], str, int]] = [
    ("RegisterOrganisation.name",
     lambda t: c.RegisterOrganisation(name=t, kind=OrganisationKind.TRUST), "name", NAME),
    ("RegisterOrganisation.sites",
     lambda t: c.RegisterOrganisation(name="n", kind=OrganisationKind.TRUST, sites=("a", t)),
     "sites", NAME),
    ("AddSite.site", lambda t: c.AddSite(organisation_id=ID, site=t), "site", NAME),
    ("ChangeThresholds.reason",
     lambda t: c.ChangeThresholds(organisation_id=ID, thresholds=Thresholds(), reason=t),
     "reason", SHORT),
    ("OpenChallenge.title", lambda t: challenge(title=t), "title", TITLE),
    ("OpenChallenge.problem", lambda t: challenge(problem=t), "problem", LONG),
    ("CloseChallenge.reason", lambda t: c.CloseChallenge(challenge_id=ID, reason=t),
     "reason", SHORT),
    ("SubmitIdea.title", lambda t: submit(title=t), "title", TITLE),
    ("SubmitIdea.problem", lambda t: submit(problem=t), "problem", LONG),
    ("SubmitIdea.proposal", lambda t: submit(proposal=t), "proposal", LONG),
    ("SubmitIdea.tags", lambda t: submit(tags=(t,)), "tags", v.TAG_MAX),
    ("ReviseIdea.title", lambda t: revise(title=t), "title", TITLE),
    ("ReviseIdea.problem", lambda t: revise(problem=t), "problem", LONG),
    ("ReviseIdea.proposal", lambda t: revise(proposal=t), "proposal", LONG),
    ("ReviseIdea.tags", lambda t: revise(tags=("ok", t)), "tags", v.TAG_MAX),
    ("CommentOnIdea.text", lambda t: c.CommentOnIdea(innovation_id=ID, text=t), "text", LONG),
    ("AcceptIdea.reason", lambda t: c.AcceptIdea(innovation_id=ID, reason=t), "reason", SHORT),
    ("RequestInformation.reason",
     lambda t: c.RequestInformation(innovation_id=ID, reason=t), "reason", SHORT),
    ("DeclineIdea.reason", lambda t: c.DeclineIdea(innovation_id=ID, reason=t), "reason", SHORT),
    ("MergeIdea.reason", lambda t: c.MergeIdea(innovation_id=ID, reason=t, into_id=OTHER_ID),
     "reason", SHORT),
    ("EmbedInnovation.reason", lambda t: c.EmbedInnovation(innovation_id=ID, reason=t),
     "reason", SHORT),
    ("ParkInnovation.reason", lambda t: c.ParkInnovation(innovation_id=ID, reason=t),
     "reason", SHORT),
    ("ReopenInnovation.reason", lambda t: c.ReopenInnovation(innovation_id=ID, reason=t),
     "reason", SHORT),
    ("CloseInnovation.reason",
     lambda t: c.CloseInnovation(innovation_id=ID, reason=t, learning="l"), "reason", SHORT),
    ("CloseInnovation.learning",
     lambda t: c.CloseInnovation(innovation_id=ID, reason="r", learning=t), "learning", LONG),
    ("RecordInvolvement.group",
     lambda t: c.RecordInvolvement(innovation_id=ID, kind=InvolvementKind.STAKEHOLDER, group=t,
                                   description="d", involved_on=DAY), "group", NAME),
    ("RecordInvolvement.description",
     lambda t: c.RecordInvolvement(innovation_id=ID, kind=InvolvementKind.STAKEHOLDER,
                                   group="g", description=t, involved_on=DAY),
     "description", LONG),
    ("StartPrototype.title",
     lambda t: c.StartPrototype(innovation_id=ID, title=t, hypothesis="h", plan="p",
                                started_on=DAY), "title", TITLE),
    ("StartPrototype.hypothesis",
     lambda t: c.StartPrototype(innovation_id=ID, title="t", hypothesis=t, plan="p",
                                started_on=DAY), "hypothesis", LONG),
    ("StartPrototype.plan",
     lambda t: c.StartPrototype(innovation_id=ID, title="t", hypothesis="h", plan=t,
                                started_on=DAY), "plan", LONG),
    ("CompletePrototype.result",
     lambda t: c.CompletePrototype(innovation_id=ID, prototype_id=OTHER_ID,
                                   outcome=PrototypeOutcome.FAILED, result=t, learning="l",
                                   completed_on=DAY), "result", LONG),
    ("CompletePrototype.learning",
     lambda t: c.CompletePrototype(innovation_id=ID, prototype_id=OTHER_ID,
                                   outcome=PrototypeOutcome.FAILED, result="r", learning=t,
                                   completed_on=DAY), "learning", LONG),
    ("RecordEvaluation.evidence", lambda t: evaluation(evidence=t), "evidence", LONG),
    ("RecordEvaluation.recommendation", lambda t: evaluation(recommendation=t),
     "recommendation", SHORT),
    ("RecordFunding.funder", lambda t: funding(funder=t), "funder", NAME),
    ("DecideAdoption.rationale",
     lambda t: c.DecideAdoption(innovation_id=ID, outcome=DecisionOutcome.ADOPT,
                                authority=Authority.TEAM, rationale=t), "rationale", LONG),
    ("RevokeSharing.reason",
     lambda t: c.RevokeSharing(innovation_id=ID, reason=t, organisation_id=OTHER_ID),
     "reason", SHORT),
    ("StartAdoption.adaptation",
     lambda t: c.StartAdoption(innovation_id=ID, organisation_id=OTHER_ID, adaptation=t,
                               started_on=DAY), "adaptation", LONG),
    ("SustainAdoption.reason",
     lambda t: c.SustainAdoption(innovation_id=ID, reason=t, adoption_id=OTHER_ID,
                                 sustained_on=DAY), "reason", SHORT),
    ("AbandonAdoption.reason",
     lambda t: c.AbandonAdoption(innovation_id=ID, reason=t, adoption_id=OTHER_ID,
                                 abandoned_on=DAY), "reason", SHORT),
    ("DefineMeasure.name",
     lambda t: c.DefineMeasure(innovation_id=ID, name=t, unit="minutes",
                               better=BetterDirection.LOWER, chart=ChartType.XMR), "name", NAME),
    ("DefineMeasure.unit",
     lambda t: c.DefineMeasure(innovation_id=ID, name="wait", unit=t,
                               better=BetterDirection.LOWER, chart=ChartType.XMR), "unit", NAME),
    ("StartPhase.description",
     lambda t: c.StartPhase(measure_id=ID, starts_on=DAY, description=t, reason="r"),
     "description", SHORT),
    ("StartPhase.reason",
     lambda t: c.StartPhase(measure_id=ID, starts_on=DAY, description="d", reason=t),
     "reason", SHORT),
]
TEXT_CASES = [pytest.param(build, name, limit, id=case) for case, build, name, limit in TEXT_FIELDS]

# Optional text: empty or blank means "not given"; too long is still refused.
OPTIONAL_FIELDS: list[tuple[str, Callable[[str], c.Command], str, str, int]] = [
    ("SubmitIdea.site", lambda t: submit(site=t), "site", "site", NAME),
    ("RecordFunding.programme", lambda t: funding(programme=t), "programme", "programme", NAME),
    ("DecideAdoption.conditions",
     lambda t: c.DecideAdoption(innovation_id=ID, outcome=DecisionOutcome.ADAPT,
                                authority=Authority.TEAM, rationale="r", conditions=t),
     "conditions", "conditions", LONG),
    ("StartAdoption.site",
     lambda t: c.StartAdoption(innovation_id=ID, organisation_id=OTHER_ID, adaptation="a",
                               started_on=DAY, site=t), "site", "site", NAME),
    ("DefineMeasure.site",
     lambda t: c.DefineMeasure(innovation_id=ID, name="n", unit="u",
                               better=BetterDirection.HIGHER, chart=ChartType.P, site=t),
     "site", "site", NAME),
]
OPTIONAL_CASES = [pytest.param(build, attr, name, limit, id=case)
                  for case, build, attr, name, limit in OPTIONAL_FIELDS]
