"""The read-side queries against real PostgreSQL: each answer checked against the aggregates or
against a computation of its own over the read-model rows.

Seeded events are all stamped within seconds of each other, so the arithmetic of days is tested
on rows written directly into a separate, empty database, with times the test controls.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID, uuid4

import asyncpg
import pytest

from lifecycle.actor import Authority
from lifecycle.innovations.stage import PROGRESSION, Stage
from lifecycle.seed import SeedSummary, seed
from lifecycle.store.database import Database
from lifecycle.vocabulary import FRONTLINE_STAFF_GROUPS
from projections.board.culture import culture
from projections.board.pipeline import pipeline
from projections.development.queries import funding_awards, funding_summary
from projections.engine import tracking
from projections.engine.catalogue import all_projections
from projections.engine.runner import Projector
from projections.governance.queries import DecisionRow, decisions, governance_summary
from projections.innovations.queries import ORDERS, InnovationFilter, innovations_page
from projections.spread.queries import DiffusionPoint, adoptions, diffusion, site_verdicts
from tests.conftest import drop_database, fresh_database, make_app

T = TypeVar("T")
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
DIMENSIONS: dict[str, str] = {
    "organisation": "organisation_id", "site": "site", "challenge": "challenge_id",
    "staff_group": "staff_group", "innovation_class": "innovation_class"}
positions = itertools.count(1)


@pytest.fixture(scope="module")
def seeded_db(server: Database) -> Iterator[tuple[Database, SeedSummary]]:
    db = fresh_database(server, "lifecycle_reads")
    app = make_app(db)
    try:
        summary = seed(app, seed=21, innovations=60)
    finally:
        app.close()
    yield db, summary
    drop_database(server, db)


@pytest.fixture(scope="module")
async def conn(seeded_db: tuple[Database, SeedSummary]) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the seeded database, every read model caught up."""
    db = seeded_db[0]
    connection = await asyncpg.connect(db.url)
    projector = Projector(db.url, all_projections())
    for p in projector.projections:
        projector.positions[p.name] = await tracking.ensure(connection, p.name)
    await projector.catch_up(connection)
    yield connection
    await connection.close()


@pytest.fixture(scope="module")
async def blank(server: Database) -> AsyncIterator[asyncpg.Connection]:
    """An empty database for rows the tests write; each test uses organisations of its own."""
    db = fresh_database(server, "lifecycle_reads_blank")
    connection = await asyncpg.connect(db.url)
    yield connection
    await connection.close()
    drop_database(server, db)


async def rows(conn: asyncpg.Connection, table: str) -> list[dict[str, Any]]:
    return [dict(r) for r in await conn.fetch(f"SELECT * FROM {table}")]


async def every_page(fetch: Callable[[Any], Awaitable[Sequence[T]]],
                     cursor: Callable[[T], Any]) -> list[list[T]]:
    """Follow the cursors to the empty page (a cursor that fails to advance fails the test)."""
    pages: list[list[T]] = []
    after = None
    for _ in range(200):
        page = list(await fetch(after))
        pages.append(page)
        if not page:
            return pages
        after = cursor(page[-1])
    raise AssertionError("the pages never ended")


async def add_innovation(conn: asyncpg.Connection, org: UUID, *, stage: str = "SUBMITTED",
                         submitted_at: datetime = T0, staff_group: str | None = None,
                         first_triaged_at: datetime | None = None) -> UUID:
    ident = uuid4()
    await conn.execute(
        "INSERT INTO rm_innovations (id, version, position, organisation_id, title, problem, "
        "proposal, innovation_class, stage, stage_entered_at, submitted_at, submitter, "
        "staff_group, first_triaged_at, updated_at) "
        "VALUES ($1, 0, $2, $3, 't', 'p', 'q', 'INNOVATION', $4, $5, $5, 's', $6, $7, $5)",
        ident, next(positions), org, stage, submitted_at, staff_group, first_triaged_at)
    return ident


async def add_moves(conn: asyncpg.Connection, org: UUID, innovation: UUID,
                    moves: Sequence[tuple[float, str]]) -> None:
    """Stage transitions of ``innovation``: (days after T0, the stage entered)."""
    before = None
    for days, stage in moves:
        await conn.execute(
            "INSERT INTO rm_stage_transitions (innovation_id, position, at, from_stage, "
            "to_stage, actor, organisation_id, innovation_class) "
            "VALUES ($1, $2, $3, $4, $5, 'a', $6, 'INNOVATION')",
            innovation, next(positions), T0 + timedelta(days=days), before, stage, org)
        before = stage


