"""Webhooks against a real server and a real receiver on loopback: registered by an
organisation's administrator, delivered in log order at least once, signed per Standard
Webhooks (verified with the `standardwebhooks` package, as a receiver would), CloudEvents 1.0
bodies, retried with backoff, paused after repeated failures and resumed, what each
organisation sees at each position and nothing else."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from standardwebhooks import Webhook

from lifecycle.actor import Actor, Role
from lifecycle.application import LifecycleApplication
from lifecycle.store.database import Database
from lifecycle.vocabulary import SharingScope
from schema import positions
from tests.conftest import (
    drop_database,
    fresh_database,
    make_app,
    member,
    new_organisation,
    settings_for,
)
from tests.e2e.conftest import LiveServer, serving
from tests.e2e.partners.conftest import comment, revoke, share, submit
from tests.e2e.partners.receiver import receiving

REFUSAL = "... on UserError { code message } ... on ValidationError { field }"
REGISTER = """mutation($url: String!, $types: [String!]!) {
  registerWebhookEndpoint(input: {url: $url, eventTypes: $types}) { __typename
    ... on WebhookSecretIssued { secret endpoint { id url eventTypes state } } """ + REFUSAL \
    + " } }"
ENDPOINTS = """{ webhookEndpoints { id state pausedReason
  deliveries(first: 50) { position attempt status error succeeded type } } }"""
RESUME = """mutation($id: ID!) { resumeWebhookEndpoint(input: {endpointId: $id}) {
  ... on WebhookEndpointResumed { endpoint { state } } """ + REFUSAL + " } }"
ROTATE = """mutation($id: ID!) { rotateWebhookSecret(input: {endpointId: $id}) {
  ... on WebhookSecretIssued { secret } """ + REFUSAL + " } }"


@pytest.fixture(scope="module")
def hooked(server: Database, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[LifecycleApplication, LiveServer]]:
    """A database and server of their own (their delivery worker alone delivers), allowed to
    deliver to loopback, retrying quickly."""
    db = fresh_database(server, "lifecycle_hooks")
    settings = settings_for(db, Path(tmp_path_factory.mktemp("hooks"))).model_copy(update={
        "webhook_allow_loopback": True, "webhook_backoff_seconds": 0.05,
        "webhook_backoff_max_seconds": 0.2, "webhook_attempts": 5})
    app = make_app(db, pool_size=4)
    try:
        with serving(settings, db) as url:
            yield app, LiveServer(url, settings, [])
    finally:
        app.close()
        drop_database(server, db)


def gql(live: LiveServer, actor: Actor, query: str, **variables: Any) -> dict[str, Any]:
    body: dict[str, Any] = httpx.post(
        f"{live.url}/graphql", json={"query": query, "variables": variables}, timeout=30,
        headers={"Authorization": f"Bearer {live.token(actor)}"}).json()
    return body


def register(live: LiveServer, admin: Actor, url: str, types: list[str] | None = None
             ) -> tuple[str, str]:
    body = gql(live, admin, REGISTER, url=url, types=types or [])
    assert "errors" not in body, body
    made = body["data"]["registerWebhookEndpoint"]
    assert made["secret"].startswith("whsec_")
    return made["endpoint"]["id"], made["secret"]


def cloud_event(body: bytes) -> CloudEvent:
    event = JSONFormat().read(CloudEvent, body)
    assert isinstance(event, CloudEvent)
    return event


def data_of(event: CloudEvent) -> dict[str, Any]:
    data = event.get_data()
    assert isinstance(data, dict), data
    return data


def test_deliveries_verify_as_standard_webhooks_and_read_as_cloudevents(
        hooked: tuple[LifecycleApplication, LiveServer]) -> None:
    app, live = hooked
    admin = new_organisation(app, "Hooked Trust A")
    lead = member(admin, Role.INNOVATION_LEAD)
    with receiving() as receiver:
        _, secret = register(live, admin, receiver.url)
        innovation = submit(app, lead)
        commented = comment(app, lead, innovation, "Trialled on ward 4")
        got = receiver.wait_for(2)
    verifier = Webhook(secret)
    for request in got:
        verifier.verify(request.body, request.headers)  # raises unless signed with the secret
        assert request.headers["content-type"].startswith("application/cloudevents+json")
    events = [cloud_event(r.body) for r in got]
    assert [e.get_type() for e in events] == ["IdeaSubmitted", "CommentAdded"]
    assert events[1].get_id() == str(commented) == got[1].headers["webhook-id"]
    assert events[1].get_subject() == str(innovation)
    assert events[1].get_source() == "/lifecycle"
    assert data_of(events[1])["scope"] == "OWN"


def test_a_receiver_failing_three_times_then_recovering_gets_every_delivery_in_order(
        hooked: tuple[LifecycleApplication, LiveServer]) -> None:
    app, live = hooked
    admin = new_organisation(app, "Hooked Trust B")
    lead = member(admin, Role.INNOVATION_LEAD)
    with receiving() as receiver:
        receiver.fail_next = 3
        register(live, admin, receiver.url, ["CommentAdded"])
        innovation = submit(app, lead)
        written = [comment(app, lead, innovation, f"note {n}") for n in range(4)]
        got = receiver.wait_for(4)
    assert [int(r.headers["webhook-id"]) for r in got] == written
    assert [int(r.headers["webhook-id"]) for r in receiver.requests[:4]] == [written[0]] * 4
    log = gql(live, admin, ENDPOINTS)["data"]["webhookEndpoints"][0]["deliveries"]
    first = [d for d in log if positions.decode(app.store.epoch(), d["position"]) == written[0]]
    assert sorted((d["attempt"], d["succeeded"], d["status"]) for d in first) == [
        (1, False, 500), (2, False, 500), (3, False, 500), (4, True, 200)]
    assert all(d["error"] is None or "stay quiet" not in d["error"] for d in log)


def test_an_endpoint_that_keeps_failing_is_paused_and_resumes_where_it_stopped(
        hooked: tuple[LifecycleApplication, LiveServer]) -> None:
    app, live = hooked
    admin = new_organisation(app, "Hooked Trust C")
    lead = member(admin, Role.INNOVATION_LEAD)
    with receiving() as receiver:
        receiver.failing = True
        ident, _ = register(live, admin, receiver.url, ["CommentAdded"])
        innovation = submit(app, lead)
        written = [comment(app, lead, innovation, f"note {n}") for n in range(2)]
        deadline = time.monotonic() + 60
        while True:
            [endpoint] = gql(live, admin, ENDPOINTS)["data"]["webhookEndpoints"]
            if endpoint["state"] == "PAUSED":
                break
            assert time.monotonic() < deadline, endpoint
            time.sleep(0.05)
        assert "5 attempts" in endpoint["pausedReason"]
        assert "HTTP 500" in endpoint["pausedReason"]
        receiver.failing = False
        assert gql(live, admin, RESUME, id=ident)["data"]["resumeWebhookEndpoint"] == {
            "endpoint": {"state": "ACTIVE"}}
        got = receiver.wait_for(2)
    assert [int(r.headers["webhook-id"]) for r in got] == written


def test_a_partners_endpoint_gets_only_what_its_organisation_sees_at_each_position(
        hooked: tuple[LifecycleApplication, LiveServer]) -> None:
    app, live = hooked
    owner = member(new_organisation(app, "Hooked Owner D"), Role.INNOVATION_LEAD)
    partner_admin = new_organisation(app, "Hooked Partner D")
    stranger_admin = new_organisation(app, "Hooked Stranger D")
    with receiving() as partner_hook, receiving() as stranger_hook:
        register(live, partner_admin, partner_hook.url)
        register(live, stranger_admin, stranger_hook.url)
        innovation = submit(app, owner)
        comment(app, owner, innovation, "before the share")
        shared = share(app, owner, innovation, partner_admin, SharingScope.SUMMARY)
        during = comment(app, owner, innovation, "while shared")
        revoke(app, owner, innovation, partner_admin)
        comment(app, owner, innovation, "after the revocation")
        sentinel = share(app, owner, submit(app, owner, "Sentinel"), partner_admin,
                         SharingScope.FULL)
        stranger_sentinel = share(app, owner, submit(app, owner, "Other"), stranger_admin,
                                  SharingScope.SUMMARY)
        got = partner_hook.wait_for(3)
        stranger = stranger_hook.wait_for(1)
    assert [int(r.headers["webhook-id"]) for r in got] == [shared, during, sentinel]
    assert [data_of(cloud_event(r.body))["scope"] for r in got] == [
        "SUMMARY", "SUMMARY", "FULL"]
    assert [int(r.headers["webhook-id"]) for r in stranger] == [stranger_sentinel]


def test_a_rotated_secret_signs_every_later_delivery(
        hooked: tuple[LifecycleApplication, LiveServer]) -> None:
    app, live = hooked
    admin = new_organisation(app, "Hooked Trust E")
    lead = member(admin, Role.INNOVATION_LEAD)
    with receiving() as receiver:
        ident, old = register(live, admin, receiver.url, ["CommentAdded"])
        innovation = submit(app, lead)
        comment(app, lead, innovation, "signed with the first secret")
        receiver.wait_for(1)
        new = gql(live, admin, ROTATE, id=ident)["data"]["rotateWebhookSecret"]["secret"]
        comment(app, lead, innovation, "signed with the second")
        got = receiver.wait_for(2)
    assert new != old
    Webhook(old).verify(got[0].body, got[0].headers)
    Webhook(new).verify(got[1].body, got[1].headers)


def test_secrets_never_enter_the_event_log(
        hooked: tuple[LifecycleApplication, LiveServer]) -> None:
    app, live = hooked
    admin = new_organisation(app, "Hooked Trust F")
    _, secret = register(live, admin, "http://127.0.0.1:9/unused")
    with psycopg.connect(live.settings.database_url or "") as conn:
        stored = conn.execute("SELECT count(*) FROM lifecycle_events "
                              "WHERE position(%s in convert_from(state, 'UTF8')) > 0",
                              (secret.removeprefix("whsec_"),)).fetchone()
        sealed = conn.execute("SELECT secret FROM webhook_endpoints").fetchall()
    assert stored == (0,)
    assert all(secret.encode() not in bytes(row[0]) for row in sealed)


@pytest.mark.parametrize(("url", "why"), [
    ("ftp://example.org/hook", "must be"),
    ("https://user:pass@example.org/hook", "user name"),
    ("http:///hook", "host"),
    ("http://10.0.0.7/hook", "not public"),
    ("http://169.254.169.254/latest/meta-data", "not public"),
    ("http://[fd00::1]/hook", "not public"),
    ("http://127.0.0.1:9/hook", "not public"),  # loopback, on a server that does not allow it
    ("http://[64:ff9b::a9fe:a9fe]/latest/meta-data", "not public"),  # NAT64 to the metadata
    ("http://[2002:7f00:1::]:9/hook", "not public"),  # 6to4 to loopback
    ("http://[::7f00:1]:9/hook", "not public"),  # IPv4-compatible loopback
    ("http://nonexistent.invalid/hook", "does not resolve"),
])
def test_an_endpoint_url_that_could_reach_inside_is_refused(
        app: LifecycleApplication, live: LiveServer, url: str, why: str) -> None:
    admin = new_organisation(app, "Guarded Trust")
    refused = gql(live, admin, REGISTER, url=url, types=[])["data"]["registerWebhookEndpoint"]
    assert (refused["__typename"], refused["code"]) == ("ValidationError", "VALIDATION")
    assert why in refused["message"]
    assert gql(live, admin, ENDPOINTS)["data"]["webhookEndpoints"] == []


@pytest.mark.parametrize("role", [Role.STAFF, Role.INNOVATION_LEAD, Role.AUDITOR])
def test_only_an_organisations_administrators_manage_its_endpoints(
        app: LifecycleApplication, live: LiveServer, role: Role) -> None:
    someone = member(new_organisation(app, "Ruled Trust"), role)
    registered = gql(live, someone, REGISTER, url="http://127.0.0.1:9/hook", types=[])
    assert registered["data"]["registerWebhookEndpoint"]["__typename"] == "ForbiddenError"
    listed = gql(live, someone, ENDPOINTS)
    assert listed["errors"][0]["extensions"]["code"] == "FORBIDDEN", listed
    for query in (RESUME, ROTATE):
        answer = gql(live, someone, query, id=str(UUID(int=7)))["data"]
        assert [a["code"] for a in answer.values()] == ["FORBIDDEN"]


def test_another_organisations_endpoint_answers_as_one_never_made(
        hooked: tuple[LifecycleApplication, LiveServer]) -> None:
    app, live = hooked
    owner_admin = new_organisation(app, "Endpoint Owner")
    other_admin = new_organisation(app, "Endpoint Other")
    ident, _ = register(live, owner_admin, "http://127.0.0.1:9/unused")
    for query in (RESUME, ROTATE):
        [theirs] = gql(live, other_admin, query, id=ident)["data"].values()
        [never] = gql(live, other_admin, query, id=str(UUID(int=7)))["data"].values()
        assert theirs["code"] == never["code"] == "NOT_FOUND"
        assert theirs["message"].replace(ident, "?") == never["message"].replace(
            str(UUID(int=7)), "?")


def test_an_unknown_event_type_is_refused(
        hooked: tuple[LifecycleApplication, LiveServer]) -> None:
    app, live = hooked
    admin = new_organisation(app, "Typed Trust")
    body = gql(live, admin, REGISTER, url="http://127.0.0.1:9/hook", types=["NoSuchEvent"])
    refused = body["data"]["registerWebhookEndpoint"]
    assert (refused["code"], refused["field"]) == ("VALIDATION", "eventTypes")
