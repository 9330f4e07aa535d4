"""The document pipeline: each GraphQL document is checked cheapest first, parsed and validated
once, off the event loop, and kept in a cache bounded in bytes.

The checks, each run only when those before it passed (codes in ``extensions.code``):

1. length, before a character is read: over ``max_document_chars`` is ``DOCUMENT_TOO_LARGE``;
2. tokens, while parsing: graphql-core's parser stops at ``max_tokens`` (comments counted),
   ``TOO_MANY_TOKENS``; any other syntax error, and nesting over graphql-core's 200 levels,
   is ``GRAPHQL_PARSE_FAILED``;
3. structure, in one pass linear in the document (``schema.limits.Shape``): the fields of a
   selection set, each operation's depth and aliases;
4. graphql-core's validation (and strawberry's two rules; introspection refused in production),
   with suggestions hidden in production, ``GRAPHQL_VALIDATION_FAILED``; graphql-core's own
   work budget for comparing overlapping fields is lowered to ``VALIDATION_BUDGET``, and a
   document that spends it is ``VALIDATION_ABORTED``.

A document not yet in the cache is prepared in a worker thread (``WORKERS`` of them), so the
event loop keeps answering (health checks, cached queries) while strangers send new documents;
further new documents wait for the worker.

The cache is keyed by the exact text, so a hit returns the very document (its error locations
are those of the text). A valid document is also remembered by its tokens alone (comments,
commas and whitespace left out): a text that differs from it only in those is parsed (its own
locations) but not validated again, so a unique comment no longer buys a full validation. An
invalid document is remembered by its exact text only, since its errors' locations belong to
that text; its validation is bounded by the checks above. Entries are counted in bytes
(``document_cache_bytes``), as measured (``TEXT_COPIES`` and the constants after it).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import anyio
import anyio.to_thread
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    Token,
    TokenKind,
    parse,
    validate,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from lifecycle.service.settings import Settings
from schema.context import Context, Unauthenticated
from schema.documents._graphql_internals import (
    ValidationAbortedError,
    limit_overlap_work,
    token_count,
    use_document,
    use_validation,
)
from schema.documents.bounded import BoundedCache
from schema.documents.limits import Limits, Shape, validation_rules
from schema.documents.variables import only_introspection, operation, too_large

DOCUMENT_TOO_LARGE = "DOCUMENT_TOO_LARGE"
TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
VALIDATION_ABORTED = "VALIDATION_ABORTED"
BAD_USER_INPUT = "BAD_USER_INPUT"

# CPython runs one thread's Python at a time: a second worker adds no throughput, only more
# contention for the event loop (measured over HTTP under attack: /readyz median 27 ms and
# 99th percentile 304 ms with two workers, 17 and 232 ms with one; bench/documents.py --url).
WORKERS = 1
# graphql-core's units of work for comparing overlapping fields (its default, 500,000, is
# 1-2 s of CPU). Ordinary documents spend none; one selection set of 100 same-named fields,
# the most the field cap lets through, spends about 25,000 (bench/documents.py).
VALIDATION_BUDGET = 30_000
# What a cached document holds, measured with tracemalloc (tests/unit/test_documents.py):
# the text, and again as much for the tokens' own copies of comments and strings; 350-810
# bytes per token; about 16 KB for each parsed document whatever its size; an error.
TEXT_COPIES = 2
TOKEN_BYTES = 1024
DOCUMENT_BYTES = 16_384
ERROR_BYTES = 2048


@dataclass(frozen=True)
class Prepared:
    """A document as the pipeline left it: parsed (or ``None`` when refused before), with its
    refusals (empty when it may run) and the names of its operations (``None`` for an
    anonymous one)."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    operations: tuple[str | None, ...]
    size: int

    def refusal(self) -> GraphQLError:
        """A fresh copy of the first error, to raise (raising the cached error again would
        grow its traceback with every request)."""
        error = self.errors[0]
        return GraphQLError(error.message, source=error.source, positions=error.positions,
                            extensions=error.extensions)


def coded(error: GraphQLError, code: str) -> GraphQLError:
    """``error`` with ``code`` in its extensions, unless it already has one."""
    if not (error.extensions or {}).get("code"):
        error.extensions = {**(error.extensions or {}), "code": code}
    return error


def token_key(document: DocumentNode) -> bytes:
    """A digest of the document's tokens, without comments and ignored characters: two texts
    with the same key parse to the same document, but for locations."""
    assert document.loc is not None
    body = document.loc.source.body
    token: Token | None = document.loc.start_token
    parts = []
    while token is not None:
        if token.kind is not TokenKind.COMMENT:
            parts.append(body[token.start:token.end])
        token = token.next
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).digest()