async def insert_decision(conn: asyncpg.Connection, org: UUID, *,
                          decision_id: UUID | None = None, authority: str = "team",
                          required: str = "team", days: int | None = None) -> None:
    await conn.execute(
        "INSERT INTO rm_decisions (decision_id, innovation_id, organisation_id, outcome, "
        "authority, required_authority, escalated, decided_by, decided_role, decided_at, "
        "rationale, evidence, estimated_cost, risk, days_from_evaluation, position) "
        "VALUES ($1, $2, $3, 'ADOPT', $4, $5, $4 <> $5, 'x', 'governance', $6, 'r', '{}', "
        "0, 'LOW', $7, $8)",
        decision_id or uuid4(), uuid4(), org, authority, required, T0, days, next(positions))


# The pipeline


async def test_stage_counts_are_the_innovations_in_each_stage_as_the_aggregates_say(
        conn: asyncpg.Connection, seeded_db: tuple[Database, SeedSummary]) -> None:
    found = await pipeline(conn)
    assert [s.stage for s in found.stages] == list(Stage)
    assert {s.value: n for s, n in found.counts().items()} == seeded_db[1].by_stage


async def test_conversion_is_the_share_reaching_a_stage_that_reach_the_next(
        conn: asyncpg.Connection) -> None:
    reached: dict[str, set[UUID]] = {s.value: set() for s in Stage}
    for t in await rows(conn, "rm_stage_transitions"):
        reached[t["to_stage"]].add(t["innovation_id"])
    found = await pipeline(conn)
    assert [(c.from_stage, c.to_stage) for c in found.conversions] == list(
        itertools.pairwise(PROGRESSION))
    for c in found.conversions:
        assert c.reached == len(reached[c.from_stage])
        assert c.converted == len(reached[c.from_stage] & reached[c.to_stage])
        later = PROGRESSION[PROGRESSION.index(c.to_stage):]
        assert c.progressed == len(reached[c.from_stage] & set().union(
            *(reached[s] for s in later)))
        assert c.share == pytest.approx(c.converted / c.reached)
    assert found.conversions[0].reached == sum(found.counts().values())
    assert any(c.progressed > c.converted for c in found.conversions)  # some skip SPREADING


async def test_each_filter_narrows_the_pipeline_to_the_innovations_matching_it(
        conn: asyncpg.Connection) -> None:
    innovations = await rows(conn, "rm_innovations")
    argument = {"organisation": "organisation_id", "challenge": "challenge_id"}
    for dimension, column in DIMENSIONS.items():
        recorded = Counter(i[column] for i in innovations if i[column] is not None)
        value = recorded.most_common(1)[0][0]
        expected = Counter(i["stage"] for i in innovations if i[column] == value)
        found = await pipeline(conn, **{argument.get(dimension, dimension): value})
        assert {s.value: n for s, n in found.counts().items() if n} == expected
        assert sum(expected.values()) < len(innovations)


async def test_submission_dates_bound_the_pipeline_by_whole_utc_days_both_included(
        blank: asyncpg.Connection) -> None:
    org = uuid4()
    for at in ("2025-03-01T23:59:59+00:00", "2025-03-02T00:00:00+00:00",
               "2025-03-02T23:59:59+00:00", "2025-03-03T00:00:00+00:00"):
        await add_innovation(blank, org, submitted_at=datetime.fromisoformat(at))

    async def submitted(start: date | None, end: date | None) -> int:
        found = await pipeline(blank, organisation_id=org, submitted_from=start,
                               submitted_to=end)
        return found.stage(Stage.SUBMITTED).count

    assert await submitted(date(2025, 3, 2), date(2025, 3, 2)) == 2
    assert await submitted(date(2025, 3, 2), None) == 3
    assert await submitted(None, date(2025, 3, 1)) == 1
    assert await submitted(None, None) == 4


