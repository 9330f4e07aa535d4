"""Innovation challenges: open for a period, then closed once."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.directory.challenge import Challenge
from lifecycle.errors import InvalidState

ORG = uuid4()
LEAD = CommandContext(Actor("lead-1", ORG, frozenset({Role.INNOVATION_LEAD})))
OPENS = date(2024, 4, 1)
CLOSES = date(2024, 6, 30)


def opened() -> Challenge:
    challenge = Challenge.open(LEAD, uuid4(), organisation_id=ORG, title="Reducing falls",
                               problem="Falls on elderly care wards", opens_on=OPENS,
                               closes_on=CLOSES)
    challenge.collect_events()
    return challenge


def test_open_records_the_challenge_and_its_period() -> None:
    ident = uuid4()

    challenge = Challenge.open(LEAD, ident, organisation_id=ORG, title="Reducing falls",
                               problem="Falls on elderly care wards", opens_on=OPENS,
                               closes_on=CLOSES)

    events = challenge.collect_events()
    assert len(events) == 1
    event = events[0]
    assert isinstance(event, Challenge.ChallengeOpened)
    assert event.originator_id == ident
    assert (event.organisation_id, event.title, event.problem) == (
        ORG, "Reducing falls", "Falls on elderly care wards")
    assert (event.opens_on, event.closes_on) == (OPENS, CLOSES)
    assert event.actor == "lead-1"
    assert challenge.closed is False


def test_close_records_why_and_closes_the_challenge() -> None:
    challenge = opened()

    challenge.close(LEAD, reason="enough ideas received")

    events = challenge.collect_events()
    assert len(events) == 1
    event = events[0]
    assert isinstance(event, Challenge.ChallengeClosed)
    assert event.reason == "enough ideas received"
    assert challenge.closed is True


def test_closing_a_challenge_twice_is_refused() -> None:
    challenge = opened()
    challenge.close(LEAD, reason="done")
    challenge.collect_events()
    version = challenge.version

    with pytest.raises(InvalidState, match="already closed"):
        challenge.close(LEAD, reason="again")

    assert challenge.pending_events == []
    assert challenge.version == version


@pytest.mark.parametrize(
    ("day", "accepts"),
    [
        (OPENS - timedelta(days=1), False),
        (OPENS, True),
        (date(2024, 5, 15), True),
        (CLOSES, True),
        (CLOSES + timedelta(days=1), False),
    ],
    ids=["day-before-opening", "opening-day", "mid-period", "closing-day", "day-after-closing"],
)
def test_a_challenge_accepts_ideas_only_within_its_period(day: date, accepts: bool) -> None:
    assert opened().accepts_ideas_on(day) is accepts


@pytest.mark.parametrize("day", [OPENS, date(2024, 5, 15), CLOSES], ids=str)
def test_a_closed_challenge_accepts_no_ideas_even_within_its_period(day: date) -> None:
    challenge = opened()
    challenge.close(LEAD, reason="closed early")

    assert challenge.accepts_ideas_on(day) is False
