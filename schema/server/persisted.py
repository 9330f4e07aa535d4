"""Automatic persisted queries (Apollo's protocol).

A client sends ``extensions.persistedQuery.sha256Hash`` without the text; on
``PERSISTED_QUERY_NOT_FOUND`` it sends the text with the hash once, which is checked and kept.
The store is bounded in bytes (``persisted_query_bytes``), least recently used out first: a
stream of large texts cannot grow the process past it.
"""

from __future__ import annotations

import hashlib
import sys

from starlette.responses import JSONResponse

from schema.documents.bounded import BoundedCache


class PersistedQueryRefused(Exception):
    """A request answered before GraphQL runs, with its own JSON response (``response``, one
    error in GraphQL's shape). Named for its first use: an automatic persisted query that
    cannot be run (an unknown hash is HTTP 200, so that clients send the text with the hash,
    as the protocol has it; text and hash that disagree are 400). Trusted documents
    (``schema.trusted``) and the choice of an operation (``schema.endpoint``) refuse with it
    too, so that the endpoint answers every refusal before execution in one place."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.response = JSONResponse(
            {"errors": [{"message": message, "extensions": {"code": code}}]},
            status_code=status)


class PersistedQueries:
    def __init__(self, max_bytes: int = 8 * 1024 * 1024) -> None:
        self.known: BoundedCache[str, str] = BoundedCache(max_bytes)

    def resolve(self, data: dict[str, object]) -> None:
        """Put the query text a hash stands for into the request ``data`` (in place).

        Raises ``PersistedQueryRefused`` for a malformed extension, an unknown hash or a text
        whose hash differs."""
        extensions = data.get("extensions")
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if persisted is None:
            return
        if not isinstance(persisted, dict) or persisted.get("version") != 1 \
                or not isinstance(persisted.get("sha256Hash"), str):
            raise PersistedQueryRefused(400, "BAD_REQUEST", "extensions.persistedQuery must be "
                                        "{\"version\": 1, \"sha256Hash\": \"<hex>\"}")
        digest = str(persisted["sha256Hash"]).lower()
        query = data.get("query")
        if query is None:
            known = self.known.get(digest)
            if known is None:
                raise PersistedQueryRefused(200, "PERSISTED_QUERY_NOT_FOUND",
                                            "PersistedQueryNotFound")
            data["query"] = known
        elif isinstance(query, str):
            if hashlib.sha256(query.encode()).hexdigest() != digest:
                raise PersistedQueryRefused(400, "PERSISTED_QUERY_HASH_MISMATCH",
                                            "provided sha256Hash does not match the query")
            self.known.put(digest, query, sys.getsizeof(query) + sys.getsizeof(digest))