async def test_days_in_stage_are_percentiles_of_finished_stays_and_open_stays_so_far(
        blank: asyncpg.Connection) -> None:
    org = uuid4()
    a = await add_innovation(blank, org, stage="PROTOTYPING")
    await add_moves(blank, org, a, [(0, "SUBMITTED"), (2, "CONCEPT"), (5, "PROTOTYPING")])
    b = await add_innovation(blank, org, stage="CLOSED")
    await add_moves(blank, org, b, [(0, "SUBMITTED"), (4, "CONCEPT"), (6, "PARKED"),
                                    (10, "CONCEPT"), (11, "CLOSED")])
    c = await add_innovation(blank, org)
    await add_moves(blank, org, c, [(0, "SUBMITTED")])

    found = await pipeline(blank, organisation_id=org, now=T0 + timedelta(days=20))

    submitted = found.stage(Stage.SUBMITTED)  # stays of 2, 4 and 20 (open) days
    assert (submitted.count, submitted.stays) == (1, 3)
    assert submitted.median_days == pytest.approx(4)
    assert submitted.p90_days == pytest.approx(4 + 0.8 * (20 - 4))
    concept = found.stage(Stage.CONCEPT)  # 3 days for a; 2, then 1 after reopening, for b
    assert (concept.count, concept.stays) == (0, 3)
    assert concept.median_days == pytest.approx(2)
    assert concept.p90_days == pytest.approx(2.8)
    assert found.stage(Stage.PROTOTYPING).median_days == pytest.approx(15)
    assert found.stage(Stage.PARKED).median_days == pytest.approx(4)
    closed = found.stage(Stage.CLOSED)
    assert (closed.count, closed.median_days, closed.p90_days) == (1, None, None)
    assert found.stage(Stage.EMBEDDED).stays == 0
    assert [(c.reached, c.converted) for c in found.conversions[:3]] == [(3, 2), (2, 1), (1, 0)]
    on_the_clock = await pipeline(blank, organisation_id=org)  # open stays run until today
    assert (on_the_clock.stage(Stage.PROTOTYPING).median_days or 0) > 15


# Culture


async def test_culture_counts_ideas_per_staff_group_and_the_frontline_share(
        conn: asyncpg.Connection) -> None:
    innovations = await rows(conn, "rm_innovations")
    org = innovations[0]["organisation_id"]
    for scope in ({}, {"organisation_id": org}):
        mine = [i for i in innovations if i["organisation_id"] == scope.get(
            "organisation_id", i["organisation_id"])]
        found = await culture(conn, **scope)
        by_group = Counter(i["staff_group"] for i in mine)
        assert {g.staff_group: g.ideas for g in found.by_staff_group} == by_group
        frontline = sum(i["staff_group"] in FRONTLINE_STAFF_GROUPS for i in mine)
        assert found.frontline_share == pytest.approx(frontline / len(mine))
        assert found.awaiting_triage == sum(
            i["first_triaged_at"] is None and i["stage"] == "SUBMITTED" for i in mine)
        assert found.triaged == sum(i["first_triaged_at"] is not None for i in mine)


async def test_unknown_staff_group_counts_as_not_frontline(blank: asyncpg.Connection) -> None:
    org = uuid4()
    for group in ("nursing_and_midwifery", None, "administrative_and_clerical"):
        await add_innovation(blank, org, staff_group=group)
    found = await culture(blank, organisation_id=org)
    assert found.ideas == 3
    assert found.frontline_ideas == 1
    assert found.frontline_share == pytest.approx(1 / 3)


async def test_days_to_first_triage_are_percentiles_over_the_ideas_triaged(
        blank: asyncpg.Connection) -> None:
    org = uuid4()
    for days in (1, 2, 3, 10):
        await add_innovation(blank, org, stage="CONCEPT",
                             first_triaged_at=T0 + timedelta(days=days))
    await add_innovation(blank, org)  # still waiting
    await add_innovation(blank, org, stage="PARKED")  # parked before triage: not waiting
    await add_innovation(blank, org, submitted_at=T0 + timedelta(days=40))  # later period
    found = await culture(blank, organisation_id=org, submitted_to=T0.date())
    assert (found.ideas, found.triaged, found.awaiting_triage) == (6, 4, 1)
    assert found.median_days_to_triage == pytest.approx(2.5)
    assert found.p90_days_to_triage == pytest.approx(3 + 0.7 * (10 - 3))
    empty = await culture(blank, organisation_id=uuid4())
    assert (empty.ideas, empty.frontline_share, empty.median_days_to_triage) == (0, None, None)


# Funding


