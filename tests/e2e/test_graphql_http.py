"""GraphQL over real HTTP against a running uvicorn."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import httpx
import jwt
import pytest

from lifecycle.actor import Actor
from lifecycle.application import LifecycleApplication
from tests.e2e.conftest import LiveServer

SUBMIT = """
mutation Submit($input: SubmitIdeaInput!) {
  submitIdea(input: $input) {
    __typename
    ... on IdeaSubmitted { position replayed innovation { id stage title tags site } }
    ... on UserError { message code }
    ... on ValidationError { field }
  }
}"""
GET = """query Get($id: ID!, $at: String) {
  innovation(id: $id, consistentWith: $at) { id title stage submittedBy } }"""


def post(live: LiveServer, query: str, variables: dict[str, Any],
         token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(f"{live.url}/graphql", json={"query": query, "variables": variables},
                      headers=headers, timeout=10)


def idea(**extra: Any) -> dict[str, Any]:
    return {"input": {"title": "Falls sensor mats", "problem": "Night-time falls on ward 7",
                      "proposal": "Pressure mats alert staff", "tags": ["falls"], **extra}}


def test_submitted_idea_can_be_read_back(live: LiveServer, staff: Actor) -> None:
    token = live.token(staff)
    submitted = post(live, SUBMIT, idea(site="Glangwili"), token).json()["data"]["submitIdea"]
    assert submitted["__typename"] == "IdeaSubmitted"
    assert submitted["innovation"]["stage"] == "SUBMITTED"
    ident = submitted["innovation"]["id"]

    read = post(live, GET, {"id": ident, "at": submitted["position"]}, token).json()
    assert read["data"]["innovation"] == {"id": ident, "title": "Falls sensor mats",
                                          "stage": "SUBMITTED", "submittedBy": staff.subject}


def test_same_idempotency_key_returns_the_original_idea(live: LiveServer, staff: Actor,
                                                        app: LifecycleApplication) -> None:
    token = live.token(staff)
    key = f"key-{uuid4()}"
    first = post(live, SUBMIT, idea(idempotencyKey=key), token).json()["data"]["submitIdea"]
    head = app.store.head()
    again = post(live, SUBMIT, idea(idempotencyKey=key), token).json()["data"]["submitIdea"]
    assert again["innovation"]["id"] == first["innovation"]["id"]
    assert again["position"] == first["position"]
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert app.store.head() == head


def test_reused_key_for_a_different_idea_is_refused(live: LiveServer, staff: Actor) -> None:
    token = live.token(staff)
    key = f"key-{uuid4()}"
    post(live, SUBMIT, idea(idempotencyKey=key), token)
    other = post(live, SUBMIT, idea(idempotencyKey=key, title="Different"), token)
    payload = other.json()["data"]["submitIdea"]
    assert payload["__typename"] == "IdempotencyKeyReusedError"
    assert key in payload["message"]


def test_invalid_idea_is_a_validation_error_and_stores_nothing(
        live: LiveServer, staff: Actor, app: LifecycleApplication) -> None:
    head = app.store.head()
    payload = post(live, SUBMIT, idea(title="   "), live.token(staff)).json()["data"]["submitIdea"]
    assert payload["__typename"] == "ValidationError"
    assert payload["field"] == "title"
    assert payload["code"] == "VALIDATION"
    assert app.store.head() == head


def test_unknown_site_is_a_validation_error(live: LiveServer, staff: Actor) -> None:
    payload = post(live, SUBMIT, idea(site="Atlantis"), live.token(staff)).json()
    assert payload["data"]["submitIdea"]["__typename"] == "ValidationError"
    assert "Atlantis" in payload["data"]["submitIdea"]["message"]


def test_without_a_token_an_operation_is_refused_unauthenticated_before_it_runs(
        live: LiveServer) -> None:
    # Refused before execution (schema/documents/variables.py): no field runs, no variable is
    # coerced, so the answer has no data at all.
    body = post(live, GET, {"id": str(uuid4())}).json()
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "Bearer" in body["errors"][0]["message"]


def test_forged_token_is_refused_with_401(live: LiveServer, staff: Actor) -> None:
    forged = jwt.encode({"sub": staff.subject, "org": str(staff.organisation),
                         "roles": ["admin"], "iss": "lifecycle", "aud": "lifecycle-api",
                         "iat": int(time.time()), "exp": int(time.time()) + 60},
                        "not-the-key-at-all-but-long-enough-for-hs256", algorithm="HS256",
                        headers={"kid": "lifecycle-dev"})
    response = post(live, GET, {"id": str(uuid4())}, forged)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "not valid" in response.json()["errors"][0]["message"]


def test_expired_token_is_refused_with_401(live: LiveServer, staff: Actor) -> None:
    from schema.server.tokens import dev_key
    expired = jwt.encode({"sub": staff.subject, "org": str(staff.organisation),
                          "roles": ["staff"], "iss": "lifecycle", "aud": "lifecycle-api",
                          "iat": int(time.time()) - 120, "exp": int(time.time()) - 60},
                         dev_key(live.settings), algorithm="HS256",
                         headers={"kid": "lifecycle-dev"})
    response = post(live, GET, {"id": str(uuid4())}, expired)
    assert response.status_code == 401
    assert "expired" in response.json()["errors"][0]["message"]


def test_malformed_authorization_header_is_refused(live: LiveServer) -> None:
    response = httpx.post(f"{live.url}/graphql", json={"query": GET, "variables": {"id": "x"}},
                          headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["errors"][0]["message"]


def test_other_organisations_idea_does_not_exist_for_the_caller(
        live: LiveServer, staff: Actor, app: LifecycleApplication) -> None:
    from lifecycle.actor import Role
    from tests.conftest import member, new_organisation
    outsider = member(new_organisation(app, "Powys Teaching Health Board", ()), Role.STAFF)
    mine = post(live, SUBMIT, idea(), live.token(staff)).json()["data"]["submitIdea"]
    seen = post(live, GET, {"id": mine["innovation"]["id"], "at": mine["position"]},
                live.token(outsider)).json()
    assert seen["data"]["innovation"] is None


def test_health_and_readiness(live: LiveServer) -> None:
    assert httpx.get(f"{live.url}/healthz").json()["status"] == "ok"
    ready = httpx.get(f"{live.url}/readyz").json()
    assert ready["status"] == "ready"
    assert ready["head"] >= 0


def test_me_is_the_caller_as_the_token_presents_them(live: LiveServer, staff: Actor) -> None:
    body = post(live, "{ me { subject organisationId roles staffGroup } }", {},
                live.token(staff)).json()
    assert body["data"]["me"] == {"subject": staff.subject,
                                  "organisationId": str(staff.organisation),
                                  "roles": ["staff"], "staffGroup": staff.staff_group}


def test_me_without_a_token_is_unauthenticated(live: LiveServer) -> None:
    body = post(live, "{ me { subject } }", {}).json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_without_a_token_introspection_alone_still_answers(live: LiveServer) -> None:
    body = post(live, "{ __typename }", {}).json()
    assert body == {"data": {"__typename": "Query"}}


def test_a_variable_with_a_list_over_the_largest_input_is_refused_naming_it(
        live: LiveServer, staff: Actor) -> None:
    stages = ["SUBMITTED"] * 5_001  # more than any input takes (5,000 observations the most)
    body = post(live, "query($t: [Stage!]) { innovations(filter: {stages: $t}) "
                      "{ edges { node { id } } } }", {"t": stages}, live.token(staff)).json()
    assert body.get("data") is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "VARIABLES_TOO_LARGE"
    assert error["extensions"]["variable"] == "t"
    assert "$t" in error["message"]
    assert "5000" in error["message"]


def test_variables_over_the_values_limit_are_refused_and_the_largest_batch_is_not(
        live: LiveServer, staff: Actor) -> None:
    record = ("mutation($i: RecordObservationsInput!) { recordObservations(input: $i) "
              "{ __typename } }")
    first = date(2020, 1, 1)
    batch = [{"on": (first + timedelta(days=n)).isoformat(), "value": 1} for n in range(5_000)]
    largest = post(live, record, {"i": {"measureId": str(uuid4()), "observations": batch}},
                   live.token(staff)).json()
    assert largest["data"]["recordObservations"]["__typename"] == "NotFoundError", largest
    two = {name: {"measureId": str(uuid4()), "observations": batch} for name in ("i", "j")}
    body = post(live, "mutation($i: RecordObservationsInput!, $j: RecordObservationsInput!) { "
                      "a: recordObservations(input: $i) { __typename } "
                      "b: recordObservations(input: $j) { __typename } }", two,
                live.token(staff)).json()
    assert body.get("data") is None, body
    assert body["errors"][0]["extensions"]["code"] == "VARIABLES_TOO_LARGE"
    assert body["errors"][0]["extensions"]["variable"] == "j"


FUNDING = ("mutation($i: RecordFundingInput!) { recordFunding(input: $i) { __typename "
           "... on ValidationError { field message } } }")


@pytest.mark.parametrize(("amount", "starts_on"), [
    ("1_000", "2026-01-01"), (" 5", "2026-01-01"), ("\u0665", "2026-01-01"), ("1e3", "2026-01-01"),
    ("5", "20260101"), ("5", "2026-1-1"), ("5", "\u0662\u0660\u0662\u0666-01-01"),
    ("5", "2026-W01-1")])
def test_money_and_dates_only_in_their_plain_forms(live: LiveServer, staff: Actor,
                                                   amount: str, starts_on: str) -> None:
    funding = {"innovationId": str(uuid4()), "source": "CHARITY", "funder": "Trust charity",
               "amount": amount, "startsOn": starts_on}
    body = post(live, FUNDING, {"i": funding}, live.token(staff)).json()
    assert body.get("data") is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "1234.56" in error["message"] or "YYYY-MM-DD" in error["message"], error


def test_pence_finer_than_two_places_is_a_typed_validation_error(live: LiveServer,
                                                                 staff: Actor) -> None:
    funding = {"innovationId": str(uuid4()), "source": "CHARITY", "funder": "Trust charity",
               "amount": "12.345", "startsOn": "2026-01-01"}
    body = post(live, FUNDING, {"i": funding}, live.token(staff)).json()
    assert body["data"]["recordFunding"]["__typename"] in ("ValidationError", "NotFoundError")
