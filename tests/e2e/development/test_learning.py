"""The learning library, over real HTTP: it lists completed prototypes, failed ones as much as
any, of the caller's organisation and of what is shared with it in full. Refusals are typed."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext
from lifecycle.application import LifecycleApplication
from lifecycle.vocabulary import PrototypeOutcome, SharingScope
from tests.e2e.conftest import LiveServer
from tests.e2e.innovations.workspaces import Trust, data, graphql, head, workspace_trust
from tests.e2e.standings import DAY

trust = pytest.fixture(scope="module")(workspace_trust)


# -- the learning library -------------------------------------------------------------------------
LEARNING = """query($filter: LearningFilter, $search: String, $first: Int, $after: String,
    $at: String) { learning(filter: $filter, search: $search, first: $first, after: $after,
    consistentWith: $at) { edges { cursor node { prototype { prototypeId outcome learning }
    innovation { id title } } } pageInfo { hasNextPage endCursor } } }"""


def tried(app: LifecycleApplication, trust: Trust, tag: str, outcome: PrototypeOutcome,
          learning: str, scope: SharingScope | None = None) -> str:
    """A prototype completed with ``outcome`` on a fresh innovation tagged ``tag``."""
    lead = CommandContext(trust.lead)
    ident = app.execute(c.SubmitIdea(title=f"Tried {outcome.value}", problem="Falls",
                                     proposal="Huddle", tags=(tag,)),
                        CommandContext(trust.staff)).aggregate_id
    app.execute(c.AcceptIdea(ident, reason="fits"), lead)
    proto = app.execute(c.StartPrototype(ident, "PDSA", "h", "p", DAY), lead).created_id
    app.execute(c.CompletePrototype(ident, proto, outcome, "r", learning, DAY), lead)
    if scope is not None:
        app.execute(c.ShareInnovation(ident, trust.partner.organisation, scope), lead)
    return str(proto)


def lessons(live: LiveServer, actor: Actor, **variables: Any) -> list[dict[str, Any]]:
    got = data(live, actor, LEARNING, **variables)["learning"]["edges"]
    return [e["node"] for e in got]


def test_the_learning_library_lists_completed_prototypes_failed_ones_first_class(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    tag = f"learning-{uuid4().hex[:6]}"
    failed = tried(app, trust, tag, PrototypeOutcome.FAILED, "Nights need their own lead")
    worked = tried(app, trust, tag, PrototypeOutcome.SUCCEEDED, "Mornings worked well")
    lead = CommandContext(trust.lead)
    unfinished = app.execute(c.SubmitIdea(title="Unfinished", problem="p", proposal="q",
                                          tags=(tag,)), CommandContext(trust.staff)).aggregate_id
    app.execute(c.AcceptIdea(unfinished, reason="fits"), lead)
    app.execute(c.StartPrototype(unfinished, "PDSA", "h", "p", DAY), lead)
    at = head(app)

    every = lessons(live, trust.staff, filter={"tag": tag}, at=at)
    assert [n["prototype"]["prototypeId"] for n in every] == [worked, failed]  # latest first
    assert [n["innovation"]["title"] for n in every] == ["Tried SUCCEEDED", "Tried FAILED"]
    only_failed = lessons(live, trust.staff, filter={"tag": tag, "outcomes": ["FAILED"]}, at=at)
    assert [n["prototype"] for n in only_failed] == [
        {"prototypeId": failed, "outcome": "FAILED", "learning": "Nights need their own lead"}]
    searched = lessons(live, trust.staff, filter={"tag": tag}, search="night", at=at)
    assert [n["prototype"]["prototypeId"] for n in searched] == [failed]
    first = data(live, trust.staff, LEARNING, filter={"tag": tag}, first=1, at=at)["learning"]
    assert first["pageInfo"]["hasNextPage"]
    rest = lessons(live, trust.staff, filter={"tag": tag}, after=first["pageInfo"]["endCursor"])
    assert [n["prototype"]["prototypeId"] for n in rest] == [failed]


def test_the_learning_library_holds_what_is_shared_in_full_and_nothing_of_a_summary(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    tag = f"shared-learning-{uuid4().hex[:6]}"
    full = tried(app, trust, tag, PrototypeOutcome.INCONCLUSIVE, "Too few nights",
                 SharingScope.FULL)
    tried(app, trust, tag, PrototypeOutcome.FAILED, "Hidden lesson", SharingScope.SUMMARY)
    tried(app, trust, tag, PrototypeOutcome.FAILED, "Never shared")
    at = head(app)
    seen = lessons(live, trust.partner, filter={"tag": tag}, at=at)
    assert [n["prototype"]["prototypeId"] for n in seen] == [full]
    assert lessons(live, trust.partner, filter={"tag": tag}, search="hidden", at=at) == []
    assert len(lessons(live, trust.staff, filter={"tag": tag}, at=at)) == 3
    mine = lessons(live, trust.partner, filter={
        "tag": tag, "organisationId": str(trust.partner.organisation)}, at=at)
    assert mine == []  # none of the partner's own


@pytest.mark.parametrize(("variables", "field"), [
    ({"filter": {"completedFrom": "2025-02-01", "completedTo": "2025-01-01"}},
     "filter.completedFrom"),
    ({"filter": {"organisationId": "not-an-id"}}, "filter.organisationId"),
    ({"filter": {"tag": "a\nb"}}, "filter.tag"),
    ({"search": "x" * 10_000}, "search"),
    ({"after": "not-a-cursor"}, "after"),
    ({"first": -1}, "first"),
])
def test_a_learning_argument_out_of_its_rule_is_a_typed_refusal_naming_it(
        live: LiveServer, trust: Trust, variables: dict[str, Any], field: str) -> None:
    body = graphql(live, trust.staff, LEARNING, **variables)
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION", body
    assert error["message"].split(":")[0] in (field, "filter.completedTo"), body