async def test_funding_totals_by_source_and_organisation_are_the_sums_of_the_awards(
        conn: asyncpg.Connection) -> None:
    awards = await rows(conn, "rm_funding")
    assert awards
    for scope in ({}, {"source": awards[0]["source"]},
                  {"organisation_id": awards[0]["organisation_id"]},
                  {"innovation_id": awards[0]["innovation_id"]}):
        mine = [a for a in awards if all(a[k] == v for k, v in scope.items())]
        found = await funding_summary(conn, **scope)
        assert (found.amount, found.awards) == (sum(a["amount"] for a in mine), len(mine))
        for totals, column in ((found.by_source, "source"),
                               (found.by_organisation, "organisation_id")):
            expected: dict[Any, Decimal] = {}
            for a in mine:
                expected[a[column]] = expected.get(a[column], Decimal(0)) + a["amount"]
            assert {t.key: t.amount for t in totals} == expected
            assert [t.amount for t in totals] == sorted(expected.values(), reverse=True)
    nothing = await funding_summary(conn, innovation_id=uuid4())
    assert (nothing.amount, nothing.awards, nothing.by_source) == (Decimal(0), 0, ())


async def test_funding_award_pages_hold_every_award_once_newest_first(
        conn: asyncpg.Connection) -> None:
    awards = await rows(conn, "rm_funding")
    pages = await every_page(lambda after: funding_awards(conn, after=after, first=4),
                             lambda award: award.cursor)
    assert all(len(page) == 4 for page in pages[:-2])
    found = [a.funding_id for page in pages for a in page]
    newest_first = sorted(awards, key=lambda a: (-a["starts_on"].toordinal(), a["funding_id"]))
    assert found == [a["funding_id"] for a in newest_first]
    source = awards[0]["source"]
    assert {a.source for a in await funding_awards(conn, source=source, first=1000)} == {source}


async def test_funding_awards_starting_the_same_day_are_paged_by_id_without_loss(
        blank: asyncpg.Connection) -> None:
    org, ids = uuid4(), sorted(uuid4() for _ in range(5))
    for i, ident in enumerate(ids):
        await blank.execute(
            "INSERT INTO rm_funding (funding_id, innovation_id, organisation_id, source, "
            "funder, amount, starts_on, recorded_by, position) "
            "VALUES ($1, $2, $3, 'CHARITY', 'f', 100, $4, 'x', $5)",
            ident, uuid4(), org, date(2025, 1, 1) if i else date(2025, 2, 1), next(positions))
    pages = await every_page(
        lambda after: funding_awards(blank, organisation_id=org, after=after, first=2),
        lambda award: award.cursor)
    assert [len(p) for p in pages] == [2, 2, 1, 0]
    assert [a.funding_id for p in pages for a in p] == ids  # the later start first, then by id


# Decisions


async def test_decision_pages_hold_every_decision_once_newest_first(
        conn: asyncpg.Connection) -> None:
    register = await rows(conn, "rm_decisions")
    assert register
    for escalated in (None, True):
        async def page(after: Any, e: bool | None = escalated) -> list[DecisionRow]:
            return await decisions(conn, escalated=e, after=after, first=3)

        pages = await every_page(page, lambda decision: decision.cursor)
        found = [d.decision_id for page in pages for d in page]
        expected = sorted((d for d in register if escalated is None or d["escalated"]),
                          key=lambda d: (-d["decided_at"].timestamp(), d["decision_id"]))
        assert found == [d["decision_id"] for d in expected]


async def test_decisions_taken_at_the_same_instant_are_paged_by_id_without_loss(
        blank: asyncpg.Connection) -> None:
    org, ids = uuid4(), sorted(uuid4() for _ in range(5))
    for ident in ids:
        await insert_decision(blank, org, decision_id=ident)
    pages = await every_page(
        lambda after: decisions(blank, organisation_id=org, after=after, first=2),
        lambda decision: decision.cursor)
    assert [d.decision_id for p in pages for d in p] == ids


async def test_decision_filters_narrow_the_register(conn: asyncpg.Connection) -> None:
    register = await rows(conn, "rm_decisions")
    first = register[0]
    filters: list[tuple[str, Any]] = [
        ("organisation_id", first["organisation_id"]), ("innovation_id", first["innovation_id"]),
        ("outcome", first["outcome"]), ("escalated", False)]
    for column, value in filters:
        found = await decisions(conn, first=1000, **{column: value})
        assert {d.decision_id for d in found} == {
            d["decision_id"] for d in register if d[column] == value}
    row = (await decisions(conn, innovation_id=first["innovation_id"], first=1))[0]
    assert (row.rationale, row.evidence) == (first["rationale"], tuple(first["evidence"]))
    day = first["decided_at"].astimezone(UTC).date()
    assert len(await decisions(conn, decided_from=day, decided_to=day, first=1000)) == sum(
        d["decided_at"].astimezone(UTC).date() == day for d in register)
    assert await decisions(conn, decided_to=day - timedelta(days=1), first=1000) == []


