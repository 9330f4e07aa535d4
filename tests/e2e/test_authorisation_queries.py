"""Authorisation over real HTTP, queries: every query of the schema, asked by a caller of every
standing towards an innovation (its own organisation, that organisation's auditor, a partner it is
shared with in FULL, an adopter it is shared with in FULL, a partner it is shared with as a SUMMARY,
one whose share was revoked, one it was never shared with and that one's auditor, anonymous). Where
the innovation does not exist for the caller, its answer is compared with the answer for an id never
used: same shape, same error. The matrix is read from the schema itself, so a query without an entry
fails here.

Each of the matrix's modules (test_authorisation_queries.py, _mutations.py, _replays.py) runs on
a world of its own (``standings_world`` of tests/e2e/authorisation.py, registered as the module's
``world`` fixture), built by tests/e2e/standings.py. No mutation runs on this one: the board's
queries are asserted for the record as the world built it."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from graphql import GraphQLObjectType

from tests.e2e.authorisation import (
    DETAIL,
    DETAIL_FIELDS,
    OWNERS,
    SCHEMA,
    SCOPE,
    SEES,
    SUMMARY_FIELDS,
    as_for_a_random_id,
    ask,
    every,
    leaves,
    standings_world,
)
from tests.e2e.standings import (
    ADOPTER,
    ANONYMOUS,
    FULL,
    HIDDEN,
    HIDDEN_WORD,
    OWN,
    STANDINGS,
    TITLE_WORD,
    World,
    assert_unauthenticated,
    post,
)

world = pytest.fixture(scope="module")(standings_world)


# -- 1. queries ---------------------------------------------------------------------------------
def check_innovation(world: World, standing: str) -> None:
    query = (f"query($id: ID!, $at: String) {{ innovation(id: $id, consistentWith: $at) "
             f"{{ {leaves('Innovation')} workspace {{ {every('Workspace')} }} }} }}")
    args = {"id": str(world.target), "at": world.at}
    if standing in HIDDEN:
        assert as_for_a_random_id(world, standing, query, "id", **args) == {"innovation": None}
        return
    got = ask(world, standing, query, **args)["innovation"]
    owners = ask(world, OWN, query, **args)["innovation"]
    assert all(owners[f] is not None for f in DETAIL_FIELDS), owners
    # A record of every kind is in the workspace (else its visibility would go untested).
    assert all(c["edges"] for c in owners["workspace"].values()), owners["workspace"]
    expected = owners if standing in DETAIL else {
        f: (None if f in DETAIL_FIELDS else v) for f, v in owners.items()}
    shares = owners["workspace"]["shares"]["edges"]
    assert len({e["node"]["organisationId"] for e in shares}) == 4  # the owner sees every share
    if standing in DETAIL - OWNERS:  # a partner: only the shares and revocations about itself
        mine = [e for e in shares if e["node"]["organisationId"] == str(world.organisation(
            standing))]
        assert mine
        expected = {**owners, "workspace": {**owners["workspace"], "shares": {
            "edges": mine, "pageInfo": {"hasNextPage": False}}}}
    assert got == expected, standing


def check_innovations(world: World, standing: str) -> None:
    query = """query($filter: InnovationFilter, $at: String) {
        innovations(filter: $filter, first: 100, consistentWith: $at) {
            edges { node { id problem proposal latestVerdict { measureId } } } } }"""

    def found(**conditions: Any) -> dict[str, Any]:
        data = ask(world, standing, query, filter={"tag": world.target_tag, **conditions},
                   at=world.at)
        return {e["node"]["id"]: e["node"] for e in data["innovations"]["edges"]}

    listed = found()
    assert set(listed) == ({str(world.target)} if standing in SEES else set())
    for node in listed.values():
        assert (node["problem"] is not None) is (standing in DETAIL)
        assert (node["latestVerdict"] is not None) is (standing in DETAIL)
    # A search matches only words the caller could read: the hidden problem text is no oracle.
    assert set(found(search=TITLE_WORD)) == set(listed)
    assert set(found(search=HIDDEN_WORD)) == (set(listed) if standing in DETAIL else set())


def check_spread(world: World, standing: str) -> None:
    query = """query($id: ID!) { spread(innovationId: $id) {
        adoptions { organisationId adaptation status startedOn history { status reason } }
        diffusion { adoptions organisations }
        siteVerdicts { organisationId measureId verdict } } }"""
    if standing in HIDDEN:
        assert as_for_a_random_id(world, standing, query, "id", id=str(world.target)) == {
            "spread": None}
        return
    spread = ask(world, standing, query, id=str(world.target))["spread"]
    owner, adopter = str(world.organisation(OWN)), str(world.organisation(ADOPTER))
    assert spread["diffusion"][-1] == {"adoptions": 2, "organisations": 2}  # counts: everyone
    adaptations = {a["organisationId"]: a["adaptation"] for a in spread["adoptions"]}
    verdicts = {v["measureId"] for v in spread["siteVerdicts"]}
    history = {a["organisationId"]: [(h["status"], h["reason"]) for h in a["history"]]
               for a in spread["adoptions"]}
    sustained = ("SUSTAINED", "kept after the audit")
    if standing in OWNERS | {ADOPTER}:  # the owner, and the adopter for its own record
        assert adaptations == {owner: "adapted by own", adopter: "adapted by adopter"}
        assert verdicts == {str(world.owner_measure), str(world.adopter_measure)}
        assert history[adopter] == [("STARTED", None), sustained]
    elif standing == FULL:  # who adopted, where, since when: not another adopter's detail
        assert adaptations == {owner: "adapted by own", adopter: None}
        assert verdicts == {str(world.owner_measure)}
        assert history[adopter] == [("STARTED", None), ("SUSTAINED", None)]
    else:  # a summary: counts only
        assert (adaptations, verdicts) == ({}, set())


def check_measure(world: World, standing: str) -> None:
    query = "query($id: ID!) { measure(id: $id) { id organisationId observationCount } }"
    for measure, seen_by in ((world.owner_measure, DETAIL),
                             (world.adopter_measure, OWNERS | {ADOPTER})):
        if standing in seen_by:
            got = ask(world, standing, query, id=str(measure))["measure"]
            assert (got["id"], got["observationCount"]) == (str(measure), 1)
        else:
            assert as_for_a_random_id(world, standing, query, "id", id=str(measure)) == {
                "measure": None}


def check_measures(world: World, standing: str) -> None:
    query = "query($id: ID!) { measures(innovationId: $id) { id } }"
    expected = {str(m) for m, seen_by in ((world.owner_measure, DETAIL),
                                          (world.adopter_measure, OWNERS | {ADOPTER}))
                if standing in seen_by}
    if not expected:  # nothing of it exists for the caller: as for an id never used
        assert as_for_a_random_id(world, standing, query, "id", id=str(world.target)) == {
            "measures": []}
        return
    got = ask(world, standing, query, id=str(world.target))
    assert {m["id"] for m in got["measures"]} == expected


def check_pipeline(world: World, standing: str) -> None:
    got = ask(world, standing, "{ pipeline { stages { stage count } } }")["pipeline"]
    counts = {s["stage"]: s["count"] for s in got["stages"] if s["count"]}
    assert (counts.get("SPREADING", 0) >= 1) is (standing in OWNERS), counts
    if standing not in OWNERS:
        assert counts == {}  # shared work never counts in another organisation's pipeline


def check_culture(world: World, standing: str) -> None:
    got = ask(world, standing, "{ culture { byStaffGroup { ideas } triaged } }")["culture"]
    ideas = sum(g["ideas"] for g in got["byStaffGroup"])
    assert (ideas > 0 and got["triaged"] > 0) is (standing in OWNERS), got
    if standing not in OWNERS:
        assert ideas == 0


def check_funding(world: World, standing: str) -> None:
    got = ask(world, standing, "{ funding { amount awards } }")["funding"]
    expected = (Decimal("12500.50"), 1) if standing in OWNERS else (Decimal(0), 0)
    assert (Decimal(got["amount"]), got["awards"]) == expected


def check_decisions(world: World, standing: str) -> None:
    got = ask(world, standing, "{ decisions(first: 100) { edges { node { innovationId } } } }")
    ids = {e["node"]["innovationId"] for e in got["decisions"]["edges"]}
    assert (str(world.target) in ids) is (standing in OWNERS)
    if standing not in OWNERS:
        assert ids == set()


def check_governance(world: World, standing: str) -> None:
    got = ask(world, standing, "{ governance { authority decided } }")["governance"]
    decided = {g["authority"]: g["decided"] for g in got}
    assert (decided["TEAM"] >= 1) is (standing in OWNERS)
    if standing not in OWNERS:
        assert set(decided.values()) == {0}


def check_organisations(world: World, standing: str) -> None:
    got = ask(world, standing, "{ organisations { id } }")["organisations"]
    assert {str(a.organisation) for a in world.organisations.values()} <= {o["id"] for o in got}


def check_challenges(world: World, standing: str) -> None:
    got = ask(world, standing, "{ challenges { id } }")["challenges"]
    assert (str(world.challenge) in {ch["id"] for ch in got}) is (standing in OWNERS)


def check_node(world: World, standing: str) -> None:
    query = """query($id: ID!) { node(id: $id) { __typename id
        ... on Innovation { problem } ... on Measure { observationCount } } }"""
    seen = {world.target: SEES, world.owner_measure: DETAIL,
            world.adopter_measure: OWNERS | {ADOPTER}, world.challenge: OWNERS,
            world.organisation(OWN): set(SCOPE)}
    for ident, seen_by in seen.items():
        if standing not in seen_by:
            assert as_for_a_random_id(world, standing, query, "id", id=str(ident)) == {
                "node": None}
            continue
        node = ask(world, standing, query, id=str(ident))["node"]
        assert node["id"] == str(ident)
        if node["__typename"] == "Innovation":
            assert (node["problem"] is not None) is (standing in DETAIL)


def check_learning(world: World, standing: str) -> None:
    """The target's completed prototype is in the library of whoever sees its detail, and
    nowhere else (a summary share shows none of it; a search cannot find it either)."""
    query = """query($filter: LearningFilter, $search: String, $at: String) {
        learning(filter: $filter, search: $search, first: 100, consistentWith: $at) {
            edges { node { prototype { prototypeId learning outcome }
                           innovation { id problem } } } } }"""

    def found(search: str | None = None) -> list[dict[str, Any]]:
        got = ask(world, standing, query, filter={"tag": world.target_tag}, search=search,
                  at=world.at)
        return [e["node"] for e in got["learning"]["edges"]]

    lessons = found()
    if standing in DETAIL:
        assert [(n["innovation"]["id"], n["prototype"]["learning"]) for n in lessons] == [
            (str(world.target), "needs a nurse")]
        assert lessons[0]["innovation"]["problem"] is not None
    else:
        assert lessons == []
    assert found(search="nurse") == lessons


def check_me(world: World, standing: str) -> None:
    actor = world.callers[standing]
    me = ask(world, standing, "{ me { subject organisationId roles } }")["me"]
    assert (me["subject"], UUID(me["organisationId"]), me["roles"]) == (
        actor.subject, actor.organisation, sorted(actor.roles))


def check_webhook_endpoints(world: World, standing: str) -> None:
    """An organisation's administrators list its own endpoints (none here); every other role
    is refused (tests/e2e/partners/test_webhooks.py has the rest)."""
    body = post(world.live, world.caller(standing), "{ webhookEndpoints { id } }")
    if "errors" in body:
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], body
    else:
        assert body["data"]["webhookEndpoints"] == []


def check_history(world: World, standing: str) -> None:
    """An innovation's history is part of its detail (README, "Audit")."""
    query = ("query($id: ID!) { history(id: $id, first: 100) { edges { node { type subject "
             "why data } } } }")
    if standing not in DETAIL:
        assert as_for_a_random_id(world, standing, query, "id", id=str(world.target)) == {
            "history": None}
        return
    got = ask(world, standing, query, id=str(world.target))["history"]
    assert got == ask(world, OWN, query, id=str(world.target))["history"]
    assert got["edges"][0]["node"]["type"] == "IdeaSubmitted"


