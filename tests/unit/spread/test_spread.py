"""Spread on the innovation aggregate: sharing and revoking, adoptions at sites, embedding.

The aggregate is built in memory (no store), given earlier commands
(tests/unit/innovations/steps.py), when one command, then the events it left pending (or the
refusal, with nothing left pending).
"""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from lifecycle.actor import CommandContext
from lifecycle.errors import InvalidState, NotFound, ValidationFailed
from lifecycle.innovations.innovation import Innovation
from lifecycle.innovations.stage import Stage
from lifecycle.vocabulary import AdoptionStatus, SharingScope
from tests.unit.innovations.steps import (
    DAY,
    EARLIER,
    LATER,
    LEAD,
    ORG,
    PARTNER_LEAD,
    PARTNER_ORG,
    adopted,
    at_stage,
    closed,
    given,
    recorded,
    refused,
    spreading,
    start_adoption,
    submitted,
)


# -- sharing --------------------------------------------------------------------------------------
@pytest.mark.parametrize("stage", list(Stage), ids=str)
def test_share_records_the_partner_and_scope_in_every_stage(stage: Stage) -> None:
    innovation = at_stage(stage)

    innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.SUMMARY)

    event = recorded(innovation, Innovation.SharedWith)
    assert (event.organisation_id, event.scope) == (PARTNER_ORG, "SUMMARY")
    assert innovation.shared_with == {PARTNER_ORG: "SUMMARY"}
    assert innovation.stage is stage


def test_sharing_again_at_a_different_scope_changes_the_scope() -> None:
    innovation = submitted()
    innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.SUMMARY)
    given(innovation)

    innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.FULL)

    assert recorded(innovation, Innovation.SharedWith).scope == "FULL"
    assert innovation.shared_with == {PARTNER_ORG: "FULL"}


def test_sharing_again_at_the_same_scope_is_refused() -> None:
    innovation = submitted()
    innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.FULL)
    given(innovation)

    with refused(innovation, InvalidState, match="already shared"):
        innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.FULL)


def test_sharing_with_the_owning_organisation_is_refused() -> None:
    innovation = submitted()

    with refused(innovation, ValidationFailed, match="already sees its own work") as info:
        innovation.share(LEAD, organisation_id=ORG, scope=SharingScope.FULL)
    assert info.value.field == "organisation_id"
    assert innovation.shared_with == {}


def test_revoke_sharing_removes_the_partner() -> None:
    innovation = closed()
    innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.FULL)
    given(innovation)

    innovation.revoke_sharing(LEAD, organisation_id=PARTNER_ORG, reason="project ended")

    event = recorded(innovation, Innovation.SharingRevoked)
    assert (event.organisation_id, event.reason) == (PARTNER_ORG, "project ended")
    assert innovation.shared_with == {}


def test_revoking_sharing_that_was_never_given_is_refused() -> None:
    innovation = submitted()

    with refused(innovation, InvalidState, match="not shared with that organisation"):
        innovation.revoke_sharing(LEAD, organisation_id=PARTNER_ORG, reason="r")


def shared_in_full(innovation: Innovation, organisation: UUID = PARTNER_ORG) -> Innovation:
    innovation.share(LEAD, organisation_id=organisation, scope=SharingScope.FULL)
    return given(innovation)


def test_revoking_sharing_from_a_partner_with_a_live_adoption_is_refused() -> None:
    innovation = shared_in_full(adopted())
    start_adoption(innovation, organisation=PARTNER_ORG, site=None, ctx=PARTNER_LEAD)
    given(innovation)

    with refused(innovation, InvalidState, match="live adoption; abandon it first"):
        innovation.revoke_sharing(LEAD, organisation_id=PARTNER_ORG, reason="r")
    assert PARTNER_ORG in innovation.shared_with


def test_revoking_sharing_after_the_partner_abandoned_its_adoption_is_allowed() -> None:
    innovation = shared_in_full(adopted())
    adoption_id = start_adoption(innovation, organisation=PARTNER_ORG, site=None,
                                 ctx=PARTNER_LEAD)
    innovation.abandon_adoption(PARTNER_LEAD, adoption_id=adoption_id, reason="no staff",
                                abandoned_on=LATER)
    given(innovation)

    innovation.revoke_sharing(LEAD, organisation_id=PARTNER_ORG, reason="adoption ended")

    recorded(innovation, Innovation.SharingRevoked)
    assert innovation.shared_with == {}