async def test_governance_summary_counts_decisions_escalations_and_requirements_per_level(
        conn: asyncpg.Connection) -> None:
    register = await rows(conn, "rm_decisions")
    found = await governance_summary(conn)
    assert [s.authority for s in found] == list(Authority)
    for s in found:
        taken = [d for d in register if d["authority"] == s.authority.value]
        assert s.decided == len(taken)
        assert s.escalated == sum(d["escalated"] for d in taken)
        assert s.required == sum(d["required_authority"] == s.authority.value
                                 for d in register)
    assert sum(s.decided for s in found) == len(register)


async def test_governance_days_from_evaluation_are_percentiles_per_level(
        blank: asyncpg.Connection) -> None:
    org = uuid4()
    for authority, required, days in (("team", "team", 1), ("team", "team", 3),
                                      ("team", "team", 5), ("team", "team", None),
                                      ("board", "executive", 10)):
        await insert_decision(blank, org, authority=authority, required=required, days=days)
    found = {s.authority: s for s in await governance_summary(blank, organisation_id=org)}
    team, board = found[Authority.TEAM], found[Authority.BOARD]
    assert (team.decided, team.escalated, team.required) == (4, 0, 4)
    assert team.median_days_from_evaluation == pytest.approx(3)
    assert team.p90_days_from_evaluation == pytest.approx(3 + 0.8 * 2)
    assert (board.decided, board.escalated, board.required) == (1, 1, 0)
    assert found[Authority.EXECUTIVE].required == 1
    assert found[Authority.DIRECTORATE].median_days_from_evaluation is None


# Spread


async def test_adoptions_filter_by_innovation_organisation_and_status(
        conn: asyncpg.Connection) -> None:
    every = await rows(conn, "rm_adoptions")
    assert every
    first = every[0]
    for column, value in (("innovation_id", first["innovation_id"]),
                          ("organisation_id", first["organisation_id"]),
                          ("status", first["status"])):
        found = await adoptions(conn, viewer=None, **{column: value})
        assert [a.adoption_id for a in found] == [
            a["adoption_id"] for a in sorted(every, key=lambda a: (a["started_on"],
                                                                   a["adoption_id"]))
            if a[column] == value]
    assert len(await adoptions(conn, viewer=None)) == len(every)


async def test_diffusion_ends_with_every_adoption_of_the_innovation(
        conn: asyncpg.Connection) -> None:
    every = await rows(conn, "rm_adoptions")
    for innovation in {a["innovation_id"] for a in every}:
        mine = [a for a in every if a["innovation_id"] == innovation]
        curve = await diffusion(conn, innovation, viewer=None)
        assert [p.on for p in curve] == sorted(p.on for p in curve)
        assert curve[0].on == min(a["started_on"] for a in mine)
        last = curve[-1]
        assert last.adoptions == len(mine)
        assert last.organisations == len({a["organisation_id"] for a in mine})
        assert last.abandoned == sum(a["status"] == "ABANDONED" for a in mine)
        assert last.sustained == sum(a["status"] == "SUSTAINED" for a in mine)
    assert await diffusion(conn, uuid4(), viewer=None) == []


async def test_diffusion_accumulates_sites_and_organisations_day_by_day(
        blank: asyncpg.Connection) -> None:
    innovation, trust, board = uuid4(), uuid4(), uuid4()
    d = [date(2025, 4, day) for day in range(1, 7)]
    for org, site, started, sustained, abandoned in (
            (trust, "Royal Glamorgan", d[0], d[3], d[5]),
            (trust, "Prince Charles", d[1], None, None),
            (board, None, d[1], None, None),
            (trust, "Royal Glamorgan", d[2], None, None)):
        await blank.execute(
            "INSERT INTO rm_adoptions (adoption_id, innovation_id, organisation_id, site, "
            "status, adaptation, started_on, sustained_on, abandoned_on, started_at, position) "
            "VALUES ($1, $2, $3, $4, 'STARTED', 'a', $5, $6, $7, $8, $9)",
            uuid4(), innovation, org, site, started, sustained, abandoned, T0,
            next(positions))
    assert await diffusion(blank, innovation, viewer=None) == [
        DiffusionPoint(d[0], 1, 1, 1, 0, 0),
        DiffusionPoint(d[1], 3, 3, 2, 0, 0),
        DiffusionPoint(d[2], 4, 3, 2, 0, 0),
        DiffusionPoint(d[3], 4, 3, 2, 1, 0),
        DiffusionPoint(d[5], 4, 3, 2, 0, 1),
    ]


