"""Tokens over real HTTP: every malformed or unacceptable token is a JSON 401 naming what is wrong,
a token must name an organisation that exists, and only the platform administrator registers
organisations."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifecycle.actor import PLATFORM, Actor, Role
from lifecycle.application import LifecycleApplication
from lifecycle.service.settings import Settings
from lifecycle.store.database import Database
from schema.server.tokens import DEV_KEY_ID, Verifier, dev_key
from tests.conftest import ADMIN, member, new_organisation
from tests.e2e.conftest import LiveServer
from tests.e2e.fuzzing import fuzz
from tests.e2e.test_cli import env_for, run
from tests.integration.test_tokens import (
    CLAIM_NAMES,
    HEADER_NAMES,
    HEADER_VALUES,
    JSON_VALUES,
    forge,
)

ME = "{ me { subject organisationId roles staffGroup } }"
REGISTER = """mutation R($input: RegisterOrganisationInput!) { registerOrganisation(input: $input) {
  __typename ... on UserError { code message }
  ... on OrganisationRegistered { organisation { id name } } } }"""


def call(live: LiveServer, token: str, query: str,
         variables: dict[str, Any] | None = None) -> httpx.Response:
    return httpx.post(f"{live.url}/graphql", json={"query": query, "variables": variables},
                      headers={"Authorization": f"Bearer {token}"}, timeout=30)


def dev_token(live: LiveServer, header: dict[str, Any] | None = None, **claims: Any) -> str:
    """A token the development key really signed, with exactly these claims."""
    now = int(time.time())
    payload = {"sub": "person-1", "roles": ["staff"], "iss": "lifecycle",
               "aud": "lifecycle-api", "iat": now, "exp": now + 600, **claims}
    return forge({"alg": "HS256", "typ": "JWT", "kid": DEV_KEY_ID, **(header or {})},
                 {k: v for k, v in payload.items() if v is not ...},
                 dev_key(live.settings), "HS256")


def unauthorised(response: httpx.Response) -> str:
    """A JSON 401 in GraphQL's error shape, with the bearer challenge; its message."""
    assert response.status_code == 401, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["www-authenticate"].startswith("Bearer")
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    message: str = error["message"]
    return message


@pytest.fixture(scope="module")
def org_admin(app: LifecycleApplication) -> Actor:
    return new_organisation(app, "Velindre University NHS Trust", ("Velindre Cancer Centre",))


# -- who registers organisations -------------------------------------------------------------------
def test_an_organisations_admin_may_not_register_an_organisation(
        live: LiveServer, org_admin: Actor) -> None:
    body = call(live, live.token(org_admin), REGISTER,
                {"input": {"name": "Shadow Trust", "kind": "TRUST"}}).json()
    payload = body["data"]["registerOrganisation"]
    assert payload["__typename"] == "ForbiddenError"
    assert "platform_admin" in payload["message"]


def test_the_platform_administrator_registers_and_the_new_admin_is_known_at_once(
        live: LiveServer) -> None:
    body = call(live, live.token(ADMIN), REGISTER,
                {"input": {"name": f"Public Health Wales {uuid4().hex[:6]}",
                           "kind": "GOVERNMENT"}}).json()
    registered = body["data"]["registerOrganisation"]
    assert registered["__typename"] == "OrganisationRegistered"
    its_admin = Actor("phw-admin", UUID(registered["organisation"]["id"]),
                      frozenset({Role.ADMIN}))
    # The very next request with a token for it: the directory is waited for, not a 401.
    me = call(live, live.token(its_admin), ME).json()
    assert me["data"]["me"]["organisationId"] == registered["organisation"]["id"]


def test_the_platform_administrator_acts_for_the_platform_and_sees_no_organisations_work(
        live: LiveServer) -> None:
    token = dev_token(live, sub="platform-root", roles=["platform_admin"], org=...)
    body = call(live, token, "{ me { organisationId roles } innovations { edges { node { id } } } }"
                ).json()
    assert body["data"]["me"] == {"organisationId": str(PLATFORM), "roles": ["platform_admin"]}
    assert body["data"]["innovations"]["edges"] == []


# -- tokens that name no organisation that exists -------------------------------------------------
def test_a_token_for_an_organisation_never_registered_is_a_json_401(live: LiveServer) -> None:
    nowhere = uuid4()
    message = unauthorised(call(live, dev_token(live, org=str(nowhere)), ME))
    assert f"no organisation {nowhere} is registered" in message
    assert "'org'" in message


