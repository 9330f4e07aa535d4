"""Development's mutations over real HTTP: funding is recorded with an exact amount.

Each module of mutations over real HTTP runs with a trust of its own (``build_trust`` of
tests/e2e/mutating.py, registered as the module's ``trust`` fixture)."""

from __future__ import annotations

from uuid import UUID

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.mutating import INNOVATION, Trust, build_trust, mutate, submit

trust = pytest.fixture(scope="module")(build_trust)


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