async def test_site_verdicts_are_the_adopting_sites_own_measures(
        conn: asyncpg.Connection) -> None:
    measured = await conn.fetch(
        "SELECT DISTINCT a.innovation_id FROM rm_adoptions a JOIN rm_measures m "
        "ON m.innovation_id = a.innovation_id AND m.organisation_id = a.organisation_id "
        "AND m.site IS NOT DISTINCT FROM a.site")
    assert measured, "the seed measures some adoptions at their own sites"
    for row in measured:
        verdicts = await site_verdicts(conn, row["innovation_id"], viewer=None)
        assert verdicts
        for v in verdicts:
            expected = await conn.fetchrow(
                "SELECT organisation_id, site, verdict, innovation_id FROM rm_measures "
                "WHERE measure_id = $1", v.measure_id)
            assert expected is not None
            assert (expected["organisation_id"], expected["site"], expected["verdict"],
                    expected["innovation_id"]) == (v.organisation_id, v.site, v.verdict,
                                                   row["innovation_id"])


# Innovation pages: the viewer's own part and the shared part (rm_innovation_shares) together


async def add_shared(conn: asyncpg.Connection, org: UUID, shared_with: Sequence[UUID], *,
                     title: str, submitted_at: datetime, owner: str | None = None,
                     challenge: UUID | None = None, share_rows: Sequence[UUID] | None = None
                     ) -> UUID:
    """An innovation of ``org`` shared with ``shared_with``, with its share rows (by default
    one per organisation shared with; ``share_rows`` writes others, as if they had drifted)."""
    ident = await add_innovation(conn, org, submitted_at=submitted_at)
    await conn.execute(
        "UPDATE rm_innovations SET title = $2, shared_with = $3, owner = $4, challenge_id = $5 "
        "WHERE id = $1", ident, title, list(shared_with), owner, challenge)
    for viewer in shared_with if share_rows is None else share_rows:
        await conn.execute(
            "INSERT INTO rm_innovation_shares SELECT id, $2, submitted_at, updated_at, title, "
            "stage, site, innovation_class, tags FROM rm_innovations WHERE id = $1",
            ident, viewer)
    return ident


async def test_pages_interleave_own_and_shared_innovations_through_ties_in_every_order(
        blank: asyncpg.Connection) -> None:
    viewer, other, third = uuid4(), uuid4(), uuid4()
    challenge = uuid4()
    made = [await add_shared(blank, org, [viewer] if org != viewer else [],
                             title=["Same", "Other"][n % 2], submitted_at=T0 + timedelta(
                                 hours=n // 3), owner=f"p{n % 3}",
                             challenge=challenge if n % 2 else None)
            for n, org in enumerate([viewer, other, third] * 4)]
    hidden = await add_shared(blank, other, [], title="Same", submitted_at=T0,
                              share_rows=[viewer])  # a share row the innovation's row denies
    innovations = {r["id"]: r for r in await rows(blank, "rm_innovations")}
    visible = [innovations[i] for i in made]
    assert hidden not in {i["id"] for i in visible}
    cases: list[tuple[InnovationFilter, Callable[[dict[str, Any]], bool]]] = [
             (InnovationFilter(), lambda i: True),
             (InnovationFilter(organisation_id=other), lambda i: i["organisation_id"] == other),
             (InnovationFilter(challenge_id=challenge), lambda i: i["challenge_id"] == challenge),
             (InnovationFilter(owner="p1"), lambda i: i["owner"] == "p1")]
    for f, matches in cases:
        for order, (column, direction) in ORDERS.items():
            want = sorted(sorted((i for i in visible if matches(i)), key=lambda i: i["id"]),
                          key=lambda i: i[column], reverse=direction == "DESC")

            async def fetch(after: Any, order: str = order,
                            f: InnovationFilter = f) -> Sequence[asyncpg.Record]:
                page = await innovations_page(blank, viewer, f, order=order, after=after,
                                              first=1)
                return page[:1]

            found = await every_page(fetch, lambda r: (r["cursor_value"], r["id"]))
            assert [r["id"] for p in found for r in p] == [i["id"] for i in want], (f, order)