def first_position(world: World) -> int:
    with world.app.store.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute("SELECT min(notification_id) AS p FROM lifecycle_events "
                     "WHERE originator_id = %s", (world.target,))
        row = curs.fetchone()
    assert row is not None
    return int(row["p"])


def check_audit_proof(world: World, standing: str) -> None:
    """A proof is given to whoever may read the event's record's history, once a checkpoint
    holds it (the served chaining worker signs one within a second of a write)."""
    query = ("query($p: String!) { auditProof(position: $p) { position leafIndex treeSize "
             "inclusionPath checkpoint } }")
    position = str(first_position(world))
    deadline = time.monotonic() + 60
    while ask(world, OWN, query, p=position)["auditProof"] is None:
        assert time.monotonic() < deadline, "no checkpoint came to hold the event"
        time.sleep(0.05)
    got = ask(world, standing, query, p=position)["auditProof"]
    never = ask(world, standing, query, p=str(2**62))["auditProof"]
    assert never is None
    if standing not in DETAIL:
        assert got is None
        return
    assert got is not None
    assert got["position"] == position


def latest_checkpoint(world: World) -> int | None:
    with world.app.store.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute("SELECT max(tree_size) AS n FROM audit_checkpoints")
        row = curs.fetchone()
    return None if row is None or row["n"] is None else int(row["n"])


