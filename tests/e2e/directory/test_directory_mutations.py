"""The directory's mutations over real HTTP: organisations (their sites and thresholds) and
challenges.

Each module of mutations over real HTTP runs with a trust of its own (``build_trust`` of
tests/e2e/mutating.py, registered as the module's ``trust`` fixture)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from lifecycle.actor import Actor, Role
from lifecycle.application import LifecycleApplication
from tests.conftest import ADMIN
from tests.e2e.conftest import LiveServer
from tests.e2e.mutating import Trust, build_trust, mutate, submit

trust = pytest.fixture(scope="module")(build_trust)


ORGANISATION = """... on OrganisationChange {
    position replayed organisation { id name kind sites thresholds { teamMaxCost } } }"""
CHALLENGE = """... on ChallengeChange {
    position replayed challenge { id title opensOn closesOn closed closedReason } }"""


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
