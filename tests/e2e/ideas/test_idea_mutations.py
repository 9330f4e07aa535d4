"""An idea's mutations over real HTTP: triage and housekeeping each return their fact, merged
and declined ideas are closed.

Each module of mutations over real HTTP runs with a trust of its own (``build_trust`` of
tests/e2e/mutating.py, registered as the module's ``trust`` fixture)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from lifecycle.actor import Actor
from tests.e2e.conftest import LiveServer
from tests.e2e.mutating import INNOVATION, Trust, build_trust, mutate, submit

trust = pytest.fixture(scope="module")(build_trust)


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


def test_merged_and_declined_ideas_are_closed(live: LiveServer, trust: Trust) -> None:
    original, duplicate, declined = (submit(live, trust.staff) for _ in range(3))
    merged = mutate(live, trust.lead, "mergeIdea", INNOVATION, innovationId=duplicate,
                    intoId=original, reason="Same idea")
    assert (merged["__typename"], merged["innovation"]["stage"]) == ("IdeaMerged", "CLOSED")
    refused = mutate(live, trust.lead, "declineIdea", INNOVATION, innovationId=declined,
                     reason="Out of scope")
    assert (refused["__typename"], refused["innovation"]["stage"]) == ("IdeaDeclined", "CLOSED")
