"""Parsing and validation done once per distinct document, not once per request.

Clients send the same few operations again and again (and persisted queries make that explicit),
so the parsed document and its validation errors are kept per schema, keyed by the query text.
Validation depends only on the document and the schema's rules (fixed per schema); what depends on
the variables (the cost limit) still runs per request. A document that does not parse is not kept.
Both maps are bounded, oldest out first, so a stream of distinct documents cannot grow them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Generic, TypeVar

from graphql import DocumentNode, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

K = TypeVar("K")
V = TypeVar("V")


class Bounded(Generic[K, V]):
    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._store: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        return self._store.get(key)

    def put(self, key: K, value: V) -> None:
        self._store[key] = value
        self._store.move_to_end(key)
        while len(self._store) > self.entries:
            self._store.popitem(last=False)

    def __len__(self) -> int:
        return len(self._store)


class Documents:
    """The cache of one schema."""

    def __init__(self, entries: int = 1000) -> None:
        self.parsed: Bounded[str, DocumentNode] = Bounded(entries)
        self.validated: Bounded[str, list[GraphQLError]] = Bounded(entries)


class CachedDocuments(SchemaExtension):
    """Reuse the parsed document and its validation; after execution, mark a query that answered
    without errors as cacheable (``Context.cacheable``, read by the response cache)."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query
        known = self.documents.parsed.get(query) if query is not None else None
        if known is not None:
            context.graphql_document = known
        yield
        if known is None and query is not None and context.graphql_document is not None:
            self.documents.parsed.put(query, context.graphql_document)

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query
        known = self.documents.validated.get(query) if query is not None else None
        if known is not None:
            context.pre_execution_errors = list(known)
        yield
        if known is None and query is not None and context.pre_execution_errors is not None:
            self.documents.validated.put(query, list(context.pre_execution_errors))

    def on_execute(self) -> Iterator[None]:
        yield
        context = self.execution_context
        result = context.result
        if (result is not None and not result.errors and hasattr(context.context, "cacheable")
                and context.operation_type is OperationType.QUERY):
            context.context.cacheable = True
