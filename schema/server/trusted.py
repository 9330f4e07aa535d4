"""Trusted documents: an allow-list of the operations the frontend teams' builds registered.

With ``LIFECYCLE_TRUSTED_DOCUMENTS`` naming a manifest, the service runs only the documents in
it, as Relay, Apollo and PostGraphile deployments do: a client sends an operation's identifier,
and anything else is refused before a character of GraphQL is parsed. Automatic persisted
queries are off then (a stranger could otherwise register whatever they like).

The manifest is one of the two files the common client tool chains write at build time:

- GraphQL Code Generator's client preset (``persistedDocuments``): ``persisted-documents.json``,
  a JSON object of identifier to document text;
- Apollo's persisted query manifest (``@apollo/generate-persisted-query-manifest``, Apollo
  Kotlin and iOS): ``{"format": "apollo-persisted-query-manifest", "version": 1,
  "operations": [{"id", "body", "name", "type"}]}``, the id being the SHA-256 of the body.

A request names its document in any of the ways those clients send (``resolve``):
``documentId`` (GraphQL over HTTP, Appendix A: an identifier from the manifest, or
``sha256:<hex>`` of the text), ``extensions.persistedQuery.sha256Hash`` (Apollo), or the
registered text itself as ``query``. Refusals are GraphQL responses of one error, HTTP 200, as
the appendix asks: ``PERSISTED_QUERY_NOT_IN_LIST`` for an identifier the manifest lacks (or a
text that differs from the one registered under it), ``QUERY_NOT_IN_SAFELIST`` for a text that
is not registered; a ``documentId`` that is not a string is HTTP 400.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import orjson

from lifecycle.service.settings import ConfigurationError
from schema.server.persisted import PersistedQueryRefused

APOLLO_FORMAT = "apollo-persisted-query-manifest"
SHA256_PREFIX = "sha256:"
NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST"
NOT_IN_SAFELIST = "QUERY_NOT_IN_SAFELIST"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _entries(manifest: object) -> dict[str, str]:
    """Identifier to text, from either manifest format; ``ValueError`` says what is wrong."""
    if isinstance(manifest, dict) and manifest.get("format") == APOLLO_FORMAT:
        if manifest.get("version") != 1 or not isinstance(manifest.get("operations"), list):
            raise ValueError("an Apollo manifest needs \"version\": 1 and a list of operations")
        found = {}
        for operation in manifest["operations"]:
            if not isinstance(operation, dict) or not isinstance(operation.get("id"), str) \
                    or not isinstance(operation.get("body"), str):
                raise ValueError("each operation needs a string \"id\" and \"body\"")
            if operation["id"] != sha256(operation["body"]):
                raise ValueError(f"operation {operation['id']} is not the SHA-256 of its body")
            found[operation["id"]] = operation["body"]
        return found
    if isinstance(manifest, dict) and all(isinstance(k, str) and isinstance(v, str)
                                          for k, v in manifest.items()):
        return dict(manifest)
    raise ValueError("expected a JSON object of identifier to document text, or an Apollo "
                     "persisted query manifest")


class TrustedDocuments:
    """The registered documents, by identifier and by the SHA-256 of their text."""

    def __init__(self, by_id: Mapping[str, str]) -> None:
        self.by_id = dict(by_id)
        self.by_sha256 = {sha256(text): text for text in self.by_id.values()}

    @classmethod
    def load(cls, path: Path) -> TrustedDocuments:
        """Read a manifest; ``ConfigurationError`` (the service does not start) if it cannot
        be read or is in neither format."""
        try:
            return cls(_entries(orjson.loads(path.read_bytes())))
        except (OSError, orjson.JSONDecodeError, ValueError) as error:
            raise ConfigurationError(f"LIFECYCLE_TRUSTED_DOCUMENTS {path}: {error}") from None

    def __len__(self) -> int:
        return len(self.by_id)

    def texts(self) -> list[str]:
        return list(self.by_id.values())

    def resolve(self, data: dict[str, object]) -> None:
        """Put the registered text a request names into ``data["query"]`` (in place).

        Raises ``PersistedQueryRefused``: 400 for a malformed identifier, else a GraphQL
        error (HTTP 200) for an identifier or text that is not registered."""
        named = self._identifier(data)
        query = data.get("query")
        if named is None:
            if isinstance(query, str) and sha256(query) in self.by_sha256:
                return
            raise PersistedQueryRefused(200, NOT_IN_SAFELIST, (
                "This server runs only trusted documents: send the identifier your build "
                "registered (documentId, or extensions.persistedQuery.sha256Hash)."))
        if named.startswith(SHA256_PREFIX):
            text = self.by_sha256.get(named[len(SHA256_PREFIX):])
        else:
            text = self.by_id.get(named) or self.by_sha256.get(named.lower())
        if text is None or (query is not None and query != text):
            raise PersistedQueryRefused(200, NOT_IN_LIST, (
                f"No trusted document is registered as {named[:80]!r}"
                + ("" if text is None else " with this text") + "."))
        data["query"] = text

    @staticmethod
    def _identifier(data: dict[str, object]) -> str | None:
        document_id = data.get("documentId")
        if document_id is not None:
            if not isinstance(document_id, str) or not document_id:
                raise PersistedQueryRefused(400, "BAD_REQUEST",
                                            "documentId must be a non-empty string")
            return document_id
        extensions = data.get("extensions")
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if persisted is None:
            return None
        digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if not isinstance(digest, str) or not digest:
            raise PersistedQueryRefused(400, "BAD_REQUEST", "extensions.persistedQuery must be "
                                        "{\"version\": 1, \"sha256Hash\": \"<hex>\"}")
        return digest
