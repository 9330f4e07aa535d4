"""A command's fingerprint is kept with its idempotency key: a request repeated after an upgrade
must have the fingerprint it had, or it is refused as another request under the same key
(``IdempotencyKeyReused``). These digests were taken before the commands moved into their
capabilities (commit f227595); a change to one is a change of stored data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest

from lifecycle import commands as c
from lifecycle.actor import Authority
from lifecycle.governance.authority import DecisionOutcome, Risk, Thresholds
from lifecycle.vocabulary import Criterion, EvaluationMethod, InnovationClass, OrganisationKind

IDEA, OTHER = UUID(int=1), UUID(int=2)
DAY = date(2024, 3, 1)


@pytest.mark.parametrize(("command", "digest"), [
    (c.SubmitIdea("Virtual wards", "Waits", "Video rounds", InnovationClass.INNOVATION,
                  ("frailty",), "Royal Glamorgan", OTHER, "nursing_and_midwifery"),
     "0e4589ba40e8afbc52d152148286cb399d1968f8d3c12a6c0fadb403df86728f"),
    (c.AcceptIdea(IDEA, "fits"),
     "62562e9ad1e5658f26471d200743791b34cb9cc29e3fb26483c0f35a1cf82fc4"),
    (c.RecordEvaluation(IDEA, EvaluationMethod.SERVICE_EVALUATION,
                        ((Criterion.SAFETY, 4), (Criterion.PATIENT_OUTCOMES, 5)), "audit",
                        "adopt", Decimal("5000.00"), Risk.LOW, DAY),
     "62d22b7533b6fb759ed3e8a21bd302a49d99c9d0e8563d10a5e389c77261b7b7"),
    (c.RegisterOrganisation("Cwm Taf", OrganisationKind.HEALTH_BOARD, ("A", "B"),
                            Thresholds(team_max_cost=Decimal("5000"))),
     "07b78c33610c62e31bf514df831af64c3e68a26debca5de82e99865b4c1ffb58"),
    (c.RecordObservations(IDEA, (c.ObservationInput(date(2024, 1, 1), 1.5),
                              c.ObservationInput(date(2024, 1, 2), None, 3.0, 4.0))),
     "958f930e1f62ea2ca6d1364d2a8226c75ee738c6aa1995c3669dd84050fbfa8a"),
    (c.DecideAdoption(IDEA, DecisionOutcome.ADAPT, Authority.TEAM, "r", "c", (OTHER,)),
     "5ffa473abfd906ec05cc53aef710ffe9313fc52e76ad7056f2c032b5965c26a4"),
    (c.MergeIdea(IDEA, "dup", into_id=OTHER),
     "e3d09ff24ed9891c21cb3055489092b73d4cdcacf0673537d87d141aa4b545ea"),
], ids=lambda value: type(value).__name__ if isinstance(value, c.Command) else "")
def test_a_commands_fingerprint_is_what_it_was(command: c.Command, digest: str) -> None:
    assert command.fingerprint() == digest