def test_an_organisation_role_for_the_platform_is_a_json_401(live: LiveServer) -> None:
    message = unauthorised(call(live, dev_token(live, org=str(PLATFORM), roles=["admin"]), ME))
    assert "'org'" in message


# -- claims that break the input rules -------------------------------------------------------------
@pytest.mark.parametrize(("claims", "claim"), [
    ({"sub": "p" * 500}, "sub"),
    ({"sub": "person\x00one"}, "sub"),
    ({"sub": "person\u202eone"}, "sub"),
    ({"staff_group": "surgeons"}, "staff_group"),
    ({"roles": None}, "roles"),
    ({"roles": "staff"}, "roles"),
    ({"org": 7}, "org"),
    ({"exp": "soon"}, "exp"),
    ({"name": "Dr\u200bWho"}, "name"),
], ids=lambda v: repr(v)[:30])
def test_a_claim_that_breaks_the_input_rules_is_a_json_401_naming_it(
        live: LiveServer, org_admin: Actor, claims: dict[str, Any], claim: str) -> None:
    token = dev_token(live, **{"org": str(org_admin.organisation), **claims})
    assert claim in unauthorised(call(live, token, ME))


def test_a_token_whose_kid_names_no_key_of_its_algorithm_is_a_json_401(
        live: LiveServer, org_admin: Actor) -> None:
    for header in ({"alg": "RS256"}, {"kid": ["lifecycle-dev"]}, {"kid": None},
                   {"alg": "none"}):
        token = dev_token(live, header, org=str(org_admin.organisation))
        unauthorised(call(live, token, ME))


def test_a_well_formed_token_still_reaches_the_api(live: LiveServer, org_admin: Actor) -> None:
    staff = member(org_admin, Role.STAFF)
    body = call(live, live.token(staff), ME).json()
    assert body["data"]["me"]["staffGroup"] == "nursing_and_midwifery"


@fuzz(120)
@given(claim_changes=st.dictionaries(st.sampled_from(CLAIM_NAMES), JSON_VALUES, max_size=3),
       dropped=st.sets(st.sampled_from(CLAIM_NAMES), max_size=2),
       header_changes=st.dictionaries(st.sampled_from(HEADER_NAMES), HEADER_VALUES,
                                      max_size=2))
def test_any_malformed_token_is_a_json_401_never_a_server_error(
        live: LiveServer, org_admin: Actor, claim_changes: dict[str, Any], dropped: set[str],
        header_changes: dict[str, Any]) -> None:
    claims = {"org": str(org_admin.organisation), **claim_changes}
    claims.update({name: ... for name in dropped})
    response = call(live, dev_token(live, header_changes, **claims), ME)
    if response.status_code == 200:  # the changes happened to leave a good token
        assert response.json()["data"]["me"]["roles"]
    else:
        unauthorised(response)


# -- the CLI mints what the API accepts ------------------------------------------------------------
def test_the_token_command_mints_a_platform_administrators_token_without_an_organisation(
        db: Database, tmp_path: Path) -> None:
    result = run(["token", "--subject", "root", "--role", "platform_admin"],
                 env_for(db, tmp_path))
    assert result.returncode == 0, result.stderr
    actor = Verifier(Settings(data_dir=tmp_path)).verify(result.stdout.strip()).actor
    assert (actor.organisation, actor.roles) == (PLATFORM, frozenset({Role.PLATFORM_ADMIN}))


@pytest.mark.parametrize(("args", "says"), [
    (["--role", "staff"], "--organisation"),
    (["--role", "staff", "--organisation", "5b0c7f0e-5a8e-4c39-9f7e-1f1f1f1f1f1f",
      "--staff-group", "surgeons"], "nursing_and_midwifery"),
    (["--role", "platform_admin", "--role", "admin"], "platform_admin"),
], ids=["organisation-missing", "unknown-staff-group", "platform-admin-with-another-role"])
def test_the_token_command_refuses_what_the_api_would(db: Database, tmp_path: Path,
                                                      args: list[str], says: str) -> None:
    result = run(["token", "--subject", "person-1", *args], env_for(db, tmp_path))
    assert result.returncode == 2
    assert says in result.stderr
