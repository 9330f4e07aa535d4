"""An auditor's scope over real HTTP (issue 13: "an auditor's scope comes from the token's
claims"): an auditor's token names the organisations it audits (``audit_orgs``), and every read
it makes, ordinary and audit alike, answers as those organisations see the record, and as no
other, its own organisation included. A token without a usable scope is a JSON 401 naming the
claim.

The rows here add auditors to the authorisation matrix (``test_authorisation_*.py``): for an
innovation of one organisation, shared in FULL with a second and as a SUMMARY with a third, an
auditor whose scope is the owner (from another organisation), the FULL partner, the SUMMARY
partner, the owner and the FULL partner together, the two partners together, and the stranger
(while belonging to the owner)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.audit.history import history
from schema.server.tokens import AUDIT_ORGS
from tests.conftest import ADMIN
from tests.e2e.conftest import LiveServer
from tests.e2e.partners.client import connected, nexts
from tests.e2e.partners.conftest import cursor
from tests.e2e.test_token_claims import call, dev_token, unauthorised
from tests.integration.audit_world import World, build

# Standings of an auditor towards the world's innovation, by the organisations it audits.
OWNER, EXTERNAL_OWNER, FULL, SUMMARY, OWNER_AND_FULL, BOTH_PARTNERS, STRANGER = (
    "owner", "external_owner", "full", "summary", "owner_and_full", "both_partners", "stranger")
# The scope each sees the innovation at (lifecycle/visibility.py): the widest of its scope's.
SEEN = {OWNER: "OWN", EXTERNAL_OWNER: "OWN", FULL: "FULL", SUMMARY: "SUMMARY",
        OWNER_AND_FULL: "OWN", BOTH_PARTNERS: "FULL", STRANGER: None}
STANDINGS = tuple(SEEN)
DETAIL = {s for s, scope in SEEN.items() if scope in ("OWN", "FULL")}
# Whose board's questions (the decision register) count the innovation: the owner's.
COUNTS = {OWNER, EXTERNAL_OWNER, OWNER_AND_FULL}


class Scoped:
    def __init__(self, app: LifecycleApplication) -> None:
        self.world: World = build(app)
        w = self.world
        own, full = w.lead.organisation, w.full.organisation
        summary, stranger = w.summary.organisation, w.stranger.organisation
        scopes: dict[str, tuple[UUID, frozenset[UUID]]] = {
            OWNER: (own, frozenset({own})),
            EXTERNAL_OWNER: (stranger, frozenset({own})),
            FULL: (own, frozenset({full})),
            SUMMARY: (summary, frozenset({summary})),
            OWNER_AND_FULL: (stranger, frozenset({own, full})),
            BOTH_PARTNERS: (own, frozenset({full, summary})),
            STRANGER: (own, frozenset({stranger})),
        }
        self.auditors = {standing: Actor(f"auditor-{standing}", org, frozenset({Role.AUDITOR}),
                                         audit_scope=audits)
                         for standing, (org, audits) in scopes.items()}
        # The stranger's own innovation: what its auditor does see, and no one else here.
        self.strangers = app.execute(
            c.SubmitIdea(title="A stranger's idea", problem="p", proposal="q"),
            CommandContext(Actor("stranger-staff", stranger, frozenset({Role.STAFF})))
        ).aggregate_id
        entries = history(app, None, w.innovation, first=100).entries
        self.decided = next(e.position for e in entries if e.type == "AdoptionDecided")


@pytest.fixture(scope="module")
def scoped(app: LifecycleApplication, live: LiveServer) -> Scoped:
    built = Scoped(app)
    deadline = time.monotonic() + 60
    while True:  # until the read models hold the record (the served projector runs them)
        got = ask(live, built.auditors[OWNER], """query($id: ID!, $s: ID!) {
            innovation(id: $id) { id } other: node(id: $s) { id }
            decisions(first: 50) { edges { node { innovationId } } } }""",
                  id=str(built.world.innovation), s=str(built.strangers))["data"]
        if got["innovation"] and got["decisions"]["edges"]:
            return built
        assert time.monotonic() < deadline, got
        time.sleep(0.1)


def ask(live: LiveServer, actor: Actor, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(f"{live.url}/graphql", headers={
        "Authorization": f"Bearer {live.token(actor)}"}, json={
        "query": query, "variables": variables}, timeout=30)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def data(live: LiveServer, actor: Actor, query: str, **variables: Any) -> dict[str, Any]:
    body = ask(live, actor, query, **variables)
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]
    return found


def now() -> str:
    return datetime.now(UTC).isoformat()


# -- the matrix: each query, each auditor --------------------------------------------------------
@pytest.mark.parametrize("standing", STANDINGS)
def test_an_auditor_reads_an_innovation_as_its_scope_sees_it(
        live: LiveServer, scoped: Scoped, standing: str) -> None:
    ident = str(scoped.world.innovation)
    got = data(live, scoped.auditors[standing], """query($id: ID!) {
        innovation(id: $id) { id problem } node(id: $id) { id } }""", id=ident)
    if SEEN[standing] is None:
        assert got == {"innovation": None, "node": None}
    else:
        detail = "Lost notes" if standing in DETAIL else None
        assert got == {"innovation": {"id": ident, "problem": detail}, "node": {"id": ident}}


@pytest.mark.parametrize("standing", STANDINGS)
def test_an_auditor_lists_each_innovation_of_its_scope_once_and_no_other(
        live: LiveServer, scoped: Scoped, standing: str) -> None:
    edges = data(live, scoped.auditors[standing], """{ innovations(first: 100) {
        edges { node { id } } } }""")["innovations"]["edges"]
    ids = [e["node"]["id"] for e in edges]
    expected = [] if SEEN[standing] is None else [str(scoped.world.innovation)]
    if standing == STRANGER:
        expected = [str(scoped.strangers)]
    assert ids == expected


@pytest.mark.parametrize("standing", STANDINGS)
def test_an_auditor_reads_history_and_the_state_as_of_a_moment_as_its_scope_does(
        live: LiveServer, scoped: Scoped, standing: str) -> None:
    ident = str(scoped.world.innovation)
    got = data(live, scoped.auditors[standing], """query($id: ID!, $at: DateTime!) {
        history(id: $id, first: 1) { edges { node { type } } }
        innovation(id: $id, asOf: $at) { id problem } }""", id=ident, at=now())
    if standing in DETAIL:
        assert got["history"] == {"edges": [{"node": {"type": "IdeaSubmitted"}}]}
    else:
        assert got["history"] is None
    if SEEN[standing] is None:
        assert got["innovation"] is None
    else:
        detail = "Lost notes" if standing in DETAIL else None
        assert got["innovation"] == {"id": ident, "problem": detail}


@pytest.mark.parametrize("standing", STANDINGS)
def test_an_auditors_decision_register_is_its_scopes_now_and_as_of_a_moment(
        live: LiveServer, scoped: Scoped, standing: str) -> None:
    got = data(live, scoped.auditors[standing], """query($at: DateTime) {
        now: decisions(first: 50) { edges { node { innovationId } } }
        then: decisions(first: 50, asOf: $at) { edges { node { innovationId } } } }""",
               at=now())
    expected = [str(scoped.world.innovation)] if standing in COUNTS else []
    for register in ("now", "then"):
        assert [e["node"]["innovationId"] for e in got[register]["edges"]] == expected


@pytest.mark.parametrize("standing", STANDINGS)
def test_an_auditor_gets_a_spread_and_a_proof_only_within_its_scope(
        live: LiveServer, scoped: Scoped, standing: str) -> None:
    ident = str(scoped.world.innovation)
    spread = data(live, scoped.auditors[standing], """query($id: ID!) {
        spread(innovationId: $id) { diffusion { adoptions } } }""", id=ident)["spread"]
    assert (spread is not None) is (SEEN[standing] is not None)
    proof = """query($p: String!) { auditProof(position: $p) { position } }"""
    deadline = time.monotonic() + 60
    while True:  # until the served chaining worker has signed a checkpoint holding the event
        insider = data(live, scoped.auditors[OWNER], proof, p=str(scoped.decided))
        if insider["auditProof"] is not None:
            break
        assert time.monotonic() < deadline, "no checkpoint came to hold the event"
        time.sleep(0.1)
    got = data(live, scoped.auditors[standing], proof, p=str(scoped.decided))["auditProof"]
    assert (got is not None) is (standing in DETAIL)


async def test_an_auditor_follows_its_scopes_stream_and_one_of_several_is_refused(
        app: LifecycleApplication, live: LiveServer, scoped: Scoped) -> None:
    """A stream follows one organisation's view (schema/partners/subscriptions.py): an auditor
    of the FULL partner replays what was shared with it; one of both partners is refused,
    typed, before any event."""
    shared = "subscription($after: String) { sharedInnovationEvents(after: $after) { type } }"
    start = cursor(app, scoped.decided)
    async with connected(live.url, live.token(scoped.auditors[FULL])) as ws:
        op = await ws.subscribe(shared, after=start)
        [first] = await nexts(ws, op, 1)
    assert first["sharedInnovationEvents"]["type"] == "SharedWith"
    async with connected(live.url, live.token(scoped.auditors[BOTH_PARTNERS])) as ws:
        await ws.subscribe(shared, after=start)
        refused = await ws.receive()
    assert refused["type"] == "error", refused
    assert refused["payload"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "audits 2 organisations" in refused["payload"][0]["message"]


# -- refusals: a token whose scope is missing, empty or malformed --------------------------------
@pytest.mark.parametrize(("claims", "said"), [
    ({"roles": ["auditor"]}, AUDIT_ORGS),
    ({"roles": ["auditor"], AUDIT_ORGS: []}, AUDIT_ORGS),
    ({"roles": ["auditor"], AUDIT_ORGS: "not a list"}, AUDIT_ORGS),
    ({"roles": ["auditor"], AUDIT_ORGS: ["not-an-id"]}, AUDIT_ORGS),
    ({"roles": ["auditor"], AUDIT_ORGS: [7]}, AUDIT_ORGS),
    ({"roles": ["auditor"], AUDIT_ORGS: [str(uuid4()) for _ in range(101)]}, AUDIT_ORGS),
    ({"roles": ["auditor"], AUDIT_ORGS: [str(uuid4())]}, AUDIT_ORGS),  # not registered
    ({"roles": ["staff"], AUDIT_ORGS: ["{org}"]}, AUDIT_ORGS),  # not an auditor
    ({"roles": ["auditor", "staff"], AUDIT_ORGS: ["{org}"]}, "roles"),  # held alone
], ids=["missing", "empty", "not-a-list", "not-an-id", "a-number", "too-many", "unknown",
        "not-an-auditor", "with-another-role"])
def test_a_token_without_a_usable_audit_scope_is_refused_naming_the_claim(
        live: LiveServer, scoped: Scoped, claims: dict[str, Any], said: str) -> None:
    org = str(scoped.world.lead.organisation)
    if isinstance(claims.get(AUDIT_ORGS), list):
        claims = {**claims, AUDIT_ORGS: [org if o == "{org}" else o
                                         for o in claims[AUDIT_ORGS]]}
    token = dev_token(live, org=org, **claims)
    message = unauthorised(call(live, token, "{ me { subject } }"))
    assert f"'{said}' claim is not valid" in message, message


def test_a_platform_administrators_token_carries_no_audit_scope(
        live: LiveServer, scoped: Scoped) -> None:
    claims: dict[str, Any] = {AUDIT_ORGS: [str(scoped.world.lead.organisation)]}
    token = dev_token(live, roles=["platform_admin"], **claims)
    message = unauthorised(call(live, token, "{ me { subject } }"))
    assert f"'{AUDIT_ORGS}' claim is not valid" in message, message
    assert ADMIN.audit_scope == frozenset()