# -- spread ---------------------------------------------------------------------------------------
def test_first_adoption_moves_adopted_to_spreading() -> None:
    innovation = adopted()
    adoption_id = uuid4()

    innovation.start_adoption(LEAD, adoption_id=adoption_id, organisation_id=ORG,
                              site="Prince Charles", adaptation="evening rounds",
                              started_on=DAY)

    event = recorded(innovation, Innovation.AdoptionStarted)
    assert event.adoption_id == adoption_id
    assert (event.organisation_id, event.site) == (ORG, "Prince Charles")
    assert (event.adaptation, event.started_on) == ("evening rounds", DAY)
    assert innovation.stage is Stage.SPREADING
    assert innovation.adoptions[adoption_id]["status"] is AdoptionStatus.STARTED
    assert innovation.shared_with == {}  # the owner needs no sharing


def test_adoption_by_a_partner_it_is_shared_with_in_full_records_only_the_adoption() -> None:
    innovation = shared_in_full(adopted())

    adoption_id = start_adoption(innovation, organisation=PARTNER_ORG, site=None,
                                 ctx=PARTNER_LEAD)

    started = recorded(innovation, Innovation.AdoptionStarted)
    assert (started.adoption_id, started.organisation_id) == (adoption_id, PARTNER_ORG)
    assert innovation.shared_with == {PARTNER_ORG: "FULL"}


@pytest.mark.parametrize("scope", [None, SharingScope.SUMMARY], ids=["not-shared", "summary"])
@pytest.mark.parametrize("ctx", [PARTNER_LEAD, LEAD], ids=["by-the-partner", "by-the-owner"])
def test_another_organisation_adopts_only_what_is_shared_with_it_in_full_and_gains_nothing(
        scope: SharingScope | None, ctx: CommandContext) -> None:
    innovation = adopted()
    if scope is not None:
        innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=scope)
    given(innovation)
    before = dict(innovation.shared_with)

    with refused(innovation, InvalidState, match="adopts only an innovation shared with it in "
                                                 "full"):
        start_adoption(innovation, organisation=PARTNER_ORG, site=None, ctx=ctx)
    assert innovation.shared_with == before


def test_abandoning_an_adoption_leaves_the_share_as_its_owner_set_it() -> None:
    innovation = shared_in_full(adopted())
    adoption_id = start_adoption(innovation, organisation=PARTNER_ORG, site=None,
                                 ctx=PARTNER_LEAD)
    innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.SUMMARY)
    given(innovation)

    innovation.abandon_adoption(PARTNER_LEAD, adoption_id=adoption_id, reason="no staff",
                                abandoned_on=LATER)

    recorded(innovation, Innovation.AdoptionAbandoned)
    assert innovation.shared_with == {PARTNER_ORG: "SUMMARY"}


@pytest.mark.parametrize("stage", [Stage.SPREADING, Stage.EMBEDDED], ids=str)
def test_later_adoptions_keep_the_stage(stage: Stage) -> None:
    innovation = at_stage(stage)

    start_adoption(innovation, site="Royal Glamorgan")

    recorded(innovation, Innovation.AdoptionStarted)
    assert innovation.stage is stage
    assert len(innovation.adoptions) == 2


def test_a_second_live_adoption_at_the_same_site_is_refused() -> None:
    innovation, _ = spreading()

    with refused(innovation, InvalidState, match="already has a live adoption"):
        start_adoption(innovation, site="Prince Charles")


def test_a_site_may_adopt_again_after_abandoning() -> None:
    innovation, adoption_id = spreading()
    innovation.abandon_adoption(LEAD, adoption_id=adoption_id, reason="staff left",
                                abandoned_on=LATER)
    given(innovation)

    again = start_adoption(innovation, site="Prince Charles")

    assert recorded(innovation, Innovation.AdoptionStarted).adoption_id == again


def test_sustain_adoption_records_that_it_lasted() -> None:
    innovation, adoption_id = spreading()

    innovation.sustain_adoption(LEAD, adoption_id=adoption_id, reason="a year on",
                                sustained_on=LATER)

    event = recorded(innovation, Innovation.AdoptionSustained)
    assert (event.adoption_id, event.reason, event.sustained_on) == (adoption_id, "a year on",
                                                                    LATER)
    assert innovation.adoptions[adoption_id]["status"] is AdoptionStatus.SUSTAINED
    assert innovation.stage is Stage.SPREADING


