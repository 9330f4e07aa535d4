"""Authorisation over real HTTP, idempotent replays: a replay answers with what the caller may see
now, not what it saw when it first sent the mutation.

Each of the matrix's modules (test_authorisation_queries.py, _mutations.py, _replays.py) runs on
a world of its own (``standings_world`` of tests/e2e/authorisation.py, registered as the module's
``world`` fixture), built by tests/e2e/standings.py."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest

from lifecycle import commands as c
from lifecycle.application import LifecycleApplication
from tests.e2e.authorisation import send, standings_world
from tests.e2e.standings import DAY, FULL, World

world = pytest.fixture(scope="module")(standings_world)


# -- 3. idempotent replays ------------------------------------------------------------------------
def adopt_with_key(world: World, app: LifecycleApplication, ident: UUID,
                   key: str) -> dict[str, Any]:
    return send(world, app, world.callers[FULL], "startAdoption", {
        "innovationId": str(ident), "organisationId": str(world.organisation(FULL)),
        "adaptation": "as piloted", "startedOn": DAY.isoformat(),
        "idempotencyKey": key}).payload


def test_a_replay_after_the_share_was_revoked_answers_as_a_missing_innovation(
        world: World, app: LifecycleApplication) -> None:
    ident, key = world.adopted(), f"adopt-{uuid4()}"
    first = adopt_with_key(world, app, ident, key)
    assert (first["__typename"], first["replayed"]) == ("AdoptionStarted", False)
    partner, lead = world.callers[FULL], world.people["lead"]
    world.run(c.AbandonAdoption(ident, "no staff", adoption_id=UUID(first["adoptionId"]),
                                abandoned_on=DAY), partner)
    world.run(c.RevokeSharing(ident, "ended", organisation_id=world.organisation(FULL)), lead)
    world.run(c.AssignOwner(ident, "person-new-owner"), lead)  # changed since the revocation

    head = app.store.head()
    again = adopt_with_key(world, app, ident, key)
    missing = uuid4()
    random = adopt_with_key(world, app, missing, f"adopt-{uuid4()}")

    assert app.store.head() == head
    assert again["__typename"] == "NotFoundError", again  # not the innovation as it now is
    assert again == {**random, "ident": str(ident),
                     "message": random["message"].replace(str(missing), str(ident))}


def test_a_replay_returns_the_original_receipt_and_the_innovation_as_the_caller_now_sees_it(
        world: World, app: LifecycleApplication) -> None:
    ident, key = world.adopted(), f"adopt-{uuid4()}"
    first = adopt_with_key(world, app, ident, key)
    assert first["innovation"]["problem"] is not None  # shared in full
    world.run(c.ShareInnovation(ident, world.organisation(FULL)), world.people["lead"])

    again = adopt_with_key(world, app, ident, key)

    assert (again["__typename"], again["replayed"]) == ("AdoptionStarted", True)
    assert (again["position"], again["adoptionId"]) == (first["position"], first["adoptionId"])
    assert again["innovation"] == {"id": str(ident), "problem": None}  # a summary now


def test_a_replay_of_an_adopters_own_measure_returns_it_after_the_share_was_revoked(
        world: World, app: LifecycleApplication) -> None:
    """An adopter's measure is its own: it does not vanish with the owner's share."""
    ident, key = world.adopted(), f"measure-{uuid4()}"
    partner = world.callers[FULL]
    define = {"innovationId": str(ident), "name": "Falls", "unit": "falls", "better": "LOWER",
              "chart": "XMR", "idempotencyKey": key}
    first = send(world, app, partner, "defineMeasure", define).payload
    world.run(c.RevokeSharing(ident, "ended", organisation_id=world.organisation(FULL)),
              world.people["lead"])

    again = send(world, app, partner, "defineMeasure", define).payload

    assert (again["__typename"], again["replayed"]) == ("MeasureDefined", True)
    assert again["measure"] == first["measure"]
