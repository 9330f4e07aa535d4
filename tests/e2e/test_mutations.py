"""Every command as a GraphQL mutation, over real HTTP: an innovation's whole lifecycle, each typed
refusal, idempotent replays, and the organisation, challenge and measure mutations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from lifecycle import commands as c
from lifecycle.actor import Actor, Authority, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.governance.authority import DecisionOutcome, Risk
from lifecycle.handlers import HANDLERS
from lifecycle.innovations.innovation import Innovation
from lifecycle.vocabulary import Criterion, EvaluationMethod, PrototypeOutcome
from schema import positions
from tests.conftest import ADMIN, member, new_organisation
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
ORGANISATION = """... on OrganisationChange {
    position replayed organisation { id name kind sites thresholds { teamMaxCost } } }"""
CHALLENGE = """... on ChallengeChange {
    position replayed challenge { id title opensOn closesOn closed closedReason } }"""
MEASURE = """... on MeasureChange {
    position replayed measure { id chart observationCount phases } }"""


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


@pytest.fixture(scope="module")
def trust(app: LifecycleApplication) -> Trust:
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


# -- the whole lifecycle ---------------------------------------------------------------------------
def test_an_innovation_walks_from_idea_to_embedded_practice(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    seen: list[int] = []

    def step(actor: Actor, name: str, typename: str, stage: str, extra: str = "",
             **input: Any) -> dict[str, Any]:
        payload = mutate(live, actor, name, INNOVATION + extra, **input)
        assert payload["__typename"] == typename, payload
        assert payload["innovation"]["stage"] == stage
        assert payload["replayed"] is False
        position = at(app, payload)
        assert position == app.store.head()  # the position of the command's last event
        assert not seen or position > seen[-1]
        seen.append(position)
        return payload

    ident = submit(live, trust.staff, site="Ysbyty Gwynedd")
    step(trust.lead, "acceptIdea", "IdeaAccepted", "CONCEPT", innovationId=ident,
         reason="Fits the flow programme")
    started = step(trust.lead, "startPrototype", "PrototypeStarted", "PROTOTYPING",
                   "... on PrototypeStarted { prototypeId }", innovationId=ident,
                   title="Lounge pilot", hypothesis="Beds free two hours earlier",
                   plan="Four weeks on two wards", startedOn="2025-01-06")
    step(trust.lead, "completePrototype", "PrototypeCompleted", "PROTOTYPING",
         innovationId=ident, prototypeId=started["prototypeId"], outcome="SUCCEEDED",
         result="Beds freed 2.5 hours earlier", learning="Pharmacy must come first",
         completedOn="2025-02-03")
    evaluated = step(trust.lead, "recordEvaluation", "EvaluationRecorded", "EVALUATING",
                     "... on EvaluationRecorded { evaluationId }", innovationId=ident,
                     method="SERVICE_EVALUATION",
                     scores=[{"criterion": "PATIENT_OUTCOMES", "score": 4},
                             {"criterion": "EFFICIENCY_AND_VALUE", "score": 5}],
                     evidence="Four-week audit", recommendation="Adopt trust-wide",
                     estimatedCost="48000.00", risk="MEDIUM", evaluatedOn="2025-02-20")
    decision = {"innovationId": ident, "outcome": "ADOPT", "rationale": "Frees beds cheaply",
                "evidence": [evaluated["evaluationId"]]}

    too_low = mutate(live, trust.team_governor, "decideAdoption", INNOVATION,
                     authority="TEAM", **decision)
    assert too_low["__typename"] == "InsufficientAuthorityError"
    # The Authority enum, as Decision.requiredAuthority says it.
    assert (too_low["required"], too_low["taken"]) == ("DIRECTORATE", "TEAM")
    assert app.store.head() == seen[-1]

    decided = step(trust.directorate_governor, "decideAdoption", "AdoptionDecided", "ADOPTED",
                   "... on AdoptionDecided { decisionId }", authority="DIRECTORATE", **decision)
    assert UUID(decided["decisionId"])
    adoption = step(trust.lead, "startAdoption", "AdoptionStarted", "SPREADING",
                    "... on AdoptionStarted { adoptionId }", innovationId=ident,
                    organisationId=str(trust.admin.organisation), site="Glan Clwyd",
                    adaptation="Lounge in the day unit", startedOn="2025-04-01")
    sustained = step(trust.lead, "sustainAdoption", "AdoptionSustained", "SPREADING",
                     "... on AdoptionSustained { adoptionId }", innovationId=ident,
                     adoptionId=adoption["adoptionId"], reason="Six months in use",
                     sustainedOn="2025-10-01")
    assert sustained["adoptionId"] == adoption["adoptionId"]
    embedded = step(trust.lead, "embedInnovation", "InnovationEmbedded", "EMBEDDED",
                    innovationId=ident, reason="Standard practice at two sites")
    assert embedded["innovation"]["version"] == app.repository.get(UUID(ident)).version


def test_triage_and_housekeeping_mutations_each_return_their_fact(
        live: LiveServer, trust: Trust) -> None:
    ident = submit(live, trust.staff)
    partner_org = str(trust.partner.organisation)
    steps: list[tuple[Actor, str, str, str, dict[str, Any]]] = [
        (trust.staff, "reviseIdea", "IdeaRevised", "SUBMITTED",
         {"title": "Discharge lounge", "problem": "Beds blocked", "proposal": "A lounge",
          "tags": ["Flow", "flow"]}),
        (trust.colleague, "endorseIdea", "IdeaEndorsed", "SUBMITTED", {}),
        (trust.lead, "requestInformation", "InformationRequested", "SUBMITTED",
         {"reason": "Which wards?"}),
        (trust.lead, "acceptIdea", "IdeaAccepted", "CONCEPT", {"reason": "Clear now"}),
        (trust.lead, "assignOwner", "OwnerAssigned", "CONCEPT",
         {"owner": trust.lead.subject, "team": [trust.staff.subject]}),
        (trust.lead, "recordInvolvement", "InvolvementRecorded", "CONCEPT",
         {"kind": "PATIENT_PUBLIC", "group": "Patient panel", "description": "Co-design day",
          "involvedOn": "2025-01-15"}),
        (trust.lead, "shareInnovation", "InnovationShared", "CONCEPT",
         {"organisationId": partner_org, "scope": "SUMMARY"}),
        (trust.lead, "revokeSharing", "SharingRevoked", "CONCEPT",
         {"organisationId": partner_org, "reason": "Study ended"}),
        (trust.lead, "parkInnovation", "InnovationParked", "PARKED", {"reason": "Winter"}),
        (trust.lead, "reopenInnovation", "InnovationReopened", "CONCEPT", {"reason": "Spring"}),
        (trust.lead, "closeInnovation", "InnovationClosed", "CLOSED",
         {"reason": "Superseded", "learning": "Start with pharmacy"}),
    ]
    for actor, name, typename, stage, input in steps:
        payload = mutate(live, actor, name, INNOVATION, innovationId=ident, **input)
        assert (payload["__typename"], payload["innovation"]["stage"]) == (typename, stage), name

    comment = mutate(live, trust.colleague, "commentOnIdea",
                     INNOVATION + "... on CommentAdded { commentId }", innovationId=ident,
                     text="Closed, but worth remembering")
    assert comment["__typename"] == "CommentAdded"
    assert UUID(comment["commentId"])


def test_funding_is_recorded_with_an_exact_amount(live: LiveServer, trust: Trust) -> None:
    ident = submit(live, trust.staff)
    funded = mutate(live, trust.lead, "recordFunding",
                    INNOVATION + "... on FundingRecorded { fundingId }", innovationId=ident,
                    source="CHARITY", funder="Health Foundation", amount="12500.50",
                    startsOn="2025-01-01", endsOn="2025-12-31", programme="Q Exchange")
    assert funded["__typename"] == "FundingRecorded"
    assert UUID(funded["fundingId"])
    pence = mutate(live, trust.lead, "recordFunding", INNOVATION, innovationId=ident,
                   source="CHARITY", funder="Health Foundation", amount="1.001",
                   startsOn="2025-01-01")
    assert (pence["__typename"], pence["field"]) == ("ValidationError", "amount")


def test_merged_and_declined_ideas_are_closed(live: LiveServer, trust: Trust) -> None:
    original, duplicate, declined = (submit(live, trust.staff) for _ in range(3))
    merged = mutate(live, trust.lead, "mergeIdea", INNOVATION, innovationId=duplicate,
                    intoId=original, reason="Same idea")
    assert (merged["__typename"], merged["innovation"]["stage"]) == ("IdeaMerged", "CLOSED")
    refused = mutate(live, trust.lead, "declineIdea", INNOVATION, innovationId=declined,
                     reason="Out of scope")
    assert (refused["__typename"], refused["innovation"]["stage"]) == ("IdeaDeclined", "CLOSED")


def test_a_partner_adopts_only_when_shared_in_full_and_adopting_never_changes_the_share(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    ident = str(adopted(app, trust))
    adoption = {"innovationId": ident, "adaptation": "Student clinic", "startedOn": "2025-05-01"}
    unshared = mutate(live, trust.partner, "startAdoption", INNOVATION,
                      organisationId=str(trust.partner.organisation), **adoption)
    assert unshared["__typename"] == "NotFoundError"  # nothing is shared with it yet
    shared = mutate(live, trust.lead, "shareInnovation", INNOVATION, innovationId=ident,
                    organisationId=str(trust.partner.organisation))
    assert shared["__typename"] == "InnovationShared"  # as a summary
    head = app.store.head()
    as_summary = mutate(live, trust.partner, "startAdoption", INNOVATION,
                        organisationId=str(trust.partner.organisation), **adoption)
    assert as_summary["__typename"] == "ForbiddenError"  # it may not grant itself the detail
    assert "shared with your organisation in full" in as_summary["message"]
    assert app.store.head() == head
    assert app.load(Innovation, UUID(ident)).shared_with == {
        trust.partner.organisation: "SUMMARY"}
    mutate(live, trust.lead, "shareInnovation", INNOVATION, innovationId=ident,
           organisationId=str(trust.partner.organisation), scope="FULL")
    for_owner = mutate(live, trust.partner, "startAdoption", INNOVATION,
                       organisationId=str(trust.admin.organisation), **adoption)
    assert for_owner["__typename"] == "ForbiddenError"

    own = mutate(live, trust.partner, "startAdoption",
                 INNOVATION + "... on AdoptionStarted { adoptionId }",
                 organisationId=str(trust.partner.organisation), **adoption)
    assert own["__typename"] == "AdoptionStarted"
    assert own["innovation"]["problem"] == "Long stays"  # shared in full by its owner
    narrowed = mutate(live, trust.lead, "shareInnovation", INNOVATION, innovationId=ident,
                      organisationId=str(trust.partner.organisation), scope="SUMMARY")
    assert narrowed["__typename"] == "InnovationShared"
    abandoned = mutate(live, trust.partner, "abandonAdoption",
                       INNOVATION + "... on AdoptionAbandoned { adoptionId }",
                       innovationId=ident, adoptionId=own["adoptionId"], reason="No staff",
                       abandonedOn="2025-06-01")
    assert abandoned["__typename"] == "AdoptionAbandoned"  # its own adoption, whatever the share
    assert abandoned["adoptionId"] == own["adoptionId"]
    assert abandoned["innovation"]["problem"] is None  # a summary hides the detail
    assert app.load(Innovation, UUID(ident)).shared_with == {
        trust.partner.organisation: "SUMMARY"}


# -- typed refusals --------------------------------------------------------------------------------
def test_anonymous_mutation_is_unauthenticated_before_its_input_is_checked(
        live: LiveServer, app: LifecycleApplication) -> None:
    head = app.store.head()
    body = httpx.post(f"{live.url}/graphql", timeout=10, json={
        "query": "mutation($input: AcceptIdeaInput!) { acceptIdea(input: $input) { __typename } }",
        "variables": {"input": {"innovationId": "not-an-id", "reason": " "}}}).json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert app.store.head() == head


def test_blank_reason_is_a_validation_error_naming_the_field_and_stores_nothing(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    ident = submit(live, trust.staff)
    head = app.store.head()
    payload = mutate(live, trust.lead, "acceptIdea", INNOVATION, innovationId=ident,
                     reason="   ")
    assert (payload["__typename"], payload["field"], payload["code"]) == (
        "ValidationError", "reason", "VALIDATION")
    assert app.store.head() == head


@pytest.mark.parametrize(("name", "input", "field"), [
    ("acceptIdea", {"innovationId": "not-an-id", "reason": "r"}, "innovationId"),
    ("mergeIdea", {"innovationId": str(uuid4()), "intoId": "42", "reason": "r"}, "intoId"),
    ("decideAdoption", {"innovationId": str(uuid4()), "outcome": "ADOPT", "authority": "TEAM",
                        "rationale": "r", "evidence": ["evaluation-1"]}, "evidence"),
])
def test_malformed_id_is_a_validation_error_not_a_crash(
        live: LiveServer, trust: Trust, name: str, input: dict[str, Any], field: str) -> None:
    payload = mutate(live, trust.lead, name, INNOVATION, **input)
    assert (payload["__typename"], payload["field"]) == ("ValidationError", field)


def test_unknown_innovation_is_not_found(live: LiveServer, trust: Trust) -> None:
    missing = str(uuid4())
    payload = mutate(live, trust.lead, "acceptIdea", INNOVATION, innovationId=missing,
                     reason="r")
    assert (payload["__typename"], payload["kind"], payload["ident"]) == (
        "NotFoundError", "innovation", missing)


def test_command_in_the_wrong_stage_says_which_stages_allow_it(
        live: LiveServer, trust: Trust) -> None:
    ident = submit(live, trust.staff)
    payload = mutate(live, trust.lead, "embedInnovation", INNOVATION, innovationId=ident,
                     reason="Too soon")
    assert payload["__typename"] == "WrongStageError"
    assert payload["stage"] == "SUBMITTED"
    assert payload["allowedFrom"] == ["ADOPTED", "SPREADING"]


def test_auditor_writes_nothing(live: LiveServer, trust: Trust) -> None:
    ident = submit(live, trust.staff)
    payload = mutate(live, trust.auditor, "acceptIdea", INNOVATION, innovationId=ident,
                     reason="r")
    assert (payload["__typename"], payload["code"]) == ("ForbiddenError", "FORBIDDEN")


def test_staff_may_not_decide_adoption(live: LiveServer, app: LifecycleApplication,
                                       trust: Trust) -> None:
    ident = str(adopted(app, trust))
    payload = mutate(live, trust.staff, "decideAdoption", INNOVATION, innovationId=ident,
                     outcome="ADOPT", authority="TEAM", rationale="I like it")
    assert payload["__typename"] == "ForbiddenError"


def test_second_endorsement_by_the_same_person_is_invalid_state(
        live: LiveServer, trust: Trust) -> None:
    ident = submit(live, trust.staff)
    assert mutate(live, trust.colleague, "endorseIdea", INNOVATION,
                  innovationId=ident)["__typename"] == "IdeaEndorsed"
    again = mutate(live, trust.colleague, "endorseIdea", INNOVATION, innovationId=ident)
    assert (again["__typename"], again["code"]) == ("InvalidStateError", "INVALID_STATE")


def test_stale_expected_version_is_a_version_conflict(live: LiveServer, trust: Trust) -> None:
    ident = submit(live, trust.staff)
    stale = mutate(live, trust.lead, "acceptIdea", INNOVATION, innovationId=ident, reason="r",
                   expectedVersion=7)
    assert stale["__typename"] == "VersionConflictError"
    assert (stale["expected"], stale["actual"]) == (7, 1)
    fresh = mutate(live, trust.lead, "acceptIdea", INNOVATION, innovationId=ident, reason="r",
                   expectedVersion=1)
    assert (fresh["__typename"], fresh["innovation"]["version"]) == ("IdeaAccepted", 2)


def test_reused_key_for_a_different_change_is_refused(live: LiveServer, trust: Trust) -> None:
    ident, key = submit(live, trust.staff), f"key-{uuid4()}"
    first = mutate(live, trust.staff, "commentOnIdea", INNOVATION, innovationId=ident,
                   text="First", idempotencyKey=key)
    assert first["__typename"] == "CommentAdded"
    other = mutate(live, trust.staff, "commentOnIdea", INNOVATION, innovationId=ident,
                   text="Second", idempotencyKey=key)
    assert (other["__typename"], other["key"]) == ("IdempotencyKeyReusedError", key)


def test_repeating_a_change_with_its_key_replays_it_without_a_second_event(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    ident, key = submit(live, trust.staff), f"key-{uuid4()}"
    first = mutate(live, trust.lead, "acceptIdea", INNOVATION, innovationId=ident,
                   reason="Fits", idempotencyKey=key)
    head = app.store.head()
    again = mutate(live, trust.lead, "acceptIdea", INNOVATION, innovationId=ident,
                   reason="Fits", idempotencyKey=key)
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert again["__typename"] == "IdeaAccepted"
    assert again["position"] == first["position"]
    assert app.store.head() == head
    assert app.repository.get(UUID(ident)).version == 2  # submitted, accepted once


# -- organisations, challenges, measures -----------------------------------------------------------
THRESHOLDS = {"teamMaxCost": "5000", "teamMaxRisk": "LOW", "directorateMaxCost": "50000",
              "directorateMaxRisk": "MEDIUM", "executiveMaxCost": "500000",
              "executiveMaxRisk": "HIGH"}


def test_admin_registers_an_organisation_and_manages_its_sites_and_thresholds(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    key = f"key-{uuid4()}"
    registered = mutate(live, ADMIN, "registerOrganisation", ORGANISATION,
                        name="Aneurin Bevan UHB", kind="HEALTH_BOARD",
                        sites=["Grange University Hospital"], idempotencyKey=key)
    assert registered["__typename"] == "OrganisationRegistered"
    assert registered["organisation"]["kind"] == "HEALTH_BOARD"
    assert registered["organisation"]["thresholds"]["teamMaxCost"] == "10000"
    again = mutate(live, ADMIN, "registerOrganisation", ORGANISATION,
                   name="Aneurin Bevan UHB", kind="HEALTH_BOARD",
                   sites=["Grange University Hospital"], idempotencyKey=key)
    assert again["replayed"] is True
    assert again["organisation"]["id"] == registered["organisation"]["id"]

    org = UUID(registered["organisation"]["id"])
    its_admin = Actor("admin-ab", org, frozenset({Role.ADMIN}))
    site = mutate(live, its_admin, "addSite", ORGANISATION, organisationId=str(org),
                  site="Royal Gwent")
    assert site["organisation"]["sites"] == ["Grange University Hospital", "Royal Gwent"]
    twice = mutate(live, its_admin, "addSite", ORGANISATION, organisationId=str(org),
                   site="royal gwent")
    assert twice["__typename"] == "InvalidStateError"
    not_ours = mutate(live, trust.admin, "addSite", ORGANISATION, organisationId=str(org),
                      site="Nevill Hall")
    assert not_ours["__typename"] == "ForbiddenError"

    changed = mutate(live, its_admin, "changeThresholds", ORGANISATION,
                     organisationId=str(org), thresholds=THRESHOLDS, reason="Board paper 12")
    assert changed["__typename"] == "ThresholdsChanged"
    assert changed["organisation"]["thresholds"]["teamMaxCost"] == "5000"
    # The change is kept with who made it and why, read by the organisation itself only.
    history = """query($at: String) { organisations(consistentWith: $at) {
        id thresholdChanges { thresholds { teamMaxCost } reason decidedBy } } }"""

    def changes_seen_by(actor: Actor) -> Any:
        body = httpx.post(f"{live.url}/graphql", timeout=10,
                          json={"query": history, "variables": {"at": changed["position"]}},
                          headers={"Authorization": f"Bearer {live.token(actor)}"}).json()
        assert "errors" not in body, body
        return next(o["thresholdChanges"] for o in body["data"]["organisations"]
                    if o["id"] == str(org))

    assert changes_seen_by(its_admin) == [{"thresholds": {"teamMaxCost": "5000"},
                                           "reason": "Board paper 12",
                                           "decidedBy": its_admin.subject}]
    assert changes_seen_by(trust.admin) is None
    upside_down = mutate(live, its_admin, "changeThresholds", ORGANISATION,
                         organisationId=str(org), reason="typo",
                         thresholds={**THRESHOLDS, "teamMaxCost": "900000"})
    assert (upside_down["__typename"], upside_down["field"]) == ("ValidationError", "thresholds")


def test_staff_cannot_register_an_organisation(live: LiveServer, trust: Trust) -> None:
    payload = mutate(live, trust.staff, "registerOrganisation", ORGANISATION, name="Rogue",
                     kind="TRUST")
    assert payload["__typename"] == "ForbiddenError"


def test_lead_opens_a_challenge_that_takes_ideas_until_it_is_closed(
        live: LiveServer, trust: Trust) -> None:
    today = date.today()
    backwards = mutate(live, trust.lead, "openChallenge", CHALLENGE, title="Flow",
                       problem="Beds", opensOn=today.isoformat(),
                       closesOn=(today - timedelta(days=1)).isoformat())
    assert (backwards["__typename"], backwards["field"]) == ("ValidationError", "closesOn")
    # the API names every input it mentions as its schema does (the domain says closes_on)
    assert backwards["message"] == "closesOn: must not be before opensOn"
    opened = mutate(live, trust.lead, "openChallenge", CHALLENGE, title="Winter flow",
                    problem="Corridor care", opensOn=today.isoformat(),
                    closesOn=(today + timedelta(days=30)).isoformat())
    assert opened["__typename"] == "ChallengeOpened"
    challenge = opened["challenge"]["id"]
    assert submit(live, trust.staff, challengeId=challenge)

    closed = mutate(live, trust.lead, "closeChallenge", CHALLENGE, challengeId=challenge,
                    reason="Enough ideas")
    assert (closed["__typename"], closed["challenge"]["closed"]) == ("ChallengeClosed", True)
    assert closed["challenge"]["closedReason"] == "Enough ideas"
    late = mutate(live, trust.staff, "submitIdea", "", title="Late", problem="p",
                  proposal="p", challengeId=challenge)
    assert late["__typename"] == "InvalidStateError"
    again = mutate(live, trust.lead, "closeChallenge", CHALLENGE, challengeId=challenge,
                   reason="again")
    assert again["__typename"] == "InvalidStateError"


def test_measure_is_defined_observed_and_given_a_new_phase(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    ident = submit(live, trust.staff)
    defined = mutate(live, trust.lead, "defineMeasure", MEASURE, innovationId=ident,
                     name="Discharges before noon", unit="proportion", better="HIGHER",
                     chart="P", site="Wrexham Maelor")
    assert (defined["__typename"], defined["measure"]["chart"]) == ("MeasureDefined", "P")
    measure = defined["measure"]["id"]
    batch = [{"on": f"2025-01-0{d}", "numerator": d, "denominator": 10} for d in range(1, 6)]
    recorded = mutate(live, trust.lead, "recordObservations", MEASURE, measureId=measure,
                      observations=batch)
    assert recorded["__typename"] == "ObservationsRecorded"
    assert recorded["measure"]["observationCount"] == 5
    head = app.store.head()
    repeated = mutate(live, trust.lead, "recordObservations", MEASURE, measureId=measure,
                      observations=batch)
    assert repeated["position"] == recorded["position"]
    assert app.store.head() == head

    no_denominator = mutate(live, trust.lead, "recordObservations", MEASURE, measureId=measure,
                            observations=[{"on": "2025-01-09", "numerator": 3}])
    assert (no_denominator["__typename"], no_denominator["field"]) == (
        "ValidationError", "observations[2025-01-09]")
    phase = mutate(live, trust.lead, "startPhase", MEASURE, measureId=measure,
                   startsOn="2025-01-04", description="Lounge opened", reason="Change made")
    assert (phase["__typename"], phase["measure"]["phases"]) == ("PhaseStarted", ["2025-01-04"])
    earlier = mutate(live, trust.lead, "startPhase", MEASURE, measureId=measure,
                     startsOn="2025-01-02", description="x", reason="y")
    assert earlier["__typename"] == "InvalidStateError"
    malformed = mutate(live, trust.lead, "startPhase", MEASURE, measureId="measure-1",
                       startsOn="2025-01-02", description="x", reason="y")
    assert (malformed["__typename"], malformed["field"]) == ("ValidationError", "measureId")


# -- the contract ----------------------------------------------------------------------------------
INTROSPECT = """{ __schema {
  mutationType { fields { name args { name type { ofType { name } } } type { ofType { name } } } }
  types { name kind inputFields { name type { kind } } possibleTypes { name }
          fields { name type { kind ofType { name } } } } } }"""
ERROR_TYPES = {"ValidationError", "NotFoundError", "WrongStageError", "InvalidStateError",
               "InsufficientAuthorityError", "ForbiddenError", "VersionConflictError",
               "IdempotencyKeyReusedError"}


def test_every_command_is_a_mutation_returning_its_fact_or_a_typed_error(
        live: LiveServer, trust: Trust) -> None:
    body = httpx.post(f"{live.url}/graphql", json={"query": INTROSPECT}, timeout=10).json()
    types = {t["name"]: t for t in body["data"]["__schema"]["types"]}
    fields = {f["name"]: f for f in body["data"]["__schema"]["mutationType"]["fields"]}
    for command in HANDLERS:
        name = command.__name__[0].lower() + command.__name__[1:]
        field = fields[name]
        (arg,) = field["args"]
        assert (arg["name"], arg["type"]["ofType"]["name"]) == ("input", f"{command.__name__}Input")
        inputs = {f["name"]: f["type"]["kind"] for f in types[f"{command.__name__}Input"][
            "inputFields"]}
        assert inputs["idempotencyKey"] == "SCALAR"
        assert ("expectedVersion" in inputs) is (command.address is not None), name
        payload = types[field["type"]["ofType"]["name"]]
        assert (payload["kind"], payload["name"]) == ("UNION", f"{command.__name__}Payload")
        members = {t["name"] for t in payload["possibleTypes"]}
        (success,) = members - ERROR_TYPES
        assert members - {success} == ERROR_TYPES
        shape = {f["name"]: (f["type"]["kind"], f["type"]["ofType"]["name"])
                 for f in types[success]["fields"]}
        assert shape["position"] == ("NON_NULL", "String"), name
        assert shape["replayed"] == ("NON_NULL", "Boolean"), name
