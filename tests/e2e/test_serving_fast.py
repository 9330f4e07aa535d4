"""What the API does to serve repeated queries fast, over real HTTP: automatic persisted queries,
documents parsed and validated once, and the optional response cache. Each keeps the answers
what they would be without it (the cache: within its stated staleness, and never across callers).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.service.settings import Settings
from lifecycle.store.database import Database
from schema import positions
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer, serving

TITLES = ("query($n: Int) { innovations(first: $n, orderBy: TITLE_ASC) "
          "{ edges { node { title } } } }")
HASH = hashlib.sha256(TITLES.encode()).hexdigest()


def post(url: str, token: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{url}/graphql", headers={"Authorization": f"Bearer {token}"},
                      json=body, timeout=30)


def persisted(digest: str = HASH, **more: Any) -> dict[str, Any]:
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}, **more}


@pytest.fixture(scope="module")
def org_and_staff(app: LifecycleApplication) -> tuple[Actor, Actor, str]:
    org = new_organisation(app, "Cwm Taf Morgannwg UHB", ())
    staff = member(org, Role.STAFF)
    outcome = app.execute(c.SubmitIdea(title="Alpha", problem="p", proposal="q"),
                          CommandContext(staff))
    other = member(new_organisation(app, "Powys Teaching HB", ()), Role.STAFF)
    return staff, other, positions.encode(app.store.epoch(), outcome.position)


# -- automatic persisted queries ------------------------------------------------------------------
def test_an_unknown_persisted_query_asks_for_its_text(live: LiveServer,
                                                       org_and_staff: Any) -> None:
    staff = org_and_staff[0]
    response = post(live.url, live.token(staff), persisted("0" * 64, variables={"n": 1}))
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_a_persisted_query_runs_by_hash_once_its_text_was_sent(live: LiveServer,
                                                                org_and_staff: Any) -> None:
    staff = org_and_staff[0]
    token = live.token(staff)
    first = post(live.url, token, persisted(query=TITLES, variables={"n": 5}))
    assert "errors" not in first.json(), first.json()
    again = post(live.url, token, persisted(variables={"n": 5}))
    assert again.json() == first.json()
    assert again.json()["data"]["innovations"]["edges"][0]["node"]["title"] == "Alpha"


def test_a_hash_that_does_not_match_its_text_is_refused_and_not_kept(
        live: LiveServer, org_and_staff: Any) -> None:
    staff = org_and_staff[0]
    token = live.token(staff)
    wrong = hashlib.sha256(b"something else").hexdigest()
    response = post(live.url, token, persisted(wrong, query=TITLES))
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == \
        "PERSISTED_QUERY_HASH_MISMATCH"
    later = post(live.url, token, persisted(wrong))
    assert later.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize("extension", [
    {"version": 2, "sha256Hash": HASH}, {"version": 1}, {"version": 1, "sha256Hash": 7}, "x"])
def test_a_malformed_persisted_query_extension_is_refused(
        live: LiveServer, org_and_staff: Any, extension: object) -> None:
    response = post(live.url, live.token(org_and_staff[0]),
                    {"query": TITLES, "extensions": {"persistedQuery": extension}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


# -- documents parsed and validated once ---------------------------------------------------------
def test_an_invalid_document_is_refused_every_time_not_only_the_first(
        live: LiveServer, org_and_staff: Any) -> None:
    token = live.token(org_and_staff[0])
    bodies = [post(live.url, token, {"query": "{ innovations { edges { node { nope } } } }"})
              .json() for _ in range(3)]
    assert bodies[0]["data"] is None
    assert "nope" in bodies[0]["errors"][0]["message"]
    assert bodies[1] == bodies[0] == bodies[2]


def test_the_cost_limit_still_reads_each_requests_variables(live: LiveServer,
                                                            org_and_staff: Any) -> None:
    token = live.token(org_and_staff[0])
    nested = ("query($n: Int) { innovations(first: $n) { edges { node { measures: "
              "latestVerdict { measure } } } } }")
    assert "errors" not in post(live.url, token, {"query": nested, "variables": {"n": 5}}).json()
    # The same document, now asking for more than a page may hold: refused, not served from
    # the validation of the first request.
    refused = post(live.url, token, {"query": nested, "variables": {"n": 1000}}).json()
    assert refused["errors"][0]["extensions"]["code"] == "VALIDATION"


# -- the response cache ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cached(db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = Settings(database_url=db.url, data_dir=Path(tmp_path_factory.mktemp("cached")),
                        projector="off", response_cache_seconds=60)
    with serving(settings, db) as url:
        yield LiveServer(url, settings, [])


def titles(body: dict[str, Any]) -> list[str]:
    return [e["node"]["title"] for e in body["data"]["innovations"]["edges"]]


def test_with_the_cache_on_a_repeated_query_is_answered_from_it_within_its_lifetime(
        cached: LiveServer, live: LiveServer, app: LifecycleApplication,
        org_and_staff: Any) -> None:
    staff, _, at = org_and_staff
    token = cached.token(staff)
    query = {"query": TITLES.replace("$n: Int", "$n: Int, $at: String").replace(
        "orderBy: TITLE_ASC", "orderBy: TITLE_ASC, consistentWith: $at"),
        "variables": {"n": 50, "at": at}}
    before = post(cached.url, token, query).json()
    outcome = app.execute(c.SubmitIdea(title="Beta", problem="p", proposal="q"),
                          CommandContext(staff))
    fresh_at = positions.encode(app.store.epoch(), outcome.position)
    # The live server (no cache) sees the new idea once the projector has it ...
    assert "Beta" in titles(post(live.url, live.token(staff), {
        **query, "variables": {"n": 50, "at": fresh_at}}).json())
    # ... the cached server answers the same request as before, within the cache's lifetime,
    assert titles(post(cached.url, token, query).json()) == titles(before)
    # and a request consistent with the new position is a new request: it sees the idea.
    assert "Beta" in titles(post(cached.url, token, {
        **query, "variables": {"n": 50, "at": fresh_at}}).json())


def test_the_cache_never_answers_one_caller_with_anothers_response(
        cached: LiveServer, org_and_staff: Any) -> None:
    staff, other, _ = org_and_staff
    query = {"query": TITLES, "variables": {"n": 50}}
    mine = titles(post(cached.url, cached.token(staff), query).json())
    theirs = titles(post(cached.url, cached.token(other), query).json())
    assert "Alpha" in mine
    assert theirs == []


def test_the_cache_keeps_no_errors_and_no_mutations(
        cached: LiveServer, live: LiveServer, app: LifecycleApplication,
        org_and_staff: Any) -> None:
    staff = org_and_staff[0]
    token = cached.token(staff)
    # A position not yet written: refused (POSITION_NOT_IN_LOG), and not kept, so the same
    # request succeeds once the position exists.
    ahead = positions.encode(app.store.epoch(), app.store.head() + 1)
    query = {"query": "query($at: String) { innovations(first: 1, consistentWith: $at) "
                      "{ edges { node { id } } } }", "variables": {"at": ahead}}
    assert post(cached.url, token, query).json()["errors"][0]["extensions"]["code"] == \
        "POSITION_NOT_IN_LOG"
    app.execute(c.SubmitIdea(title="Delta", problem="p", proposal="q"), CommandContext(staff))
    assert "errors" not in post(cached.url, token, query).json()
    mutation = {"query": 'mutation { submitIdea(input: {title: "Gamma", problem: "p", '
                         'proposal: "q"}) { ... on IdeaSubmitted { innovation { id } } } }'}
    first = post(cached.url, token, mutation).json()["data"]["submitIdea"]["innovation"]["id"]
    second = post(cached.url, token, mutation).json()["data"]["submitIdea"]["innovation"]["id"]
    assert first != second  # no idempotency key: two ideas, the second not served from cache
