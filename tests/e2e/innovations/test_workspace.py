"""The innovation's workspace, over real HTTP: nothing recorded is write-only. After each kind of
write (through its mutation), the workspace read with the write's position holds what was
written; its lists page by cursor without repeats or skips; a list of innovations reads their
workspaces in one statement a list, not one an innovation. Refusals are typed. The learning
library: tests/e2e/development/test_learning.py."""

from __future__ import annotations

import base64
from typing import Any

import orjson
import pytest

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext
from lifecycle.application import LifecycleApplication
from lifecycle.vocabulary import SharingScope
from schema import pagination
from tests.e2e.conftest import LiveServer
from tests.e2e.innovations.workspaces import Trust, data, graphql, head, workspace_trust

trust = pytest.fixture(scope="module")(workspace_trust)


def write(live: LiveServer, actor: Actor, name: str, success: str, fields: str = "", /,
          **input: Any) -> dict[str, Any]:
    document = (f"mutation($input: {name[0].upper()}{name[1:]}Input!) {{ {name}(input: $input) "
                f"{{ __typename ... on {success} {{ position {fields} }} "
                "... on UserError { code message } } }")
    payload: dict[str, Any] = data(live, actor, document, input=input)[name]
    assert payload["__typename"] == success, payload
    return payload


LISTS = {
    "revisions": "title problem proposal tags revisedBy",
    "prototypes": "prototypeId title hypothesis plan startedOn startedBy outcome result "
                  "learning completedOn completedBy",
    "evaluations": "evaluationId method scores { criterion score } evidence recommendation "
                   "estimatedCost risk evaluatedOn evaluatedBy",
    "comments": "commentId text author",
    "endorsements": "endorser",
    "involvement": "kind group description involvedOn recordedBy",
    "funding": "fundingId source funder programme amount startsOn endsOn recordedBy",
    "owners": "owner team assignedBy",
    "judgements": "judgement reason learning intoId judgedBy",
    "shares": "organisationId change scope reason decidedBy",
}


def workspace(live: LiveServer, actor: Actor, ident: str, at: str | None = None,
              **page: Any) -> dict[str, Any] | None:
    """Every list of the innovation's workspace (``page``: first/after for each), read at
    ``at``: each as its list of nodes."""
    args = ", ".join(f"{k}: {v!r}".replace("'", '"') for k, v in page.items())
    lists = " ".join(f"{name}{f'({args})' if args else ''} {{ edges {{ node {{ {fields} }} }} }}"
                     for name, fields in LISTS.items())
    got = data(live, actor, f"query($id: ID!, $at: String) {{ innovation(id: $id, "
               f"consistentWith: $at) {{ workspace {{ {lists} }} }} }}", id=ident, at=at)
    space = got["innovation"]["workspace"]
    if space is None:
        return None
    return {name: [e["node"] for e in connection["edges"]] for name, connection in space.items()}