def test_sustaining_an_unknown_adoption_is_refused() -> None:
    innovation, _ = spreading()
    unknown = uuid4()

    with refused(innovation, NotFound, match=f"adoption {unknown} does not exist"):
        innovation.sustain_adoption(LEAD, adoption_id=unknown, reason="r", sustained_on=LATER)


def test_sustaining_an_abandoned_adoption_is_refused() -> None:
    innovation, adoption_id = spreading()
    innovation.abandon_adoption(LEAD, adoption_id=adoption_id, reason="r", abandoned_on=LATER)
    given(innovation)

    with refused(innovation, InvalidState, match="was abandoned"):
        innovation.sustain_adoption(LEAD, adoption_id=adoption_id, reason="r",
                                    sustained_on=LATER)


def test_sustaining_an_adoption_twice_is_refused() -> None:
    innovation, adoption_id = spreading()
    innovation.sustain_adoption(LEAD, adoption_id=adoption_id, reason="r", sustained_on=LATER)
    given(innovation)

    with refused(innovation, InvalidState, match="already sustained"):
        innovation.sustain_adoption(LEAD, adoption_id=adoption_id, reason="r",
                                    sustained_on=LATER)


def test_sustaining_before_the_adoption_started_is_refused() -> None:
    innovation, adoption_id = spreading()

    with refused(innovation, ValidationFailed, match="before the adoption started") as info:
        innovation.sustain_adoption(LEAD, adoption_id=adoption_id, reason="r",
                                    sustained_on=EARLIER)
    assert info.value.field == "sustained_on"


def test_abandon_adoption_records_why() -> None:
    innovation, adoption_id = spreading()

    innovation.abandon_adoption(LEAD, adoption_id=adoption_id, reason="no local champion",
                                abandoned_on=LATER)

    event = recorded(innovation, Innovation.AdoptionAbandoned)
    assert (event.adoption_id, event.reason, event.abandoned_on) == (
        adoption_id, "no local champion", LATER)
    assert innovation.adoptions[adoption_id]["status"] is AdoptionStatus.ABANDONED
    assert innovation.stage is Stage.SPREADING


def test_a_sustained_adoption_may_later_be_abandoned() -> None:
    innovation, adoption_id = spreading()
    innovation.sustain_adoption(LEAD, adoption_id=adoption_id, reason="r", sustained_on=LATER)
    given(innovation)

    innovation.abandon_adoption(LEAD, adoption_id=adoption_id, reason="r", abandoned_on=LATER)

    recorded(innovation, Innovation.AdoptionAbandoned)
    assert innovation.adoptions[adoption_id]["status"] is AdoptionStatus.ABANDONED


def test_abandoning_an_unknown_adoption_is_refused() -> None:
    innovation, _ = spreading()

    with refused(innovation, NotFound, match="adoption .* does not exist"):
        innovation.abandon_adoption(LEAD, adoption_id=uuid4(), reason="r", abandoned_on=LATER)


def test_abandoning_an_adoption_twice_is_refused() -> None:
    innovation, adoption_id = spreading()
    innovation.abandon_adoption(LEAD, adoption_id=adoption_id, reason="r", abandoned_on=LATER)
    given(innovation)

    with refused(innovation, InvalidState, match="was abandoned"):
        innovation.abandon_adoption(LEAD, adoption_id=adoption_id, reason="r",
                                    abandoned_on=LATER)


def test_abandoning_before_the_adoption_started_is_refused() -> None:
    innovation, adoption_id = spreading()

    with refused(innovation, ValidationFailed, match="before the adoption started") as info:
        innovation.abandon_adoption(LEAD, adoption_id=adoption_id, reason="r",
                                    abandoned_on=EARLIER)
    assert info.value.field == "abandoned_on"
    assert innovation.adoptions[adoption_id]["status"] is AdoptionStatus.STARTED


@pytest.mark.parametrize("stage", [Stage.ADOPTED, Stage.SPREADING], ids=str)
def test_embed_records_the_innovation_as_embedded(stage: Stage) -> None:
    innovation = at_stage(stage)

    innovation.embed(LEAD, reason="in the standard operating procedure")

    event = recorded(innovation, Innovation.InnovationEmbedded)
    assert event.reason == "in the standard operating procedure"
    assert innovation.stage is Stage.EMBEDDED
