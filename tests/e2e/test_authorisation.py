"""Authorisation over real HTTP: every query and every mutation of the schema, asked by a caller of
every standing towards an innovation (its own organisation, that organisation's auditor, a
partner it is shared with in FULL, an adopter it is shared with in FULL, a partner it is shared
with as a SUMMARY, one whose share was revoked, one it was never shared with and that one's
auditor, anonymous). Where the innovation does not exist for the caller, its answer is compared
with the answer for an id never used: same shape, same error, nothing stored. The matrices are
read from the schema itself, so a query or mutation without an entry fails here.

The query tests come first in this module: the mutation tests add innovations to the same
organisations, and the board's queries are asserted for the record as the world built it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    get_named_type,
    is_leaf_type,
)

from lifecycle import commands as c
from lifecycle.application import LifecycleApplication
from schema import positions
from schema.root import build
from tests.e2e.conftest import LiveServer
from tests.e2e.standings import (
    ADOPTER,
    ANONYMOUS,
    AUDITOR,
    CLOSES,
    DAY,
    FULL,
    HIDDEN,
    HIDDEN_WORD,
    NONE,
    NONE_AUDITOR,
    OWN,
    REVOKED,
    STANDINGS,
    SUMMARY,
    TITLE_WORD,
    World,
    assert_unauthenticated,
    build_world,
    data_of,
    post,
)

SCHEMA: GraphQLSchema = build_schema(build().as_str())
# How much of an innovation of the owning trust each standing sees (lifecycle/visibility.py).
SCOPE = {OWN: "OWN", AUDITOR: "OWN", FULL: "FULL", ADOPTER: "FULL", SUMMARY: "SUMMARY",
         REVOKED: None, NONE: None, NONE_AUDITOR: None}
DETAIL = {s for s, scope in SCOPE.items() if scope in ("OWN", "FULL")}
SEES = {s for s, scope in SCOPE.items() if scope is not None}
OWNERS = {OWN, AUDITOR}  # of the owning trust: its board's questions count the record
# What a summary shows (README, "Roles"); every other field of an innovation is its detail.
SUMMARY_FIELDS = frozenset({
    "id", "version", "title", "stage", "innovationClass", "tags", "organisationId",
    "organisation", "site", "challengeId", "submittedBy", "staffGroup", "owner", "endorsements",
    "comments", "submittedAt", "stageEnteredAt", "prototypes", "evaluations", "adoptions",
    "liveAdoptions", "latestDecision", "updatedAt"})
DETAIL_FIELDS = frozenset({"problem", "proposal", "fundingTotal", "latestVerdict", "workspace"})


def leaves(type_name: str) -> str:
    """A selection of every field of ``type_name``, and of the leaves of its object fields."""
    parts = []
    named = SCHEMA.get_type(type_name)
    assert isinstance(named, GraphQLObjectType)
    for name, f in named.fields.items():
        inner = get_named_type(f.type)
        if is_leaf_type(inner):
            parts.append(name)
        elif isinstance(inner, GraphQLObjectType):
            sub = " ".join(n for n, g in inner.fields.items()
                           if is_leaf_type(get_named_type(g.type)) and not g.args)
            if sub:  # an object of connections only (the workspace) is selected by ``every``
                parts.append(f"{name} {{ {sub} }}")
    return " ".join(parts)


def every(type_name: str) -> str:
    """A selection of every connection of ``type_name`` (the workspace), each node's leaves and
    its object fields' leaves: a connection added to it is asked for here at once."""
    named = SCHEMA.get_type(type_name)
    assert isinstance(named, GraphQLObjectType)
    parts = []
    for name, f in named.fields.items():
        connection = get_named_type(f.type)
        assert isinstance(connection, GraphQLObjectType), (type_name, name)
        edge = get_named_type(connection.fields["edges"].type)
        assert isinstance(edge, GraphQLObjectType)
        node = get_named_type(edge.fields["node"].type)
        parts.append(f"{name}(first: 100) {{ edges {{ cursor node {{ {leaves(node.name)} }} }} "
                     "pageInfo { hasNextPage } }")
    return " ".join(parts)


@pytest.fixture(scope="module")
def world(app: LifecycleApplication, live: LiveServer) -> World:
    built = build_world(app, live)
    built.at = positions.encode(app.store.epoch(), app.store.head())
    wait_for_read_models(built)
    return built