def test_the_workspace_read_after_each_kind_of_write_holds_what_was_written(
        live: LiveServer, trust: Trust) -> None:
    submitted = write(live, trust.staff, "submitIdea", "IdeaSubmitted", "innovation { id }",
                      title="Night huddle", problem="Falls at night", proposal="A 10pm huddle")
    ident = submitted["innovation"]["id"]
    on = {"innovationId": ident}
    lead, staff = trust.lead.subject, trust.staff.subject

    def after(payload: dict[str, Any]) -> dict[str, Any]:
        space = workspace(live, trust.staff, ident, payload["position"])
        assert space is not None
        return space

    original = {"title": "Night huddle", "problem": "Falls at night", "proposal": "A 10pm huddle",
                "tags": [], "revisedBy": staff}
    assert after(submitted) == {**{name: [] for name in LISTS}, "revisions": [original]}
    revised = write(live, trust.staff, "reviseIdea", "IdeaRevised", title="Night huddle",
                    problem="Falls at night on two wards", proposal="A 10pm huddle",
                    tags=["falls"], **on)
    assert after(revised)["revisions"] == [original, {
        **original, "problem": "Falls at night on two wards", "tags": ["falls"]}]

    commented = write(live, trust.staff, "commentOnIdea", "CommentAdded", "commentId",
                      text="We tried this on ward 3", **on)
    assert after(commented)["comments"] == [{"commentId": commented["commentId"],
                                             "text": "We tried this on ward 3", "author": staff}]

    endorsed = write(live, trust.lead, "endorseIdea", "IdeaEndorsed", **on)
    assert after(endorsed)["endorsements"] == [{"endorser": lead}]

    involved = write(live, trust.lead, "recordInvolvement", "InvolvementRecorded",
                     kind="PATIENT_PUBLIC", group="Carers' forum",
                     description="A workshop on handovers", involvedOn="2025-01-10", **on)
    assert after(involved)["involvement"] == [{
        "kind": "PATIENT_PUBLIC", "group": "Carers' forum",
        "description": "A workshop on handovers", "involvedOn": "2025-01-10",
        "recordedBy": lead}]

    write(live, trust.lead, "assignOwner", "OwnerAssigned", owner="person-first", team=[], **on)
    reassigned = write(live, trust.lead, "assignOwner", "OwnerAssigned", owner="person-second",
                       team=["person-nurse"], **on)
    assert after(reassigned)["owners"] == [  # the history, oldest first: the last is current
        {"owner": "person-first", "team": [], "assignedBy": lead},
        {"owner": "person-second", "team": ["person-nurse"], "assignedBy": lead}]

    funded = write(live, trust.lead, "recordFunding", "FundingRecorded", "fundingId",
                   source="CHARITY", funder="Health Foundation", programme="Q Exchange",
                   amount="12500.50", startsOn="2025-01-06", endsOn="2025-12-31", **on)
    assert after(funded)["funding"] == [{
        "fundingId": funded["fundingId"], "source": "CHARITY", "funder": "Health Foundation",
        "programme": "Q Exchange", "amount": "12500.50", "startsOn": "2025-01-06",
        "endsOn": "2025-12-31", "recordedBy": lead}]

    write(live, trust.lead, "requestInformation", "InformationRequested",
          reason="Which wards?", **on)
    accepted = write(live, trust.lead, "acceptIdea", "IdeaAccepted", reason="Fits the plan",
                     **on)
    assert after(accepted)["judgements"] == [
        {"judgement": "INFORMATION_REQUESTED", "reason": "Which wards?", "learning": None,
         "intoId": None, "judgedBy": lead},
        {"judgement": "ACCEPTED", "reason": "Fits the plan", "learning": None, "intoId": None,
         "judgedBy": lead}]
    started = write(live, trust.lead, "startPrototype", "PrototypeStarted", "prototypeId",
                    title="PDSA 1", hypothesis="A huddle halves night falls",
                    plan="Two wards for four weeks", startedOn="2025-02-03", **on)
    plan = {"prototypeId": started["prototypeId"], "title": "PDSA 1",
            "hypothesis": "A huddle halves night falls", "plan": "Two wards for four weeks",
            "startedOn": "2025-02-03", "startedBy": lead}
    undone = {"outcome": None, "result": None, "learning": None, "completedOn": None,
              "completedBy": None}
    assert after(started)["prototypes"] == [{**plan, **undone}]

    completed = write(live, trust.lead, "completePrototype", "PrototypeCompleted",
                      prototypeId=started["prototypeId"], outcome="FAILED",
                      result="No fewer falls", learning="Nights need their own lead",
                      completedOn="2025-03-03", **on)
    assert after(completed)["prototypes"] == [{
        **plan, "outcome": "FAILED", "result": "No fewer falls",
        "learning": "Nights need their own lead", "completedOn": "2025-03-03",
        "completedBy": lead}]

    evaluated = write(live, trust.lead, "recordEvaluation", "EvaluationRecorded", "evaluationId",
                      method="SERVICE_EVALUATION",
                      scores=[{"criterion": "SAFETY", "score": 2},
                              {"criterion": "STAFF_EXPERIENCE", "score": 4}],
                      evidence="Falls audit", recommendation="Rework the rota",
                      estimatedCost="4000", risk="LOW", evaluatedOn="2025-03-10", **on)
    assert after(evaluated)["evaluations"] == [{
        "evaluationId": evaluated["evaluationId"], "method": "SERVICE_EVALUATION",
        "scores": [{"criterion": "SAFETY", "score": 2},
                   {"criterion": "STAFF_EXPERIENCE", "score": 4}],
        "evidence": "Falls audit", "recommendation": "Rework the rota",
        "estimatedCost": "4000.00", "risk": "LOW", "evaluatedOn": "2025-03-10",
        "evaluatedBy": lead}]

    partner, onlooker = str(trust.partner.organisation), str(trust.summary.organisation)
    write(live, trust.lead, "shareInnovation", "InnovationShared", organisationId=partner,
          scope="FULL", **on)
    write(live, trust.lead, "shareInnovation", "InnovationShared", organisationId=onlooker,
          scope="SUMMARY", **on)
    revoked = write(live, trust.lead, "revokeSharing", "SharingRevoked", organisationId=onlooker,
                    reason="The pilot agreement ended", **on)
    shared = {"organisationId": partner, "change": "SHARED", "scope": "FULL", "reason": None,
              "decidedBy": lead}
    assert after(revoked)["shares"] == [
        shared,
        {"organisationId": onlooker, "change": "SHARED", "scope": "SUMMARY", "reason": None,
         "decidedBy": lead},
        {"organisationId": onlooker, "change": "REVOKED", "scope": None,
         "reason": "The pilot agreement ended", "decidedBy": lead}]
    # A partner that sees the detail reads only the sharing about itself.
    seen = workspace(live, trust.partner, ident, revoked["position"])
    assert seen is not None
    assert seen["shares"] == [shared]


