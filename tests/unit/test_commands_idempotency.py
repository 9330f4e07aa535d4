"""What makes a command's replay safe, checked on construction: its idempotency key, and its
fingerprint (equal for the same request, different for another, stable across processes)."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from lifecycle import commands as c
from lifecycle import validation as v
from lifecycle.actor import Authority
from lifecycle.errors import ValidationFailed
from lifecycle.governance.authority import DecisionOutcome, Risk, Thresholds
from lifecycle.vocabulary import Criterion, InnovationClass, OrganisationKind
from tests.unit.command_fields import DAY, ID, LATER, OTHER_ID, evaluation, funding, submit


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