class Documents:
    """The pipeline and cache of one schema's documents (``Settings`` give the limits)."""

    def __init__(self, settings: Settings) -> None:
        self.max_chars = settings.max_document_chars
        self.max_tokens = settings.max_tokens
        self.limits = Limits.of(settings)
        self.rules = validation_rules(settings)
        self.hide_suggestions = not settings.development
        self.cache: BoundedCache[tuple[str, str | bytes], Prepared | bool] = BoundedCache(
            settings.document_cache_bytes)
        self.workers = anyio.CapacityLimiter(WORKERS)
        self.validations = 0  # graphql-core validations run (tests count them)
        self.offloaded = 0  # documents sent to a worker thread
        limit_overlap_work(VALIDATION_BUDGET)

    def cached(self, text: str) -> Prepared | None:
        found = self.cache.get(("text", text))
        return found if isinstance(found, Prepared) else None

    async def prepare(self, text: str, schema: GraphQLSchema) -> Prepared:
        """The prepared document for ``text``: refused at once when too long, else from the
        cache, else made in a worker thread."""
        found = self.too_long(text) or self.cached(text)
        if found is not None:
            return found
        self.offloaded += 1
        return await anyio.to_thread.run_sync(self.prepare_now, text, schema,
                                              limiter=self.workers)

    def prepare_now(self, text: str, schema: GraphQLSchema) -> Prepared:
        """The prepared document for ``text``, made in this thread if not cached, and kept
        (but for a text refused for its length, which is not worth its bytes)."""
        prepared = self.too_long(text) or self.cached(text)
        if prepared is None:
            prepared = self._pipeline(text, schema)
            self.cache.put(("text", text), prepared, prepared.size)
        return prepared

    def too_long(self, text: str) -> Prepared | None:
        if len(text) <= self.max_chars:
            return None
        return self._refused(0, GraphQLError(
            f"The document is {len(text)} characters long; the limit is {self.max_chars}.",
            extensions={"code": DOCUMENT_TOO_LARGE, "maxChars": self.max_chars}))

    def _pipeline(self, text: str, schema: GraphQLSchema) -> Prepared:
        held = sys.getsizeof(text)
        try:
            document = parse(text, max_tokens=self.max_tokens)
        except GraphQLSyntaxError as error:
            too_many = f"Document contains more than {self.max_tokens} tokens. Parsing aborted."
            return self._refused(held, coded(error, TOO_MANY_TOKENS if error.message.endswith(
                too_many) else PARSE_FAILED))
        operations = tuple(d.name.value if d.name else None for d in document.definitions
                           if isinstance(d, OperationDefinitionNode))
        held = TEXT_COPIES * held + DOCUMENT_BYTES \
            + TOKEN_BYTES * token_count(document, self.max_tokens)
        key = ("tokens", token_key(document))
        if self.cache.get(key) is True:  # the same tokens were found valid before
            return Prepared(document, (), operations, held)
        errors = Shape(document, self.limits).errors() or self._validate(schema, document)
        if not errors:
            self.cache.put(key, True, 64)
        return Prepared(document, tuple(errors), operations, held + ERROR_BYTES * len(errors))

    def _validate(self, schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
        self.validations += 1
        errors = validate(schema, document, self.rules, hide_suggestions=self.hide_suggestions)
        for error in errors:
            if isinstance(error, ValidationAbortedError):
                error.message = ("Validation aborted: checking this document takes more work "
                                 "than the server allows (too many fields of one name, "
                                 "fragments or errors). Simplify the document.")
                coded(error, VALIDATION_ABORTED)
            coded(error, VALIDATION_FAILED)
        return errors

    @staticmethod
    def _refused(held: int, error: GraphQLError) -> Prepared:
        return Prepared(None, (error,), (), held + ERROR_BYTES)


class CachedDocuments(SchemaExtension):
    """Plug the pipeline into strawberry: the prepared document and its refusals replace
    strawberry's own parsing and validation. After execution, give graphql-core's refusals of
    the request's variables (errors without a path) the code ``BAD_USER_INPUT``, and mark a
    query that answered without errors as cacheable (``Context.cacheable``, read by the
    response cache)."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents
        self.prepared: Prepared | None = None

    async def on_parse(self) -> AsyncIterator[None]:
        context = self.execution_context
        if context.query is not None and context.graphql_document is None:
            prepared = await self.documents.prepare(context.query, context.schema._schema)
            if prepared.document is None:
                # strawberry answers an error raised here as a pre-execution error
                raise prepared.refusal()
            use_document(context, prepared.document)
            self.prepared = prepared
        yield

    def _before_execution(self) -> GraphQLError | None:
        """An anonymous caller of anything but introspection, or variables over the limits,
        refused before graphql-core coerces them (``schema.documents.variables``)."""
        context = self.execution_context
        document = context.graphql_document
        chosen = operation(document, context.operation_name) if document else None
        if document is None or chosen is None:
            return None
        if isinstance(context.context, Context) and context.context.identity is None \
                and not only_introspection(document, chosen):
            return Unauthenticated()
        return too_large(context.variables)

    def on_validate(self) -> Iterator[None]:
        if self.prepared is not None:  # strawberry validates only when this is still None
            use_validation(self.execution_context, self.prepared.errors)
        yield

    def on_execute(self) -> Iterator[None]:
        refusal = self._before_execution()
        if refusal is not None:
            # strawberry runs no execution when an extension has set the result
            self.execution_context.result = GraphQLExecutionResult(None, [refusal])
        yield
        context = self.execution_context
        result = context.result
        for error in (result.errors or []) if result is not None else []:
            if not error.path:
                coded(error, BAD_USER_INPUT)
        if (result is not None and not result.errors and hasattr(context.context, "cacheable")
                and context.operation_type is OperationType.QUERY):
            context.context.cacheable = True