def test_the_judgements_keep_each_reason_a_closings_learning_and_a_merges_target(
        live: LiveServer, trust: Trust) -> None:
    def submitted() -> str:
        payload = write(live, trust.staff, "submitIdea", "IdeaSubmitted", "innovation { id }",
                        title="Night huddle", problem="Falls", proposal="A huddle")
        ident: str = payload["innovation"]["id"]
        return ident

    kept, merged = submitted(), submitted()
    write(live, trust.lead, "parkInnovation", "InnovationParked", innovationId=kept,
          reason="Winter pressures")
    write(live, trust.lead, "reopenInnovation", "InnovationReopened", innovationId=kept,
          reason="Spring")
    write(live, trust.lead, "mergeIdea", "IdeaMerged", innovationId=merged, intoId=kept,
          reason="The same idea")
    closed = write(live, trust.lead, "closeInnovation", "InnovationClosed", innovationId=kept,
                   reason="Superseded", learning="Handovers matter more than huddles")
    got = [(j["judgement"], j["reason"], j["learning"], j["intoId"])
           for j in (workspace(live, trust.staff, kept, closed["position"]) or {})["judgements"]]
    assert got == [("PARKED", "Winter pressures", None, None), ("REOPENED", "Spring", None, None),
                   ("CLOSED", "Superseded", "Handovers matter more than huddles", None)]
    space = workspace(live, trust.staff, merged, closed["position"]) or {}
    assert [(j["judgement"], j["intoId"]) for j in space["judgements"]] == [("MERGED", kept)]