def check_audit_consistency(world: World, standing: str) -> None:
    """Checkpoints and the proofs between them say nothing of any record: every caller gets
    them."""
    deadline = time.monotonic() + 60
    while (latest := latest_checkpoint(world)) is None:
        assert time.monotonic() < deadline, "no checkpoint was signed"
        time.sleep(0.05)
    size = str(latest)
    query = ("query($a: String!, $b: String!) { auditConsistency(fromSize: $a, toSize: $b) "
             "{ fromSize toSize consistencyPath } }")
    got = ask(world, standing, query, a=size, b=size)["auditConsistency"]
    assert got == {"fromSize": size, "toSize": size, "consistencyPath": []}


def check_erased_people(world: World, standing: str) -> None:
    """Which person ids lead to no one says nothing of any record: every caller is answered
    alike (ids only, never a name)."""
    query = "query($s: [ID!]!) { erasedPeople(subjects: $s) { subject } }"
    assert ask(world, standing, query, s=[world.people["staff"].subject]) == {"erasedPeople": []}


QUERIES: dict[str, Callable[[World, str], None]] = {
    "innovation": check_innovation, "innovations": check_innovations, "spread": check_spread,
    "measure": check_measure, "measures": check_measures, "pipeline": check_pipeline,
    "culture": check_culture, "funding": check_funding, "decisions": check_decisions,
    "governance": check_governance, "organisations": check_organisations,
    "challenges": check_challenges, "node": check_node, "me": check_me,
    "webhookEndpoints": check_webhook_endpoints,
    "history": check_history, "auditProof": check_audit_proof,
    "auditConsistency": check_audit_consistency,
    "learning": check_learning, "erasedPeople": check_erased_people,
}
ANONYMOUS_QUERIES = {
    "innovation": '{ innovation(id: "%s") { id } }', "innovations": "{ innovations { edges "
    "{ cursor } } }", "spread": '{ spread(innovationId: "%s") { diffusion { day } } }',
    "measure": '{ measure(id: "%s") { id } }', "measures": '{ measures(innovationId: "%s") '
    "{ id } }", "pipeline": "{ pipeline { stages { count } } }", "culture": "{ culture "
    "{ triaged } }", "funding": "{ funding { awards } }", "decisions": "{ decisions "
    "{ edges { cursor } } }", "governance": "{ governance { decided } }", "organisations":
    "{ organisations { id } }", "challenges": "{ challenges { id } }", "node":
    '{ node(id: "%s") { id } }', "me": "{ me { subject } }",
    "webhookEndpoints": "{ webhookEndpoints { id } }",
    "history": '{ history(id: "%s") { edges { cursor } } }',
    "auditProof": '{ auditProof(position: "1") { treeSize } }',
    "auditConsistency": '{ auditConsistency(fromSize: "1", toSize: "1") { toSize } }',
    "learning": "{ learning { edges { cursor } } }",
    "erasedPeople": '{ erasedPeople(subjects: ["person-1"]) { subject } }',
}


def test_every_query_of_the_schema_is_in_the_matrix() -> None:
    assert SCHEMA.query_type is not None
    assert set(SCHEMA.query_type.fields) == set(QUERIES) == set(ANONYMOUS_QUERIES)


def test_every_field_of_an_innovation_is_summary_or_detail() -> None:
    """A new field is neither until it is classified: the summary test would not cover it."""
    innovation = SCHEMA.get_type("Innovation")
    assert isinstance(innovation, GraphQLObjectType)
    assert set(innovation.fields) == SUMMARY_FIELDS | DETAIL_FIELDS
    assert not SUMMARY_FIELDS & DETAIL_FIELDS


@pytest.mark.parametrize("standing", STANDINGS)
@pytest.mark.parametrize("query", list(QUERIES))
def test_query_answers_each_standing_what_the_visibility_rule_allows(
        world: World, query: str, standing: str) -> None:
    if standing == ANONYMOUS:
        text = ANONYMOUS_QUERIES[query]
        assert_unauthenticated(post(world.live, None, text.replace("%s", str(world.target))))
        return
    QUERIES[query](world, standing)