def wait_for_read_models(world: World) -> None:
    """Queries without ``consistentWith`` (the board's, spread's verdicts) wait here until the
    read models hold the whole record."""
    query = """query($id: ID!) { spread(innovationId: $id) { siteVerdicts { measureId } }
        innovation(id: $id) { latestVerdict { measureId } }
        decisions(first: 50) { edges { node { innovationId } } } challenges { id } }"""
    deadline = time.monotonic() + 30
    while True:
        got = data_of(world.live, world.callers[OWN], query, id=str(world.target))
        if (got["spread"] and len(got["spread"]["siteVerdicts"]) == 2
                and got["innovation"] and got["innovation"]["latestVerdict"]
                and str(world.target) in {e["node"]["innovationId"]
                                          for e in got["decisions"]["edges"]}
                and str(world.challenge) in {ch["id"] for ch in got["challenges"]}):
            return
        assert time.monotonic() < deadline, got
        time.sleep(0.05)


def ask(world: World, standing: str, query: str, **variables: Any) -> dict[str, Any]:
    """The data ``standing`` gets, with no errors (anonymous: refused outright, and None)."""
    body = post(world.live, world.caller(standing), query, **variables)
    if standing == ANONYMOUS:
        assert_unauthenticated(body)
        return {}
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def as_for_a_random_id(world: World, standing: str, query: str, key: str,
                       **variables: Any) -> dict[str, Any]:
    """What ``standing`` gets for ``variables``, asserted equal to what it gets with ``key``
    replaced by an id never used."""
    got = ask(world, standing, query, **variables)
    random = ask(world, standing, query, **{**variables, key: str(uuid4())})
    assert got == random, (standing, got, random)
    return got


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


