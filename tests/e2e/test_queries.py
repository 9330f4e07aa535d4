"""Innovation queries over the read model, over real HTTP: filters, order, keyset pages, what
each organisation may see, and read-your-writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.vocabulary import InnovationClass, SharingScope
from schema import positions
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer

PAGE = """query Page($filter: InnovationFilter, $order: InnovationOrder!, $first: Int,
                   $after: String, $at: String) {
  innovations(filter: $filter, orderBy: $order, first: $first, after: $after,
              consistentWith: $at) {
    edges { cursor node { id title stage problem organisationId tags latestVerdict { verdict } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  } }"""


@dataclass
class World:
    owner: Actor
    partner: Actor
    outsider: Actor
    ideas: list[UUID]
    summary_shared: UUID
    full_shared: UUID
    at: str


@pytest.fixture(scope="module")
def world(app: LifecycleApplication, live: LiveServer) -> World:
    org = new_organisation(app, "Swansea Bay UHB", ("Morriston", "Singleton"))
    partner_org = new_organisation(app, "Swansea University", ())
    outsider_org = new_organisation(app, "Cardiff and Vale UHB", ())
    staff, lead = member(org, Role.STAFF), member(org, Role.INNOVATION_LEAD)
    ideas = []
    for n in range(7):
        ideas.append(app.execute(c.SubmitIdea(
            title=f"Idea {n} {'sepsis' if n % 2 else 'falls'}", problem=f"problem {n}",
            proposal="a proposal", tags=("sepsis",) if n % 2 else ("falls",),
            innovation_class=InnovationClass.INNOVATION if n == 3 else
            InnovationClass.IMPROVEMENT, site="Morriston" if n < 4 else "Singleton"),
            CommandContext(staff)).aggregate_id)
    app.execute(c.AcceptIdea(ideas[0], reason="fits"), CommandContext(lead))
    app.execute(c.ShareInnovation(ideas[1], partner_org.organisation, SharingScope.SUMMARY),
                CommandContext(lead))
    last = app.execute(c.ShareInnovation(ideas[2], partner_org.organisation, SharingScope.FULL),
                       CommandContext(lead))
    at = positions.encode(app.store.epoch(), last.position)
    return World(staff, member(partner_org, Role.PARTNER), member(outsider_org, Role.STAFF),
                 ideas, ideas[1], ideas[2], at)


def page(live: LiveServer, actor: Actor, **variables: Any) -> dict[str, Any]:
    response = httpx.post(f"{live.url}/graphql", headers={
        "Authorization": f"Bearer {live.token(actor)}"}, json={
        "query": PAGE, "variables": {"order": "SUBMITTED_ASC", **variables}}, timeout=10)
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    connection: dict[str, Any] = body["data"]["innovations"]
    return connection


def ids(connection: dict[str, Any]) -> list[UUID]:
    return [UUID(e["node"]["id"]) for e in connection["edges"]]


def test_keyset_pages_return_every_visible_innovation_once_in_order(
        live: LiveServer, world: World) -> None:
    seen: list[UUID] = []
    after = None
    pages = 0
    while True:
        got = page(live, world.owner, first=3, after=after, at=world.at)
        seen.extend(ids(got))
        pages += 1
        assert got["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not got["pageInfo"]["hasNextPage"]:
            break
        after = got["pageInfo"]["endCursor"]
    assert seen == world.ideas
    assert pages == 3


def test_filters_narrow_the_list(live: LiveServer, world: World) -> None:
    def matching(**conditions: Any) -> list[UUID]:
        return ids(page(live, world.owner, filter=conditions, first=50, at=world.at))

    assert matching(stages=["CONCEPT"]) == [world.ideas[0]]
    assert matching(tag="sepsis") == [world.ideas[i] for i in (1, 3, 5)]
    assert matching(site="Singleton") == world.ideas[4:]
    assert matching(innovationClass="INNOVATION") == [world.ideas[3]]
    assert matching(search="sepsis idea", tag="sepsis", site="Morriston") == \
        [world.ideas[1], world.ideas[3]]


def test_title_order_pages_by_title(live: LiveServer, world: World) -> None:
    first = page(live, world.owner, order="TITLE_ASC", first=4, at=world.at)
    rest = page(live, world.owner, order="TITLE_ASC", first=50,
                after=first["pageInfo"]["endCursor"])
    titles = [e["node"]["title"] for e in first["edges"] + rest["edges"]]
    assert titles == sorted(titles)
    assert len(titles) == 7


def test_partner_sees_only_what_is_shared_and_summary_hides_the_detail(
        live: LiveServer, world: World) -> None:
    got = page(live, world.partner, first=50, at=world.at)
    nodes = {UUID(e["node"]["id"]): e["node"] for e in got["edges"]}
    assert set(nodes) == {world.summary_shared, world.full_shared}
    assert nodes[world.summary_shared]["problem"] is None
    assert nodes[world.full_shared]["problem"] == "problem 2"


def test_another_organisation_sees_none_of_them(live: LiveServer, world: World) -> None:
    assert page(live, world.outsider, first=50, at=world.at)["edges"] == []


def test_page_size_over_the_limit_is_refused(live: LiveServer, world: World) -> None:
    body = httpx.post(f"{live.url}/graphql", headers={
        "Authorization": f"Bearer {live.token(world.owner)}"}, json={
        "query": PAGE, "variables": {"order": "SUBMITTED_ASC", "first": 1000}}).json()
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert "first" in body["errors"][0]["message"]


def test_cursor_of_another_order_is_refused(live: LiveServer, world: World) -> None:
    cursor = page(live, world.owner, first=1, at=world.at)["pageInfo"]["endCursor"]
    body = httpx.post(f"{live.url}/graphql", headers={
        "Authorization": f"Bearer {live.token(world.owner)}"}, json={
        "query": PAGE, "variables": {"order": "TITLE_ASC", "after": cursor}}).json()
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"


def test_position_from_another_database_is_refused(live: LiveServer, world: World) -> None:
    from uuid import uuid4
    body = httpx.post(f"{live.url}/graphql", headers={
        "Authorization": f"Bearer {live.token(world.owner)}"}, json={
        "query": PAGE, "variables": {"order": "SUBMITTED_ASC",
                                     "at": positions.encode(uuid4(), 1)}}).json()
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert "epoch" in body["errors"][0]["message"]


def test_a_position_past_the_logs_head_is_refused_at_once_not_waited_for(
        live: LiveServer, world: World, app: LifecycleApplication) -> None:
    # It waited the whole timeout and then said "retry" (NOT_YET_CONSISTENT), though no
    # write had reached the position: waiting could never have answered it.
    beyond = positions.encode(app.store.epoch(), app.store.head() + 10**6)
    body = httpx.post(f"{live.url}/graphql", headers={
        "Authorization": f"Bearer {live.token(world.owner)}"}, json={
        "query": PAGE, "variables": {"order": "SUBMITTED_ASC", "at": beyond}},
        timeout=30).json()
    [error] = body["errors"]
    assert error["extensions"]["code"] == "POSITION_NOT_IN_LOG"
    assert error["extensions"]["retryable"] is False
    assert int(error["extensions"]["head"]) < app.store.head() + 10**6
    assert "not in the log yet" in error["message"]


BOARD_PAGE = """query($filter: InnovationFilter, $at: String) {
  innovations(filter: $filter, first: 50, consistentWith: $at) {
    edges { node { id stage site owner adoptions organisation { id name }
                   latestVerdict { verdict } } }
  } }"""


def test_a_page_with_organisations_and_verdicts_costs_three_read_queries_not_one_per_row(
        live: LiveServer, world: World) -> None:
    live.queries.clear()
    response = httpx.post(f"{live.url}/graphql", headers={
        "Authorization": f"Bearer {live.token(world.owner)}"}, json={
        "query": BOARD_PAGE, "variables": {"at": world.at}}, timeout=10).json()
    edges = response["data"]["innovations"]["edges"]
    assert len(edges) == 7
    assert {e["node"]["organisation"]["name"] for e in edges} == {"Swansea Bay UHB"}
    # The page, then one batch each for the organisations and the verdicts.
    reads = [q for q in live.queries if "rm_" in q]
    assert len(reads) == 3, reads


def test_an_innovation_alone_gets_its_organisation_and_verdict_through_the_loaders(
        live: LiveServer, world: World, app: LifecycleApplication) -> None:
    headers = {"Authorization": f"Bearer {live.token(world.owner)}"}
    ident = str(world.ideas[0])
    related = "organisation { name } latestVerdict { verdict }"
    live.queries.clear()
    alone = httpx.post(f"{live.url}/graphql", headers=headers, json={
        "query": f"query($id: ID!, $at: String) {{ innovation(id: $id, consistentWith: $at) "
                 f"{{ id {related} }} node(id: $id) {{ ... on Innovation {{ {related} }} }} }}",
        "variables": {"id": ident, "at": world.at}}, timeout=10).json()
    assert alone["data"]["innovation"] == {"id": ident, "organisation": {
        "name": "Swansea Bay UHB"}, "latestVerdict": None}
    assert alone["data"]["node"] == {"organisation": {"name": "Swansea Bay UHB"},
                                     "latestVerdict": None}
    # Two innovations read, then one batch each for the organisations and the verdicts.
    assert len([q for q in live.queries if "rm_" in q]) == 4, live.queries
    live.queries.clear()
    bare = httpx.post(f"{live.url}/graphql", headers=headers, json={
        "query": "query($id: ID!) { innovation(id: $id) { id } }",
        "variables": {"id": ident}}, timeout=10).json()
    assert bare["data"]["innovation"] == {"id": ident}
    assert len([q for q in live.queries if "rm_" in q]) == 1, live.queries  # nothing unasked
    elsewhere = member(new_organisation(app, "Powys THB", ()), Role.STAFF)  # not the world's
    changed = httpx.post(f"{live.url}/graphql", headers={
        "Authorization": f"Bearer {live.token(elsewhere)}"}, json={
        "query": "mutation { submitIdea(input: {title: \"Payload relations\", problem: \"p\", "
                 "proposal: \"q\"}) { ... on IdeaSubmitted { innovation { "
                 f"{related} }} }} }} }}"}, timeout=10).json()
    assert changed["data"]["submitIdea"]["innovation"] == {
        "organisation": {"name": "Powys THB"}, "latestVerdict": None}
