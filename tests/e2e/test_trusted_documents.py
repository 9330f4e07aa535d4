"""Trusted documents (schema/trusted.py) over real HTTP: with a manifest, only its documents run,
named as the common clients name them; anything else is refused before it is parsed, with a
typed error. Manifests in both formats the client tool chains write."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from lifecycle.service.settings import ConfigurationError, Mode, Settings
from lifecycle.store.database import Database
from schema.server.trusted import TrustedDocuments
from tests.conftest import settings_for
from tests.e2e.conftest import LiveServer, serving

KIND = "query Kind { __typename }"
NAMED = "query Named($skip: Boolean!) { kind: __typename @skip(if: $skip) }"
UNREGISTERED = "query Other { __typename }"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def trusted_server(db: Database, tmp: Path, manifest: object) -> Iterator[str]:
    path = tmp / "manifest.json"
    path.write_text(json.dumps(manifest))
    settings = settings_for(db, tmp).model_copy(update={"trusted_documents": path})
    with serving(settings, db) as url:
        yield url


@pytest.fixture(scope="module")
def codegen(db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """GraphQL Code Generator's client preset: ``persisted-documents.json``, id to text."""
    yield from trusted_server(db, Path(tmp_path_factory.mktemp("codegen")),
                              {sha256(KIND): KIND, "named-v1": NAMED})


@pytest.fixture(scope="module")
def apollo(db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Apollo's persisted query manifest."""
    yield from trusted_server(db, Path(tmp_path_factory.mktemp("apollo")), {
        "format": "apollo-persisted-query-manifest", "version": 1,
        "operations": [{"id": sha256(KIND), "body": KIND, "name": "Kind", "type": "query"}]})


def post(url: str, body: dict[str, Any]) -> httpx.Response:
    response = httpx.post(f"{url}/graphql", json=body, timeout=10)
    assert response.headers["content-type"].startswith("application/json")
    return response


def refused_with(response: httpx.Response, code: str) -> str:
    """One GraphQL error with ``code``, HTTP 200, nothing run (GraphQL over HTTP, Appendix A)."""
    assert response.status_code == 200
    body = response.json()
    assert "data" not in body
    (error,) = body["errors"]
    assert error["extensions"]["code"] == code
    message: str = error["message"]
    return message


APQ = {"persistedQuery": {"version": 1, "sha256Hash": sha256(KIND)}}


@pytest.mark.parametrize("body", [
    {"documentId": f"sha256:{sha256(KIND)}"},
    {"documentId": sha256(KIND)},
    {"extensions": APQ},
    {"extensions": APQ, "query": KIND},
    {"query": KIND},  # the registered text itself
], ids=["documentId sha256:", "documentId", "apollo hash", "apollo hash and text", "text"])
def test_a_registered_document_runs_however_the_client_names_it(
        codegen: str, body: dict[str, Any]) -> None:
    assert post(codegen, body).json() == {"data": {"__typename": "Query"}}


def test_a_custom_identifier_runs_with_its_variables(codegen: str) -> None:
    answer = post(codegen, {"documentId": "named-v1", "variables": {"skip": False}})
    assert answer.json() == {"data": {"kind": "Query"}}


@pytest.mark.parametrize("query", [UNREGISTERED, "{{{ not even GraphQL", "{ __typename }"])
def test_any_other_text_is_refused_before_it_is_parsed(codegen: str, query: str) -> None:
    """Even text that does not parse gets the allow-list's refusal, not a syntax error: it was
    never read as GraphQL."""
    message = refused_with(post(codegen, {"query": query}), "QUERY_NOT_IN_SAFELIST")
    assert "trusted documents" in message


@pytest.mark.parametrize("body", [
    {"documentId": "sha256:" + "0" * 64},
    {"documentId": "never-registered"},
    {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}},
])
def test_an_unknown_identifier_is_not_in_the_list(codegen: str, body: dict[str, Any]) -> None:
    """Not PERSISTED_QUERY_NOT_FOUND: that would make an Apollo client send the text, which
    would be refused anyway."""
    refused_with(post(codegen, body), "PERSISTED_QUERY_NOT_IN_LIST")


def test_a_client_cannot_register_a_document_by_sending_it_with_its_hash(codegen: str) -> None:
    register = {"query": UNREGISTERED,
                "extensions": {"persistedQuery": {"version": 1,
                                                  "sha256Hash": sha256(UNREGISTERED)}}}
    refused_with(post(codegen, register), "PERSISTED_QUERY_NOT_IN_LIST")
    refused_with(post(codegen, {"extensions": register["extensions"]}),
                 "PERSISTED_QUERY_NOT_IN_LIST")


def test_an_identifier_with_another_text_is_refused(codegen: str) -> None:
    body = {"documentId": f"sha256:{sha256(KIND)}", "query": UNREGISTERED}
    refused_with(post(codegen, body), "PERSISTED_QUERY_NOT_IN_LIST")


@pytest.mark.parametrize("document_id", [7, "", ["x"]])
def test_a_malformed_document_id_is_400(codegen: str, document_id: object) -> None:
    response = post(codegen, {"documentId": document_id})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_an_apollo_manifest_serves_its_operations_by_hash(apollo: str) -> None:
    assert post(apollo, {"extensions": APQ}).json() == {"data": {"__typename": "Query"}}
    refused_with(post(apollo, {"query": UNREGISTERED}), "QUERY_NOT_IN_SAFELIST")


def test_without_a_manifest_a_document_id_is_not_in_the_list(live: LiveServer) -> None:
    refused_with(post(live.url, {"documentId": f"sha256:{sha256(KIND)}"}),
                 "PERSISTED_QUERY_NOT_IN_LIST")


@pytest.mark.parametrize(("content", "words"), [
    ("not json", "LIFECYCLE_TRUSTED_DOCUMENTS"),
    ("[]", "expected a JSON object"),
    (json.dumps({"id": 7}), "expected a JSON object"),
    (json.dumps({"format": "apollo-persisted-query-manifest", "version": 2, "operations": []}),
     "version"),
    (json.dumps({"format": "apollo-persisted-query-manifest", "version": 1,
                 "operations": [{"id": "0" * 64, "body": KIND}]}), "not the SHA-256"),
])
def test_a_malformed_manifest_stops_the_service_from_starting(
        tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(content)
    with pytest.raises(ConfigurationError, match=words):
        TrustedDocuments.load(path)


def test_production_refuses_to_start_with_a_missing_manifest(tmp_path: Path) -> None:
    settings = Settings(mode=Mode.PRODUCTION, database_url="postgresql://db/x",
                        jwks_file=tmp_path / "jwks.json",
                        trusted_documents=tmp_path / "missing.json")
    (tmp_path / "jwks.json").write_text("{}")
    with pytest.raises(ConfigurationError, match="LIFECYCLE_TRUSTED_DOCUMENTS"):
        settings.check()