# -- 2. mutations -------------------------------------------------------------------------------
Build = Callable[[World, str], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    """A mutation in the matrix: the input for a caller of each standing, who acts for the
    owning trust (a role name of ``World.people``), the input field naming its target (None: it
    creates one), and who besides the owning trust succeeds. Every other standing is refused:
    ``ForbiddenError`` where the target exists for it, else what an id never used gets."""

    build: Build
    own: str
    target: str | None = "innovationId"
    allowed: frozenset[str] = frozenset()
    hidden: frozenset[str] = HIDDEN
    visible_target: bool = False  # a public target (an organisation): never hidden
    per_standing: bool = False  # the input depends on the caller's standing

    def expected(self, standing: str) -> str:
        if standing == OWN or standing in self.allowed:
            return "success"
        if standing in self.hidden and self.target is not None and not self.visible_target:
            return "hidden"
        return "ForbiddenError"


def on(build: Callable[[World], UUID], **fields: Any) -> Build:
    return lambda w, _: {"innovationId": str(build(w)), **fields}


REASON = {"reason": "it fits the strategy"}


def _prototype(w: World, _: str) -> dict[str, Any]:
    ident, proto = w.prototyping()
    return {"innovationId": str(ident), "prototypeId": str(proto), "outcome": "SUCCEEDED",
            "result": "worked", "learning": "needs a nurse", "completedOn": DAY.isoformat()}


def _adoption(w: World, standing: str) -> dict[str, Any]:
    ident, adoption = w.adoption_for(standing)
    return {"innovationId": str(ident), "adoptionId": str(adoption), **REASON}


def _merge(w: World, _: str) -> dict[str, Any]:
    return {"innovationId": str(w.submitted()), "intoId": str(w.submitted()), **REASON}


def _revoke(w: World, _: str) -> dict[str, Any]:
    ident = w.submitted()
    w.run(c.ShareInnovation(ident, w.organisation("recipient")), w.people["lead"])
    return {"innovationId": str(ident), "organisationId": str(w.organisation("recipient")),
            **REASON}


def _adopt(w: World, standing: str) -> dict[str, Any]:
    adopter = w.organisation(standing if standing != ANONYMOUS else OWN)
    return {"innovationId": str(w.adopted()), "organisationId": str(adopter),
            "adaptation": "as piloted", "startedOn": DAY.isoformat()}


def _challenge(w: World, _: str) -> dict[str, Any]:
    challenge = w.run(c.OpenChallenge("Fewer falls", "Falls at night", DAY,
                                      CLOSES), w.people["lead"])
    return {"challengeId": str(challenge.aggregate_id), **REASON}


THRESHOLDS = {"teamMaxCost": "5000", "teamMaxRisk": "LOW", "directorateMaxCost": "50000",
              "directorateMaxRisk": "MEDIUM", "executiveMaxCost": "500000",
              "executiveMaxRisk": "HIGH"}

MUTATIONS: dict[str, Case] = {
    "reviseIdea": Case(on(World.submitted, title="Ward huddle board", problem="Handovers",
                          proposal="A board", tags=[]), own="author"),
    "endorseIdea": Case(on(World.submitted), own="staff"),
    "commentOnIdea": Case(on(World.submitted, text="We tried this on ward 3"), own="staff"),
    "acceptIdea": Case(on(World.submitted, **REASON), own="lead"),
    "requestInformation": Case(on(World.submitted, **REASON), own="lead"),
    "mergeIdea": Case(_merge, own="lead"),
    "declineIdea": Case(on(World.submitted, **REASON), own="lead"),
    "assignOwner": Case(on(World.submitted, owner="person-owner", team=[]), own="lead"),
    "recordInvolvement": Case(on(World.submitted, kind="STAKEHOLDER", group="Carers",
                                 description="A workshop", involvedOn=DAY.isoformat()),
                              own="lead"),
    "startPrototype": Case(on(World.concept, title="PDSA 2", hypothesis="h", plan="p",
                              startedOn=DAY.isoformat()), own="lead"),
    "completePrototype": Case(_prototype, own="lead"),
    "recordEvaluation": Case(on(World.tested, method="SERVICE_EVALUATION",
                                scores=[{"criterion": "SAFETY", "score": 4}], evidence="audit",
                                recommendation="adopt", estimatedCost="4000", risk="LOW",
                                evaluatedOn=DAY.isoformat()), own="lead"),
    "recordFunding": Case(on(World.submitted, source="CHARITY", funder="Health Foundation",
                             amount="1000", startsOn=DAY.isoformat()), own="lead"),
    "decideAdoption": Case(on(World.evaluated, outcome="ADOPT", authority="TEAM",
                              rationale="cheap and safe", evidence=[]), own="team_governor"),
    "shareInnovation": Case(lambda w, _: {"innovationId": str(w.submitted()), "scope": "FULL",
                                          "organisationId": str(w.organisation("recipient"))},
                            own="lead"),
    "revokeSharing": Case(_revoke, own="lead"),
    # a partner adopts for itself where the owner shared the innovation with it in full
    "startAdoption": Case(_adopt, own="lead", allowed=frozenset({FULL, ADOPTER}),
                          per_standing=True),
    # its own adoption, whatever the share is now
    "sustainAdoption": Case(lambda w, s: {**_adoption(w, s), "sustainedOn": "2025-06-01"},
                            own="lead", allowed=frozenset({FULL, ADOPTER, SUMMARY}),
                            per_standing=True),
    "abandonAdoption": Case(lambda w, s: {**_adoption(w, s), "abandonedOn": "2025-06-01"},
                            own="lead", allowed=frozenset({FULL, ADOPTER, SUMMARY}),
                            per_standing=True),
    "embedInnovation": Case(on(World.adopted, **REASON), own="lead"),
    "parkInnovation": Case(on(World.submitted, **REASON), own="lead"),
    "reopenInnovation": Case(on(World.parked, **REASON), own="lead"),
    "closeInnovation": Case(on(World.submitted, learning="kept", **REASON), own="lead"),
    "submitIdea": Case(lambda w, _: {"title": "Ward huddle board", "problem": "Handovers",
                                     "proposal": "A shared board"},
                       own="staff", target=None, allowed=frozenset({NONE})),
    "registerOrganisation": Case(lambda w, _: {"name": f"Shadow trust {uuid4().hex[:6]}",
                                               "kind": "TRUST"}, own="platform", target=None),
    # the person registry is the platform's: only its administrator erases anyone
    "erasePerson": Case(lambda w, _: {"subject": w.app.people.register("Matrix Person").subject},
                        own="platform", target=None),
    "addSite": Case(lambda w, _: {"organisationId": str(w.organisation(OWN)),
                                  "site": f"Site {uuid4().hex[:6]}"},
                    own="admin", target="organisationId", visible_target=True),
    "changeThresholds": Case(lambda w, _: {"organisationId": str(w.organisation(OWN)),
                                           "thresholds": THRESHOLDS, **REASON},
                             own="admin", target="organisationId", visible_target=True),
    "openChallenge": Case(lambda w, _: {"title": "Fewer falls", "problem": "Falls at night",
                                        "opensOn": "2025-01-01", "closesOn": CLOSES.isoformat()},
                          own="lead", target=None, allowed=frozenset({NONE})),
    # a challenge is its organisation's own: it exists for no one else
    "closeChallenge": Case(_challenge, own="lead", target="challengeId",
                           hidden=HIDDEN | {FULL, ADOPTER, SUMMARY}),
    "defineMeasure": Case(on(World.adopted, name="Falls", unit="falls", better="LOWER",
                             chart="XMR"), own="lead", allowed=frozenset({FULL, ADOPTER})),
    # the owner's measure: seen (not recorded) by a FULL share; no one else's
    "recordObservations": Case(lambda w, _: {"measureId": str(w.owners_measure()),
                                             "observations": [{"on": "2025-02-03",
                                                               "value": 2.0}]},
                               own="lead", target="measureId", hidden=HIDDEN | {SUMMARY}),
    "startPhase": Case(lambda w, _: {"measureId": str(w.owners_measure()),
                                     "startsOn": "2025-02-03", "description": "go-live",
                                     **REASON}, own="lead", target="measureId",
                       hidden=HIDDEN | {SUMMARY}),
    "correctObservation": Case(lambda w, _: {"measureId": str(w.owners_measure()),
                                             "observation": {"on": DAY.isoformat(),
                                                             "value": 4.0}, **REASON},
                               own="lead", target="measureId", hidden=HIDDEN | {SUMMARY}),
    "withdrawObservation": Case(lambda w, _: {"measureId": str(w.owners_measure()),
                                              "on": DAY.isoformat(), **REASON},
                                own="lead", target="measureId", hidden=HIDDEN | {SUMMARY}),
    "setMeasureTarget": Case(lambda w, _: {"measureId": str(w.owners_measure()),
                                           "target": 2.0, **REASON},
                             own="lead", target="measureId", hidden=HIDDEN | {SUMMARY}),
}
ERROR_FIELDS = "__typename ... on UserError { code message } ... on NotFoundError { kind ident }"
ERRORS = frozenset({"ValidationError", "NotFoundError", "WrongStageError", "InvalidStateError",
                    "InsufficientAuthorityError", "ForbiddenError", "VersionConflictError",
                    "IdempotencyKeyReusedError"})


def mutation(name: str) -> str:
    """The mutation, asking for its errors, and for the object its success carries (whose
    detail shows what the caller's scope shows)."""
    success = SCHEMA.get_type(success_of(name))
    assert isinstance(success, GraphQLObjectType)
    carried = " ".join(f"{field} {{ id {'problem' if field == 'innovation' else ''} }}"
                       for field in ("innovation", "measure") if field in success.fields)
    receipt = " ".join(n for n, f in success.fields.items() if is_leaf_type(get_named_type(f.type)))
    return (f"mutation Do($input: {name[0].upper()}{name[1:]}Input!) {{\n"
            f"  {name}(input: $input) {{ {ERROR_FIELDS} ... on {success.name} {{ {carried} "
            f"{receipt} }} }} }}")


def success_of(name: str) -> str:
    """The success member of the mutation's payload union."""
    assert SCHEMA.mutation_type is not None
    union = get_named_type(SCHEMA.mutation_type.fields[name].type)
    assert isinstance(union, GraphQLUnionType)
    (success,) = [str(t.name) for t in union.types if t.name not in ERRORS]
    return success


def takes_version(name: str) -> bool:
    assert SCHEMA.mutation_type is not None
    argument = SCHEMA.mutation_type.fields[name].args["input"].type
    assert isinstance(argument, GraphQLNonNull)
    input_type = argument.of_type
    assert isinstance(input_type, GraphQLInputObjectType)
    return "expectedVersion" in input_type.fields


# An organisation's own webhook endpoints, which no other organisation's standing reaches:
# tests/e2e/partners/test_webhooks.py checks their roles and hidden ids.
WEBHOOK_MUTATIONS = {"registerWebhookEndpoint", "rotateWebhookSecret", "resumeWebhookEndpoint"}


def test_every_mutation_of_the_schema_is_in_the_matrix() -> None:
    assert SCHEMA.mutation_type is not None
    assert set(SCHEMA.mutation_type.fields) == set(MUTATIONS) | WEBHOOK_MUTATIONS


_REFUSED: dict[tuple[str, str], dict[str, Any]] = {}


def refused_input(world: World, name: str, standing: str) -> dict[str, Any]:
    """The input for a caller that will be refused: a refusal stores nothing, so its target
    serves every such caller (built once), unless the input depends on the standing."""
    case = MUTATIONS[name]
    key = (name, standing if case.per_standing else "")
    if key not in _REFUSED:
        _REFUSED[key] = case.build(world, standing)
    return _REFUSED[key]


@dataclass
class Sent:
    payload: dict[str, Any]
    stored: bool = field(default=False)


def send(world: World, app: LifecycleApplication, actor: Any, name: str,
         input: dict[str, Any]) -> Sent:
    head = app.store.head()
    body = post(world.live, actor, mutation(name), input=input)
    assert "errors" not in body, body
    return Sent(body["data"][name], app.store.head() > head)


@pytest.mark.parametrize("standing", STANDINGS)
@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutation_answers_each_standing_by_the_policy_and_a_hidden_target_as_a_missing_one(
        world: World, app: LifecycleApplication, name: str, standing: str) -> None:
    case = MUTATIONS[name]
    expected = case.expected(standing)
    input = refused_input(world, name, standing) if expected != "success" \
        else case.build(world, standing)
    if standing == ANONYMOUS:
        head = app.store.head()
        assert_unauthenticated(post(world.live, None, mutation(name), input=input))
        assert app.store.head() == head
        return
    actor = world.people[case.own] if standing == OWN else world.callers[standing]
    sent = send(world, app, actor, name, input)
    if expected == "success":
        assert (sent.payload["__typename"], sent.stored) == (success_of(name), True), sent
        innovation = sent.payload.get("innovation")
        if innovation is not None:  # the payload shows what the caller's scope shows
            assert (innovation["problem"] is not None) is (standing in DETAIL | {NONE}), sent
        return
    if expected == "ForbiddenError":
        assert (sent.payload["__typename"], sent.stored) == ("ForbiddenError", False), sent
        return
    # Hidden: exactly what an id never used gets, expected version or not (a version check
    # must not confirm that the target exists), and nothing stored.
    assert case.target is not None
    versions = [{}, {"expectedVersion": 99}] if takes_version(name) else [{}]
    for version in versions:
        missing = str(uuid4())
        hidden = send(world, app, actor, name, {**input, **version})
        random = send(world, app, actor, name, {**input, case.target: missing, **version})
        assert not hidden.stored
        assert not random.stored
        assert hidden.payload["__typename"] == "NotFoundError", hidden
        asked = input[case.target]
        assert hidden.payload == {**random.payload, "ident": asked,
                                  "message": random.payload["message"].replace(missing, asked)}


@pytest.mark.parametrize("name", ["sustainAdoption", "abandonAdoption"])
def test_an_adoption_a_caller_may_not_see_answers_as_a_missing_one(
        world: World, app: LifecycleApplication, name: str) -> None:
    """A summary shows counts only: another organisation's adoption (whose id a caller could
    guess) does not exist for a SUMMARY partner."""
    ident, adoption = world.adoption_for(FULL)
    day = {"sustainAdoption": "sustainedOn", "abandonAdoption": "abandonedOn"}[name]
    input = {"innovationId": str(ident), "adoptionId": str(adoption), day: "2025-06-01",
             **REASON}
    missing = str(uuid4())

    hidden = send(world, app, world.callers[SUMMARY], name, input)
    random = send(world, app, world.callers[SUMMARY], name, {**input, "adoptionId": missing})

    assert not hidden.stored
    assert hidden.payload["__typename"] == "NotFoundError", hidden
    assert hidden.payload == {**random.payload, "ident": str(adoption),
                              "message": random.payload["message"].replace(missing,
                                                                           str(adoption))}


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
