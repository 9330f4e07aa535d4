"""Commands refuse ill-formed input on construction, before anything reaches an aggregate."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from lifecycle import commands as c
from lifecycle import validation as v
from lifecycle.actor import Authority
from lifecycle.errors import ValidationFailed
from lifecycle.governance.authority import DecisionOutcome, Risk, Thresholds
from lifecycle.vocabulary import (
    STAFF_GROUPS,
    BetterDirection,
    ChartType,
    Criterion,
    EvaluationMethod,
    FundingSource,
    InnovationClass,
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


# -- text -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("build", "field", "limit"), TEXT_CASES)
@pytest.mark.parametrize("blank", ["", "   ", "\n\t "], ids=["empty", "spaces", "whitespace"])
def test_empty_or_blank_text_is_refused(build: Callable[[str], c.Command], field: str,
                                        limit: int, blank: str) -> None:
    with pytest.raises(ValidationFailed, match="must not be empty") as info:
        build(blank)
    assert info.value.field == field


@pytest.mark.parametrize(("build", "field", "limit"), TEXT_CASES)
def test_text_over_its_limit_is_refused(build: Callable[[str], c.Command], field: str,
                                        limit: int) -> None:
    with pytest.raises(ValidationFailed,
                       match=f"must be at most {limit} characters \\(got {limit + 1}\\)") as info:
        build("x" * (limit + 1))
    assert info.value.field == field


@pytest.mark.parametrize(("build", "field", "limit"), TEXT_CASES)
def test_text_at_its_limit_after_stripping_is_accepted(build: Callable[[str], c.Command],
                                                       field: str, limit: int) -> None:
    command = build("  " + "x" * limit + "  ")
    assert isinstance(command, c.Command)


@pytest.mark.parametrize(("build", "attr", "field", "limit"), OPTIONAL_CASES)
@pytest.mark.parametrize("blank", ["", "   "], ids=["empty", "spaces"])
def test_blank_optional_text_means_not_given(build: Callable[[str], c.Command], attr: str,
                                             field: str, limit: int, blank: str) -> None:
    assert getattr(build(blank), attr) is None


@pytest.mark.parametrize(("build", "attr", "field", "limit"), OPTIONAL_CASES)
def test_optional_text_over_its_limit_is_refused(build: Callable[[str], c.Command], attr: str,
                                                 field: str, limit: int) -> None:
    with pytest.raises(ValidationFailed, match=f"at most {limit} characters") as info:
        build("y" * (limit + 1))
    assert info.value.field == field


def test_text_is_stored_stripped() -> None:
    command = submit(title="  Virtual rounds \n", problem=" waits ", proposal="\tvideo ",
                     site=" Royal Glamorgan ")
    assert (command.title, command.problem, command.proposal, command.site) == (
        "Virtual rounds", "waits", "video", "Royal Glamorgan")


def test_text_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="title: must be text"):
        submit(title=42)


# -- tags, team, staff group ----------------------------------------------------------------------
def test_more_than_the_maximum_number_of_tags_is_refused() -> None:
    with pytest.raises(ValidationFailed, match=f"at most {v.TAGS_MAX} tags") as info:
        submit(tags=tuple(f"tag{n}" for n in range(v.TAGS_MAX + 1)))
    assert info.value.field == "tags"


def test_too_many_tags_on_a_revision_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="tags: at most"):
        revise(tags=tuple(f"tag{n}" for n in range(v.TAGS_MAX + 1)))


def test_the_maximum_number_of_tags_is_accepted() -> None:
    assert len(submit(tags=tuple(f"tag{n}" for n in range(v.TAGS_MAX))).tags) == v.TAGS_MAX


def test_tags_are_stripped_lowercased_and_deduplicated_in_order() -> None:
    assert submit(tags=(" Frailty ", "digital", "FRAILTY", "Wards")).tags == (
        "frailty", "digital", "wards")


def test_a_team_of_more_than_fifty_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="at most 50 members") as info:
        c.AssignOwner(innovation_id=ID, owner="o", team=tuple(f"p{n}" for n in range(51)))
    assert info.value.field == "team"


def test_team_members_are_deduplicated() -> None:
    command = c.AssignOwner(innovation_id=ID, owner="o", team=("p1", "p2", "p1"))
    assert command.team == ("p1", "p2")


# Owners and team members are people's opaque ids: the subject rule, as for a token's ``sub``.
SUBJECT_FIELDS = [
    pytest.param(lambda t: c.AssignOwner(innovation_id=ID, owner=t), "owner", id="owner"),
    pytest.param(lambda t: c.AssignOwner(innovation_id=ID, owner="o", team=("p1", t)), "team",
                 id="team"),
]


@pytest.mark.parametrize(("build", "field"), SUBJECT_FIELDS)
@pytest.mark.parametrize(("bad", "reason"), [
    ("", "must not be empty"), ("x" * (v.SUBJECT_MAX + 1), "at most 255 characters"),
    (" person-1", "must not begin or end with space"), ("person-1\n", "begin or end"),
    ("person\t1", "U\\+0009"), ("person\u200b1", "U\\+200B"),
], ids=["empty", "long", "leading-space", "trailing-newline", "tab", "zero-width"])
def test_a_person_id_that_breaks_the_subject_rule_is_refused(
        build: Callable[[str], c.Command], field: str, bad: str, reason: str) -> None:
    with pytest.raises(ValidationFailed, match=reason) as info:
        build(bad)
    assert info.value.field == field


@pytest.mark.parametrize(("build", "field"), SUBJECT_FIELDS)
def test_a_person_id_at_the_subject_limit_is_kept_exactly(build: Callable[[str], c.Command],
                                                          field: str) -> None:
    ident = "auth0|" + "x" * (v.SUBJECT_MAX - 6)
    command = build(ident)
    assert ident in (command.owner, *command.team)  # type: ignore[attr-defined]


def test_unknown_staff_group_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="must be one of: nursing_and_midwifery") as info:
        submit(staff_group="surgeons")
    assert info.value.field == "staff_group"


@pytest.mark.parametrize("group", STAFF_GROUPS)
def test_every_known_staff_group_is_accepted(group: str) -> None:
    assert submit(staff_group=group).staff_group == group


# -- scores ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("score", [-1, 6, 100], ids=str)
def test_a_score_outside_zero_to_five_is_refused(score: int) -> None:
    with pytest.raises(ValidationFailed, match=f"SAFETY must be scored 0 to 5, not {score}"
                       ) as info:
        evaluation(scores=((Criterion.SAFETY, score),))
    assert info.value.field == "scores"


@pytest.mark.parametrize("score", [2.5, 3.0, "4", None, True, False], ids=repr)
def test_a_score_that_is_not_a_whole_number_is_refused(score: object) -> None:
    with pytest.raises(ValidationFailed, match="must be scored 0 to 5"):
        evaluation(scores=((Criterion.PATIENT_OUTCOMES, 3), (Criterion.SAFETY, score)))


@pytest.mark.parametrize("score", [0, 5])
def test_scores_at_the_ends_of_the_scale_are_accepted(score: int) -> None:
    assert evaluation(scores=((Criterion.SAFETY, score),)).scores == ((Criterion.SAFETY, score),)


def test_a_criterion_scored_twice_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="SAFETY is scored twice") as info:
        evaluation(scores=((Criterion.SAFETY, 3), (Criterion.RISK, 2), (Criterion.SAFETY, 3)))
    assert info.value.field == "scores"


def test_an_evaluation_without_scores_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="score at least one criterion"):
        evaluation(scores=())


def test_scores_are_kept_in_criterion_order() -> None:
    command = evaluation(scores=((Criterion.SCALABILITY, 1), (Criterion.EFFICIENCY_AND_VALUE, 2)))
    assert command.scores == ((Criterion.EFFICIENCY_AND_VALUE, 2), (Criterion.SCALABILITY, 1))


# -- money ----------------------------------------------------------------------------------------
BAD_MONEY = [
    pytest.param("-0.01", "must not be negative", id="negative"),
    pytest.param(Decimal("-5"), "must not be negative", id="negative-decimal"),
    pytest.param(-3, "must not be negative", id="negative-int"),
    pytest.param("ten pounds", "is not an amount of money", id="words"),
    pytest.param("", "is not an amount of money", id="empty"),
    pytest.param(True, "must be an amount of money", id="bool"),
    pytest.param("NaN", "not an amount of money", id="nan-text"),  # text: digits only
    pytest.param(Decimal("Infinity"), "must be a finite amount", id="infinity"),
    pytest.param(float("inf"), "must be a finite amount", id="float-inf"),
    pytest.param(float("nan"), "must be a finite amount", id="float-nan"),
    pytest.param("1.005", "at most two decimal places", id="three-decimals"),
    pytest.param(Decimal("0.001"), "at most two decimal places", id="a-tenth-of-a-penny"),
    pytest.param(0.1 + 0.2, "at most two decimal places", id="float-noise"),
    pytest.param("1000000000.01", "must be at most 1000000000", id="over-the-maximum"),
]


@pytest.mark.parametrize(("amount", "message"), BAD_MONEY)
def test_estimated_cost_that_is_not_money_is_refused(amount: object, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message) as info:
        evaluation(estimated_cost=amount)
    assert info.value.field == "estimated_cost"


@pytest.mark.parametrize(("amount", "message"), BAD_MONEY)
def test_funding_amount_that_is_not_money_is_refused(amount: object, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message) as info:
        funding(amount=amount)
    assert info.value.field == "amount"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("12.5", "12.50"), (7, "7.00"), (Decimal("1E+3"), "1000.00"), ("0", "0.00"),
     ("1000000000", "1000000000.00"), (19.99, "19.99")],
    ids=str,
)
def test_money_is_kept_in_pence(amount: object, expected: str) -> None:
    cost = evaluation(estimated_cost=amount).estimated_cost
    assert cost == Decimal(expected)
    assert str(cost) == expected


@pytest.mark.parametrize("amount", ["0", "0.00", Decimal(0), 0])
def test_zero_funding_is_refused(amount: object) -> None:
    with pytest.raises(ValidationFailed, match="funding must be more than zero") as info:
        funding(amount=amount)
    assert info.value.field == "amount"


def test_a_penny_of_funding_is_accepted() -> None:
    assert funding(amount="0.01").amount == Decimal("0.01")


# -- dates ----------------------------------------------------------------------------------------
def test_funding_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="ends_on: must not be before starts_on") as info:
        funding(starts_on=LATER, ends_on=DAY)
    assert info.value.field == "ends_on"


def test_funding_may_end_on_the_day_it_starts_or_be_open_ended() -> None:
    assert funding(starts_on=DAY, ends_on=DAY).ends_on == DAY
    assert funding(starts_on=DAY, ends_on=None).ends_on is None


def test_a_challenge_closing_before_it_opens_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="closes_on: must not be before opens_on") as info:
        challenge(opens_on=LATER, closes_on=DAY)
    assert info.value.field == "closes_on"


def test_a_challenge_may_open_and_close_on_one_day() -> None:
    assert challenge(opens_on=DAY, closes_on=DAY).closes_on == DAY


def test_a_batch_of_observations_with_a_date_twice_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="a date appears twice in one batch") as info:
        c.RecordObservations(measure_id=ID, observations=(
            c.ObservationInput(on=DAY, value=1.0), c.ObservationInput(on=LATER, value=2.0),
            c.ObservationInput(on=DAY, value=1.0)))
    assert info.value.field == "observations"


def test_a_batch_of_observations_on_different_dates_is_accepted() -> None:
    command = c.RecordObservations(measure_id=ID, observations=(
        c.ObservationInput(on=DAY, value=1.0), c.ObservationInput(on=LATER, value=1.0)))
    assert len(command.observations) == 2


# -- idempotency keys -----------------------------------------------------------------------------
def test_an_over_long_idempotency_key_is_refused() -> None:
    with pytest.raises(ValidationFailed, match=f"at most {v.IDEMPOTENCY_KEY_MAX} characters"
                       ) as info:
        v.idempotency_key("k" * (v.IDEMPOTENCY_KEY_MAX + 1))
    assert info.value.field == "idempotency_key"


@pytest.mark.parametrize("key", ["", "   "], ids=["empty", "blank"])
def test_a_blank_idempotency_key_is_refused(key: str) -> None:
    with pytest.raises(ValidationFailed, match="idempotency_key: must not be empty"):
        v.idempotency_key(key)


def test_an_idempotency_key_is_optional_and_stripped() -> None:
    assert v.idempotency_key(None) is None
    assert v.idempotency_key(" k" * 50) == ("k " * 50).strip()
    assert v.idempotency_key("k" * v.IDEMPOTENCY_KEY_MAX) == "k" * v.IDEMPOTENCY_KEY_MAX


# -- fingerprints ---------------------------------------------------------------------------------
def _equal_pairs() -> list[tuple[c.Command, c.Command]]:
    thresholds = Thresholds(team_max_cost=Decimal("500"))
    return [
        (submit(), submit()),
        (submit(title=" Virtual ward rounds "), submit()),  # the same request once stripped
        (submit(tags=("A", "b", "a")), submit(tags=("a", "b"))),
        (evaluation(scores=((Criterion.SAFETY, 4), (Criterion.PATIENT_OUTCOMES, 3))),
         evaluation(scores=((Criterion.PATIENT_OUTCOMES, 3), (Criterion.SAFETY, 4)))),
        (evaluation(estimated_cost="1000"), evaluation(estimated_cost=Decimal("1000.00"))),
        (c.RegisterOrganisation(name="n", kind=OrganisationKind.TRUST, thresholds=thresholds),
         c.RegisterOrganisation(name="n", kind=OrganisationKind.TRUST,
                                thresholds=Thresholds(team_max_cost=Decimal("500")))),
        (c.RecordObservations(measure_id=ID, observations=(c.ObservationInput(DAY, 1.5),)),
         c.RecordObservations(measure_id=ID, observations=(c.ObservationInput(DAY, 1.5),))),
    ]


def _different_pairs() -> list[tuple[c.Command, c.Command]]:
    return [
        (submit(), submit(title="Another idea")),
        (submit(), submit(innovation_class=InnovationClass.INNOVATION)),
        (submit(), submit(challenge_id=uuid4())),
        (submit(tags=("a",)), submit(tags=("b",))),
        (c.AcceptIdea(innovation_id=ID, reason="r"), c.DeclineIdea(innovation_id=ID, reason="r")),
        (c.AcceptIdea(innovation_id=ID, reason="r"),
         c.AcceptIdea(innovation_id=OTHER_ID, reason="r")),
        (evaluation(scores=((Criterion.SAFETY, 4),)), evaluation(scores=((Criterion.SAFETY, 5),))),
        (evaluation(estimated_cost="1000"), evaluation(estimated_cost="1000.01")),
        (evaluation(risk=Risk.LOW), evaluation(risk=Risk.HIGH)),
        (funding(ends_on=None), funding(ends_on=LATER)),
        (c.RegisterOrganisation(name="n", kind=OrganisationKind.TRUST),
         c.RegisterOrganisation(name="n", kind=OrganisationKind.TRUST,
                                thresholds=Thresholds(team_max_cost=Decimal("500")))),
        (c.RecordObservations(measure_id=ID, observations=(c.ObservationInput(DAY, 1.5),)),
         c.RecordObservations(measure_id=ID, observations=(c.ObservationInput(LATER, 1.5),))),
        (c.DecideAdoption(innovation_id=ID, outcome=DecisionOutcome.ADOPT,
                          authority=Authority.TEAM, rationale="r"),
         c.DecideAdoption(innovation_id=ID, outcome=DecisionOutcome.ADOPT,
                          authority=Authority.BOARD, rationale="r")),
    ]


@pytest.mark.parametrize(("first", "second"), _equal_pairs())
def test_equal_commands_have_equal_fingerprints(first: c.Command, second: c.Command) -> None:
    assert first.fingerprint() == second.fingerprint()


@pytest.mark.parametrize(("first", "second"), _different_pairs())
def test_different_commands_have_different_fingerprints(first: c.Command,
                                                        second: c.Command) -> None:
    assert first.fingerprint() != second.fingerprint()


def test_a_fingerprint_is_a_sha256_hex_digest() -> None:
    digest = submit().fingerprint()
    assert len(digest) == 64
    assert int(digest, 16) >= 0


def test_a_fingerprint_does_not_depend_on_the_process() -> None:
    # Stored with idempotency records, so it must be stable across runs and releases: the
    # digest of {"command":"AcceptIdea","innovation_id":"00000000-...-000000000001",
    # "reason":"fits"} with sorted keys is pinned here.
    command = c.AcceptIdea(innovation_id=UUID(int=1), reason=" fits ")
    assert command.fingerprint() == (
        "62562e9ad1e5658f26471d200743791b34cb9cc29e3fb26483c0f35a1cf82fc4")


def test_registering_sites_that_differ_only_in_case_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="different name") as refused:
        c.RegisterOrganisation(name="Cwm Taf", kind=OrganisationKind.TRUST,
                               sites=("Prince Charles", "prince charles"))
    assert refused.value.field == "sites"


def test_negative_zero_money_is_stored_as_zero() -> None:
    assert str(v.money("m", "-0")) == "0.00"


@pytest.mark.parametrize("bad", ["nul\x00byte", "bell\x07", "escape\x1b[31m", "del\x7f"])
def test_text_with_control_characters_is_refused(bad: str) -> None:
    with pytest.raises(ValidationFailed, match="a control character") as refused:
        c.SubmitIdea(title=bad, problem="p", proposal="q")
    assert refused.value.field == "title"


def test_tabs_and_newlines_are_allowed_in_text() -> None:
    assert c.SubmitIdea(title="t", problem="line one\n\tline two\r\n", proposal="q").problem \
        == "line one\n\tline two"


def test_every_text_field_of_every_command_is_declared_with_a_checked_kind() -> None:
    """A command's text reaches the log as given unless its field has a kind from
    ``lifecycle/checks.py``: a bare ``str`` field would skip the text policy."""
    everything = [getattr(c, name) for name in c.__all__]
    commands = [k for k in everything if isinstance(k, type) and issubclass(k, c.Command)]
    assert len(commands) > 30
    for command in commands:
        hints = typing.get_type_hints(command, include_extras=True)
        for field in dataclasses.fields(command):
            kind = hints[field.name]
            if kind in (str, str | None):
                pytest.fail(f"{command.__name__}.{field.name} is text with no checked kind")
