"""A measure's mutations over real HTTP: defined, observed and given a new phase.

Each module of mutations over real HTTP runs with a trust of its own (``build_trust`` of
tests/e2e/mutating.py, registered as the module's ``trust`` fixture)."""

from __future__ import annotations

import pytest

from lifecycle.application import LifecycleApplication
from tests.e2e.conftest import LiveServer
from tests.e2e.mutating import Trust, build_trust, mutate, submit

trust = pytest.fixture(scope="module")(build_trust)


MEASURE = """... on MeasureChange {
    position replayed measure { id chart observationCount phases } }"""


def test_measure_is_defined_observed_and_given_a_new_phase(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    ident = submit(live, trust.staff)
    defined = mutate(live, trust.lead, "defineMeasure", MEASURE, innovationId=ident,
                     name="Discharges before noon", unit="proportion", better="HIGHER",
                     chart="P", site="Wrexham Maelor")
    assert (defined["__typename"], defined["measure"]["chart"]) == ("MeasureDefined", "P")
    measure = defined["measure"]["id"]
    batch = [{"on": f"2025-01-0{d}", "numerator": d, "denominator": 10} for d in range(1, 6)]
    recorded = mutate(live, trust.lead, "recordObservations", MEASURE, measureId=measure,
                      observations=batch)
    assert recorded["__typename"] == "ObservationsRecorded"
    assert recorded["measure"]["observationCount"] == 5
    head = app.store.head()
    repeated = mutate(live, trust.lead, "recordObservations", MEASURE, measureId=measure,
                      observations=batch)
    assert repeated["position"] == recorded["position"]
    assert app.store.head() == head

    no_denominator = mutate(live, trust.lead, "recordObservations", MEASURE, measureId=measure,
                            observations=[{"on": "2025-01-09", "numerator": 3}])
    assert (no_denominator["__typename"], no_denominator["field"]) == (
        "ValidationError", "observations[2025-01-09]")
    phase = mutate(live, trust.lead, "startPhase", MEASURE, measureId=measure,
                   startsOn="2025-01-04", description="Lounge opened", reason="Change made")
    assert (phase["__typename"], phase["measure"]["phases"]) == ("PhaseStarted", ["2025-01-04"])
    earlier = mutate(live, trust.lead, "startPhase", MEASURE, measureId=measure,
                     startsOn="2025-01-02", description="x", reason="y")
    assert earlier["__typename"] == "InvalidStateError"
    malformed = mutate(live, trust.lead, "startPhase", MEASURE, measureId="measure-1",
                       startsOn="2025-01-02", description="x", reason="y")
    assert (malformed["__typename"], malformed["field"]) == ("ValidationError", "measureId")
