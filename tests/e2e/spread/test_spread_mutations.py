"""Spread's mutations over real HTTP: a partner adopts only what is shared with it in full,
and adopting never changes the share.

Each module of mutations over real HTTP runs with a trust of its own (``build_trust`` of
tests/e2e/mutating.py, registered as the module's ``trust`` fixture)."""

from __future__ import annotations

from uuid import UUID

import pytest

from lifecycle.application import LifecycleApplication
from lifecycle.innovations.innovation import Innovation
from tests.e2e.conftest import LiveServer
from tests.e2e.mutating import INNOVATION, Trust, adopted, build_trust, mutate

trust = pytest.fixture(scope="module")(build_trust)


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
