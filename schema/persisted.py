"""Automatic persisted queries (Apollo's protocol).

A client sends ``extensions.persistedQuery.sha256Hash`` without the text; on
``PERSISTED_QUERY_NOT_FOUND`` it sends the text with the hash once, which is checked and kept
(bounded, oldest out first).
"""

from __future__ import annotations

import hashlib

from starlette.responses import JSONResponse

from schema.documents import Bounded


class PersistedQueryRefused(Exception):
    """An automatic persisted query that cannot be run: unknown hash (HTTP 200, so that clients
    send the text with the hash, as the protocol has it), or text and hash that disagree (400)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.response = JSONResponse(
            {"errors": [{"message": message, "extensions": {"code": code}}]},
            status_code=status)


class PersistedQueries:
    def __init__(self, entries: int = 10_000) -> None:
        self.known: Bounded[str, str] = Bounded(entries)

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
            self.known.put(digest, query)