def shared_innovation(app: LifecycleApplication, trust: Trust, scope: SharingScope,
                      comments: int = 1) -> str:
    lead = CommandContext(trust.lead)
    ident = app.execute(c.SubmitIdea(title="Shared huddle", problem="Falls", proposal="Huddle"),
                        CommandContext(trust.staff)).aggregate_id
    for n in range(comments):
        app.execute(c.CommentOnIdea(ident, f"comment {n}"), lead)
    app.execute(c.ShareInnovation(ident, trust.partner.organisation, SharingScope.FULL), lead)
    app.execute(c.ShareInnovation(ident, trust.summary.organisation, scope), lead)
    return str(ident)


def test_a_full_share_reads_the_workspace_and_a_summary_share_reads_none_of_it(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    ident = shared_innovation(app, trust, SharingScope.SUMMARY)
    at = head(app)
    owners = workspace(live, trust.staff, ident, at)
    assert owners is not None
    assert owners["comments"]
    # The same, but the sharing: a partner reads the sharing about itself, not with others.
    partner = str(trust.partner.organisation)
    assert workspace(live, trust.partner, ident, at) == {
        **owners, "shares": [s for s in owners["shares"] if s["organisationId"] == partner]}
    assert len(owners["shares"]) == 2
    assert workspace(live, trust.summary, ident, at) is None


def test_workspace_lists_page_by_cursor_without_repeats_or_skips(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    ident = shared_innovation(app, trust, SharingScope.SUMMARY, comments=5)
    query = """query($id: ID!, $at: String, $after: String) { innovation(id: $id,
        consistentWith: $at) { workspace { comments(first: 2, after: $after) {
            edges { cursor node { text } } pageInfo { hasNextPage endCursor } } } } }"""
    at, after, texts, pages = head(app), None, [], 0
    while True:
        got = data(live, trust.staff, query, id=ident, at=at, after=after)
        page = got["innovation"]["workspace"]["comments"]
        texts += [e["node"]["text"] for e in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert (texts, pages) == ([f"comment {n}" for n in range(5)], 3)


def raw_cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "not-a-cursor", pagination.encode_position("prototypes", 1),  # another list's
    raw_cursor(["comments", -1]), raw_cursor(["comments", 2**63]),  # no position
    raw_cursor(["comments", "1"]), raw_cursor(["comments", True])])
def test_a_workspace_cursor_not_of_that_list_is_a_typed_refusal_naming_after(
        live: LiveServer, app: LifecycleApplication, trust: Trust, cursor: str) -> None:
    ident = shared_innovation(app, trust, SharingScope.SUMMARY)
    body = graphql(live, trust.staff, """query($id: ID!, $after: String) { innovation(id: $id) {
        workspace { comments(after: $after) { edges { cursor } } } } }""", id=ident,
                   after=cursor)
    (error,) = body["errors"]
    assert (error["extensions"]["code"], error["message"]) == (
        "VALIDATION", "after: is not a cursor of this list"), body


def test_a_workspace_page_size_out_of_range_is_a_typed_refusal(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    ident = shared_innovation(app, trust, SharingScope.SUMMARY)
    body = graphql(live, trust.staff, """query($id: ID!) { innovation(id: $id) {
        workspace { prototypes(first: 101) { edges { cursor } } } } }""", id=ident)
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION"
    assert error["message"].startswith("first")


def test_a_page_of_innovations_reads_each_workspace_list_in_one_statement(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    for _ in range(3):
        shared_innovation(app, trust, SharingScope.SUMMARY, comments=2)
    at = head(app)
    query = """query($at: String) { innovations(first: 3, consistentWith: $at) { edges { node {
        workspace { comments { edges { node { text } } } owners { edges { cursor } } } } } } }"""
    live.queries.clear()
    got = data(live, trust.staff, query, at=at)
    assert [len(e["node"]["workspace"]["comments"]["edges"])
            for e in got["innovations"]["edges"]] == [2, 2, 2]
    assert len([q for q in live.queries if "rm_comments" in q]) == 1, live.queries
    assert len([q for q in live.queries if "rm_owner_history" in q]) == 1, live.queries
