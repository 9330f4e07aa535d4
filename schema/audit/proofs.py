"""Proofs from the transparency log, in RFC 9162's terms: an event's inclusion proof against a
signed checkpoint, and a consistency proof between two checkpoints. Hashes are standard
base64; sizes and positions decimal digits (PostgreSQL bigints)."""

from __future__ import annotations

import base64

import strawberry
from graphql import GraphQLError

from lifecycle.audit import store
from lifecycle.audit.history import sees_event
from lifecycle.errors import ValidationFailed
from schema import arguments
from schema.context import Context

_BIGINT_DIGITS = 19


def _count(field: str, value: str | None) -> int | None:
    """A position or tree size given as decimal digits; ``ValidationFailed`` otherwise."""
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > _BIGINT_DIGITS or \
            int(value) >= 2**63:
        raise ValidationFailed(field, "must be decimal digits (a position or a tree size)")
    return int(value)


class NoSuchProofError(GraphQLError):
    """The log cannot give a proof the caller may read (``lifecycle.audit.store.NoSuchProof``:
    no such checkpoint, the event came after it, no consistency between those sizes), said as
    ``lifecycle audit prove`` and ``consistency`` say it, so an auditor knows what to ask."""

    def __init__(self, refused: store.NoSuchProof) -> None:
        super().__init__(str(refused), extensions={"code": "NO_SUCH_PROOF"})


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


@strawberry.type(description=(
    "RFC 9162 inclusion proof of one event in the tree of a signed checkpoint: the leaf's "
    "index, the tree size, the leaf hash and the inclusion path (leaf to root), each hash in "
    "standard base64."))
class AuditProof:
    position: str
    leaf_index: str
    tree_size: str
    leaf_hash: str
    inclusion_path: list[str]
    checkpoint: str = strawberry.field(description="The signed checkpoint (C2SP signed note).")


@strawberry.type(description="RFC 9162 consistency proof: the later tree extends the earlier.")
class AuditConsistency:
    from_size: str
    to_size: str
    consistency_path: list[str]


@strawberry.type
class ProofQueries:
    @strawberry.field(description=(
        "The inclusion proof of the event at a log position against the checkpoint of "
        "`checkpoint` events (the latest when omitted). Null when the event's record does not "
        "exist for the caller (or there is no event at that position); the error NO_SUCH_PROOF "
        "says why the log cannot prove one the caller may read (no such checkpoint, or the "
        "event came after it: ask again after the next checkpoint)."))
    async def audit_proof(self, info: strawberry.Info[Context, None], position: str,
                          checkpoint: str | None = None) -> AuditProof | None:
        ctx = info.context
        with arguments.checked():
            at = _count("position", position)
            size = _count("checkpoint", checkpoint)
        assert at is not None
        if not await ctx.service.run(sees_event, ctx.service.app, ctx.actor, at):
            return None
        async with ctx.reads.pool.acquire() as conn:
            try:
                proof = await store.inclusion(conn, at, size)
            except store.NoSuchProof as refused:
                raise NoSuchProofError(refused) from None
        return AuditProof(position=str(proof.position), leaf_index=str(proof.leaf_index),
                          tree_size=str(proof.tree_size), leaf_hash=_b64(proof.leaf_hash),
                          inclusion_path=[_b64(h) for h in proof.inclusion_path],
                          checkpoint=proof.checkpoint)

    @strawberry.field(description=(
        "The consistency proof from the checkpoint of `fromSize` events to that of `toSize`; "
        "the error NO_SUCH_PROOF unless both are checkpoints and fromSize <= toSize."))
    async def audit_consistency(self, info: strawberry.Info[Context, None], from_size: str,
                                to_size: str) -> AuditConsistency | None:
        ctx = info.context
        ctx.actor  # noqa: B018 (authenticated callers only)
        with arguments.checked():
            old = _count("fromSize", from_size)
            new = _count("toSize", to_size)
        assert old is not None
        assert new is not None
        async with ctx.reads.pool.acquire() as conn:
            try:
                path = await store.consistency(conn, old, new)
            except store.NoSuchProof as refused:
                raise NoSuchProofError(refused) from None
        return AuditConsistency(from_size=str(old), to_size=str(new),
                                consistency_path=[_b64(h) for h in path])
