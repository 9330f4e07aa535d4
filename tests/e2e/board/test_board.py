"""The board's dashboards over real HTTP: each answers for the caller's organisation alone."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx
import pytest

from lifecycle.actor import Actor, Role
from lifecycle.application import LifecycleApplication
from lifecycle.innovations.innovation import Innovation
from lifecycle.seed import seed
from schema import positions
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer

BOARD = """query Board($at: String) {
  innovations(first: 1, consistentWith: $at) { edges { cursor } }
  pipeline { stages { stage count } conversions { fromStage toStage reached converted } }
  culture { byStaffGroup { staffGroup ideas } frontlineShare awaitingTriage }
  funding { amount awards bySource { key amount } }
  governance { authority decided escalated required }
  decisions(first: 5) { edges { node { decisionId authority requiredAuthority escalated } }
                        pageInfo { hasNextPage endCursor } }
}"""


def ask(live: LiveServer, actor: Actor, query: str, **variables: Any) -> dict[str, Any]:
    body: dict[str, Any] = httpx.post(
        f"{live.url}/graphql", headers={"Authorization": f"Bearer {live.token(actor)}"},
        json={"query": query, "variables": variables}, timeout=30).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


@pytest.fixture(scope="module")
def trust(app: LifecycleApplication) -> tuple[Actor, dict[str, int], str]:
    """A seeded organisation: a board member of its first trust, its stage counts, a position."""
    seed(app, seed=77, innovations=36)
    head = app.store.head()
    counts: dict[UUID, dict[str, int]] = {}
    for n in app.recorder.select_notifications(1, 100_000,
                                               topics=["lifecycle/IdeaSubmitted"]):
        innovation: Any = app.repository.get(UUID(str(n.originator_id)))
        assert isinstance(innovation, Innovation)
        by_org = counts.setdefault(innovation.organisation_id, {})
        by_org[innovation.stage.value] = by_org.get(innovation.stage.value, 0) + 1
    busiest = max(counts, key=lambda org: sum(counts[org].values()))
    board = Actor("board-1", busiest, frozenset({Role.GOVERNANCE_BOARD}))
    return board, counts[busiest], positions.encode(app.store.epoch(), head)


def test_pipeline_counts_are_the_organisations_own_innovations_by_stage(
        live: LiveServer, trust: tuple[Actor, dict[str, int], str]) -> None:
    board, expected, at = trust
    data = ask(live, board, BOARD, at=at)
    got = {s["stage"]: s["count"] for s in data["pipeline"]["stages"] if s["count"]}
    assert got == expected
    assert len(data["pipeline"]["stages"]) == 9


def test_decisions_register_pages_and_governance_agree(
        live: LiveServer, trust: tuple[Actor, dict[str, int], str]) -> None:
    board, _, at = trust
    data = ask(live, board, BOARD, at=at)
    decided = sum(level["decided"] for level in data["governance"])
    seen = [e["node"] for e in data["decisions"]["edges"]]
    after = data["decisions"]["pageInfo"]["endCursor"]
    while data["decisions"]["pageInfo"]["hasNextPage"]:
        data = ask(live, board, """query($after: String) { decisions(first: 5, after: $after) {
            edges { node { decisionId authority requiredAuthority escalated } }
            pageInfo { hasNextPage endCursor } } }""", after=after)
        seen.extend(e["node"] for e in data["decisions"]["edges"])
        after = data["decisions"]["pageInfo"]["endCursor"]
    assert len(seen) == decided > 0
    assert len({d["decisionId"] for d in seen}) == decided
    order = ["TEAM", "DIRECTORATE", "EXECUTIVE", "BOARD"]
    for decision in seen:
        above = order.index(decision["authority"]) > order.index(decision["requiredAuthority"])
        assert decision["escalated"] is above


def test_another_organisation_sees_none_of_it(
        live: LiveServer, app: LifecycleApplication,
        trust: tuple[Actor, dict[str, int], str]) -> None:
    _, _, at = trust
    # a registered organisation: a token for one that is not is refused outright
    stranger = member(new_organisation(app, "Stranger Trust", ()), Role.GOVERNANCE_BOARD)
    data = ask(live, stranger, BOARD, at=at)
    assert all(s["count"] == 0 for s in data["pipeline"]["stages"])
    assert data["decisions"]["edges"] == []
    assert data["funding"]["awards"] == 0


def test_dates_out_of_order_are_refused(live: LiveServer,
                                        trust: tuple[Actor, dict[str, int], str]) -> None:
    board, _, _ = trust
    body = httpx.post(f"{live.url}/graphql", headers={
        "Authorization": f"Bearer {live.token(board)}"}, json={"query": """{
        culture(submittedFrom: "2026-05-01", submittedTo: "2026-01-01") { triaged } }"""}).json()
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"
