"""An idea's commands on the innovation aggregate: revise, endorse, comment, triage (accept,
ask, merge, decline), owners and involvement.

The aggregate is built in memory (no store), given earlier commands
(tests/unit/innovations/steps.py), when one command, then the events it left pending (or the
refusal, with nothing left pending).
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest

from lifecycle.actor import Role
from lifecycle.errors import InvalidState, ValidationFailed
from lifecycle.innovations.innovation import Innovation
from lifecycle.innovations.stage import Stage
from tests.unit.innovations.steps import (
    COLLEAGUE,
    DAY,
    LEAD,
    NOT_CLOSED,
    OPEN,
    OTHER_ORG,
    SUBMITTER,
    adopted,
    at_stage,
    closed,
    context,
    given,
    in_concept,
    recorded,
    refused,
    submit,
    submitted,
)


# -- revise ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("build", [submitted, in_concept], ids=["SUBMITTED", "CONCEPT"])
def test_revise_records_the_new_text_and_keeps_the_stage(build: Callable[[], Innovation]) -> None:
    innovation = build()
    stage = innovation.stage

    innovation.revise(SUBMITTER, title="New title", problem="New problem",
                      proposal="New proposal", tags=("wards",))

    event = recorded(innovation, Innovation.IdeaRevised)
    assert (event.title, event.problem, event.proposal, event.tags) == (
        "New title", "New problem", "New proposal", ["wards"])
    assert (innovation.title, innovation.problem, innovation.proposal) == (
        "New title", "New problem", "New proposal")
    assert innovation.tags == ["wards"]
    assert innovation.stage is stage


# -- endorse and comment ---------------------------------------------------------------------------
@pytest.mark.parametrize("stage", sorted(OPEN), ids=str)
def test_endorse_records_the_endorser_in_any_open_stage(stage: Stage) -> None:
    innovation = at_stage(stage)

    innovation.endorse(COLLEAGUE)

    event = recorded(innovation, Innovation.IdeaEndorsed)
    assert event.actor == "staff-colleague"
    assert innovation.endorsers == {"staff-colleague"}
    assert innovation.stage is stage


def test_different_people_may_each_endorse() -> None:
    innovation = submitted()
    innovation.endorse(COLLEAGUE)
    given(innovation)

    innovation.endorse(SUBMITTER)

    recorded(innovation, Innovation.IdeaEndorsed)
    assert innovation.endorsers == {"staff-colleague", "staff-submitter"}


def test_second_endorsement_by_the_same_person_is_refused() -> None:
    innovation = submitted()
    innovation.endorse(COLLEAGUE)
    given(innovation)

    with refused(innovation, InvalidState, match="already endorsed"):
        innovation.endorse(COLLEAGUE)
    assert innovation.endorsers == {"staff-colleague"}


@pytest.mark.parametrize("stage", list(Stage), ids=str)
def test_comment_is_recorded_in_every_stage_even_closed(stage: Stage) -> None:
    innovation = at_stage(stage)
    comment_id = uuid4()

    innovation.comment(COLLEAGUE, comment_id=comment_id, text="We tried this in 2019")

    event = recorded(innovation, Innovation.CommentAdded)
    assert (event.comment_id, event.text) == (comment_id, "We tried this in 2019")
    assert innovation.comments == 1
    assert innovation.stage is stage


# -- triage ---------------------------------------------------------------------------------------
def test_accept_moves_the_idea_to_concept() -> None:
    innovation = submitted()

    innovation.accept(LEAD, reason="fits the frailty strategy")

    event = recorded(innovation, Innovation.IdeaAccepted)
    assert event.reason == "fits the frailty strategy"
    assert innovation.stage is Stage.CONCEPT


def test_request_information_keeps_the_idea_submitted() -> None:
    innovation = submitted()

    innovation.request_information(LEAD, reason="which wards?")

    event = recorded(innovation, Innovation.InformationRequested)
    assert event.reason == "which wards?"
    assert innovation.stage is Stage.SUBMITTED


def test_merge_closes_the_duplicate_and_points_at_the_original() -> None:
    original = submitted()
    duplicate = submitted()

    duplicate.merge_into(LEAD, target=original, reason="same idea")

    event = recorded(duplicate, Innovation.IdeaMerged)
    assert (event.into_id, event.reason) == (original.id, "same idea")
    assert duplicate.stage is Stage.CLOSED
    assert original.pending_events == []


def test_merge_into_an_idea_further_on_is_allowed() -> None:
    original = adopted()
    duplicate = submitted()

    duplicate.merge_into(LEAD, target=original, reason="already adopted")

    assert recorded(duplicate, Innovation.IdeaMerged).into_id == original.id


def test_merge_into_itself_is_refused() -> None:
    innovation = submitted()

    with refused(innovation, ValidationFailed, match="merged into itself") as info:
        innovation.merge_into(LEAD, target=innovation, reason="r")
    assert info.value.field == "into_id"


def test_merge_into_a_closed_innovation_is_refused() -> None:
    innovation = submitted()
    target = closed()

    with refused(innovation, InvalidState, match="closed"):
        innovation.merge_into(LEAD, target=target, reason="r")


def test_merge_into_another_organisations_idea_is_refused() -> None:
    innovation = submitted()
    target = given(submit(context("other", Role.STAFF, organisation=OTHER_ORG), OTHER_ORG))

    with refused(innovation, ValidationFailed, match="same organisation") as info:
        innovation.merge_into(LEAD, target=target, reason="r")
    assert info.value.field == "into_id"


def test_decline_closes_the_idea_with_its_reason() -> None:
    innovation = submitted()

    innovation.decline(LEAD, reason="already national policy")

    event = recorded(innovation, Innovation.IdeaDeclined)
    assert event.reason == "already national policy"
    assert innovation.stage is Stage.CLOSED


# -- owners and involvement -------------------------------------------------------------------
@pytest.mark.parametrize("stage", sorted(NOT_CLOSED), ids=str)
def test_assign_owner_records_owner_and_team(stage: Stage) -> None:
    innovation = at_stage(stage)

    innovation.assign_owner(LEAD, owner="person-7", team=("person-8", "person-9"))

    event = recorded(innovation, Innovation.OwnerAssigned)
    assert (event.owner, event.team) == ("person-7", ["person-8", "person-9"])
    assert (innovation.owner, innovation.team) == ("person-7", ["person-8", "person-9"])
    assert innovation.stage is stage


def test_record_involvement_records_who_was_involved_and_when() -> None:
    innovation = in_concept()

    innovation.record_involvement(LEAD, kind="PATIENT_PUBLIC", group="Frailty patient panel",
                                  description="co-designed the script", involved_on=DAY)

    event = recorded(innovation, Innovation.InvolvementRecorded)
    assert (event.kind, event.group, event.description, event.involved_on) == (
        "PATIENT_PUBLIC", "Frailty patient panel", "co-designed the script", DAY)
    assert innovation.stage is Stage.CONCEPT
