"""The visibility rule in SQL (``projections/visibility.py``) against its Python twin
(``lifecycle/visibility.py``), on read models the real projector built from real commands: for
every standing a viewer can have, each read query answers exactly what the Python rule says.
Search is tested here too: a word of the hidden text matches only for viewers who could read it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import asyncpg
import pytest

from lifecycle import commands as c
from lifecycle import visibility
from lifecycle.actor import Actor, Authority, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.governance.authority import DecisionOutcome, Risk
from lifecycle.improvement.measure import Measure
from lifecycle.innovations.innovation import Innovation
from lifecycle.store.database import Database
from lifecycle.vocabulary import (
    BetterDirection,
    ChartType,
    Criterion,
    EvaluationMethod,
    PrototypeOutcome,
    SharingScope,
)
from projections.engine import tracking
from projections.engine.catalogue import all_projections
from projections.engine.runner import Projector
from projections.improvement.queries import measures_by_id, measures_of
from projections.innovations.queries import (
    InnovationFilter,
    innovations_by_id,
    innovations_page,
    latest_verdicts,
)
from projections.spread.queries import spread
from tests.conftest import drop_database, fresh_database, make_app, member, new_organisation

DAY = date(2025, 3, 3)
HIDDEN_WORD = "xylophonic"  # only in the problem
TITLE_WORD = "telepathic"  # in the title


@dataclass
class Record:
    innovation: UUID
    viewers: dict[str, UUID]  # standing -> organisation
    measures: dict[str, UUID]  # whose -> measure id
    app: LifecycleApplication

    def aggregate(self) -> Innovation:
        return self.app.load(Innovation, self.innovation)


@pytest.fixture(scope="module")
def record_db(server: Database) -> Iterator[tuple[Database, Record]]:
    db = fresh_database(server, "lifecycle_visibility")
    app = make_app(db)
    try:
        yield db, _build(app)
    finally:
        app.close()
        drop_database(server, db)


def _build(app: LifecycleApplication) -> Record:
    """An owner's adopted innovation shared in FULL with two adopters (one measures it), as a
    SUMMARY with a third organisation, once with a fourth (revoked), never with a fifth."""
    names = ("own", "full", "adopter", "summary", "revoked", "none")
    admins = {n: new_organisation(app, f"Visibility {n} {uuid4().hex[:6]}", ("Main",))
              for n in names}
    lead = member(admins["own"], Role.INNOVATION_LEAD)
    ctx = CommandContext(lead)
    ident = app.execute(c.SubmitIdea(title=f"A {TITLE_WORD} ward board",
                                     problem=f"The {HIDDEN_WORD} problem", proposal="p"),
                        CommandContext(member(admins["own"], Role.STAFF))).aggregate_id
    app.execute(c.AcceptIdea(ident, reason="r"), ctx)
    proto = app.execute(c.StartPrototype(ident, "t", "h", "p", DAY), ctx).created_id
    app.execute(c.CompletePrototype(ident, proto, PrototypeOutcome.SUCCEEDED, "r", "l", DAY), ctx)
    app.execute(c.RecordEvaluation(ident, EvaluationMethod.SERVICE_EVALUATION,
                                   ((Criterion.SAFETY, 4),), "e", "adopt", Decimal("100"),
                                   Risk.LOW, DAY), ctx)
    app.execute(c.DecideAdoption(ident, DecisionOutcome.ADOPT, Authority.TEAM, "r"),
                CommandContext(member(admins["own"], Role.GOVERNANCE_TEAM)))
    for name, scope in (("full", SharingScope.FULL), ("adopter", SharingScope.FULL),
                        ("summary", SharingScope.SUMMARY), ("revoked", SharingScope.FULL)):
        app.execute(c.ShareInnovation(ident, admins[name].organisation, scope), ctx)
    app.execute(c.RevokeSharing(ident, "ended", organisation_id=admins["revoked"].organisation),
                ctx)
    measures = {}
    for name in ("own", "full", "adopter"):
        actor = lead if name == "own" else member(admins[name], Role.PARTNER)
        app.execute(c.StartAdoption(ident, actor.organisation, f"adapted by {name}", DAY, "Main"),
                    CommandContext(actor))
        if name != "full":
            measure = app.execute(c.DefineMeasure(ident, f"m {name}", "u", BetterDirection.LOWER,
                                                  ChartType.XMR, "Main"),
                                  CommandContext(actor)).aggregate_id
            app.execute(c.RecordObservations(measure, (c.ObservationInput(DAY, value=1.0),)),
                        CommandContext(actor))
            measures[name] = measure
    return Record(ident, {n: a.organisation for n, a in admins.items()}, measures, app)


@pytest.fixture(scope="module")
async def conn(record_db: tuple[Database, Record]) -> AsyncIterator[asyncpg.Connection]:
    db = record_db[0]
    connection = await asyncpg.connect(db.url)
    projector = Projector(db.url, all_projections())
    for p in projector.projections:
        projector.positions[p.name] = await tracking.ensure(connection, p.name)
    await projector.catch_up(connection)
    yield connection
    await connection.close()


@pytest.fixture(scope="module")
def record(record_db: tuple[Database, Record]) -> Record:
    return record_db[1]


STANDINGS = ("own", "full", "adopter", "summary", "revoked", "none")


@pytest.mark.parametrize("standing", STANDINGS)
async def test_innovation_rows_and_their_scope_follow_the_rule(
        conn: asyncpg.Connection, record: Record, standing: str) -> None:
    viewer = record.viewers[standing]
    expected = visibility.innovation_scope(viewer, record.aggregate())

    found = await innovations_by_id(conn, viewer, [record.innovation])
    page = await innovations_page(conn, viewer, InnovationFilter(), first=100)

    scopes = {r["id"]: r["scope"] for r in page}
    if expected.sees:
        assert found[record.innovation]["scope"] == expected.value
        assert scopes.get(record.innovation) == expected.value
    else:
        assert found == {}
        assert record.innovation not in scopes


@pytest.mark.parametrize("standing", STANDINGS)
async def test_search_matches_only_the_words_the_viewer_may_read(
        conn: asyncpg.Connection, record: Record, standing: str) -> None:
    viewer = record.viewers[standing]
    scope = visibility.innovation_scope(viewer, record.aggregate())

    async def matched(word: str) -> bool:
        page = await innovations_page(conn, viewer, InnovationFilter(search=word), first=100)
        return record.innovation in {r["id"] for r in page}

    assert await matched(TITLE_WORD) is scope.sees
    assert await matched(HIDDEN_WORD) is scope.detail


@pytest.mark.parametrize("standing", STANDINGS)
async def test_measures_follow_the_record_rule(conn: asyncpg.Connection, record: Record,
                                               standing: str) -> None:
    viewer = record.viewers[standing]
    actor = Actor("someone", viewer, frozenset({Role.AUDITOR}), audit_scope=frozenset({viewer}))
    expected = {m for m in record.measures.values()
                if visibility.sees(actor, record.app.load(Measure, m),
                                   lambda i: record.app.load(Innovation, i))}

    by_id = await measures_by_id(conn, viewer, list(record.measures.values()))
    of = await measures_of(conn, viewer, record.innovation)

    assert set(by_id) == expected
    assert {r["measure_id"] for r in of} == expected


@pytest.mark.parametrize("standing", STANDINGS)
async def test_the_latest_verdict_is_shown_only_with_the_detail(
        conn: asyncpg.Connection, record: Record, standing: str) -> None:
    viewer = record.viewers[standing]
    scope = visibility.innovation_scope(viewer, record.aggregate())

    verdicts = await latest_verdicts(conn, viewer, [record.innovation])

    assert (record.innovation in verdicts) is scope.detail
    if scope.detail:
        assert verdicts[record.innovation]["measure_id"] == record.measures["own"]


@pytest.mark.parametrize("standing", STANDINGS)
async def test_spread_shows_adopters_records_only_to_whom_they_belong(
        conn: asyncpg.Connection, record: Record, standing: str) -> None:
    viewer = record.viewers[standing]
    innovation = record.aggregate()
    scope = visibility.innovation_scope(viewer, innovation)

    seen = await spread(conn, viewer, record.innovation)

    if not scope.sees:
        assert seen is None
        return
    assert seen is not None
    assert seen.diffusion[-1].adoptions == 3  # counts, for every viewer that sees it
    adopters = {a.organisation_id: a.adaptation for a in seen.adoptions}
    if scope.detail:
        assert set(adopters) == {record.viewers[n] for n in ("own", "full", "adopter")}
    else:
        assert adopters == {}
    for organisation, adaptation in adopters.items():
        shown = visibility.sees_record(viewer, organisation, innovation)
        assert (adaptation is not None) is shown, (standing, organisation)
    measured = {v.measure_id for v in seen.site_verdicts}
    assert measured == {m for name, m in record.measures.items()
                        if visibility.sees_record(viewer, record.viewers[name], innovation)}
