"""The stored transparency log (``audit_leaves``, ``audit_nodes``, ``audit_checkpoints``,
``0002_audit.sql``) and the proofs it gives, read through asyncpg. Every proof or root costs one
query for the O(log n) complete-subtree hashes it needs (``tree.needed``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import asyncpg

from lifecycle.audit import tree

_NODES = """
SELECT n.level, n.idx, n.hash FROM audit_nodes n
JOIN unnest($1::smallint[], $2::bigint[]) AS k(level, idx) ON n.level = k.level AND n.idx = k.idx
"""


T = TypeVar("T")


class NoSuchProof(LookupError):
    """The log cannot prove that: no such event, checkpoint, or an event after the checkpoint."""


@dataclass(frozen=True)
class StoredCheckpoint:
    tree_size: int
    root_hash: bytes
    note: str


@dataclass(frozen=True)
class InclusionProof:
    """RFC 9162 section 4.12's inclusion proof (leaf index, tree size, inclusion path), with
    the event's position and leaf hash, against the checkpoint whose note is given."""

    position: int
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    inclusion_path: list[bytes]
    checkpoint: str


async def nodes(conn: asyncpg.Connection, keys: set[tree.Key]) -> dict[tree.Key, bytes]:
    ordered = sorted(keys)
    rows = await conn.fetch(_NODES, [k[0] for k in ordered], [k[1] for k in ordered])
    found = {(r["level"], r["idx"]): bytes(r["hash"]) for r in rows}
    if len(found) != len(ordered):
        raise NoSuchProof("the stored tree lacks nodes it should have")
    return found


async def computed(conn: asyncpg.Connection, compute: Callable[[tree.Nodes], T]) -> T:
    """``compute`` run over the stored nodes it needs, fetched in one query."""
    found = await nodes(conn, tree.needed(compute))
    return compute(found.__getitem__)


async def size(conn: asyncpg.Connection) -> tuple[int, int]:
    """The tree's size and the position of its last leaf (0, 0 when empty)."""
    row = await conn.fetchrow("SELECT leaf_index, position FROM audit_leaves "
                              "ORDER BY leaf_index DESC LIMIT 1")
    return (0, 0) if row is None else (row["leaf_index"] + 1, row["position"])


async def frontier(conn: asyncpg.Connection) -> tuple[tree.Frontier, int]:
    """The stored tree's right edge, and the position of its last leaf."""
    n, last = await size(conn)
    keys = tree.edge_keys(n)
    found = await nodes(conn, set(keys))
    return tree.Frontier(n, [found[k] for k in keys]), last


async def checkpoint(conn: asyncpg.Connection, tree_size: int | None = None
                     ) -> StoredCheckpoint | None:
    """The checkpoint of ``tree_size`` leaves, or the latest one; None if there is none."""
    row = await conn.fetchrow(
        "SELECT tree_size, root_hash, note FROM audit_checkpoints "
        "WHERE $1::bigint IS NULL OR tree_size = $1 ORDER BY tree_size DESC LIMIT 1", tree_size)
    return None if row is None else StoredCheckpoint(row["tree_size"], bytes(row["root_hash"]),
                                                     row["note"])


async def checkpoints(conn: asyncpg.Connection) -> list[StoredCheckpoint]:
    rows = await conn.fetch("SELECT tree_size, root_hash, note FROM audit_checkpoints "
                            "ORDER BY tree_size")
    return [StoredCheckpoint(r["tree_size"], bytes(r["root_hash"]), r["note"]) for r in rows]


async def inclusion(conn: asyncpg.Connection, position: int,
                    tree_size: int | None = None) -> InclusionProof:
    """The inclusion proof of the event at ``position`` against the checkpoint of
    ``tree_size`` leaves (the latest when None). Raises ``NoSuchProof`` when there is no such
    checkpoint, the event is not in the tree, or it came after that checkpoint."""
    # One round trip for the checkpoint and the leaf's index, one for the path's nodes.
    row = await conn.fetchrow(
        "SELECT c.tree_size, c.root_hash, c.note, "
        "(SELECT leaf_index FROM audit_leaves WHERE position = $2) AS leaf_index "
        "FROM audit_checkpoints c WHERE $1::bigint IS NULL OR c.tree_size = $1 "
        "ORDER BY c.tree_size DESC LIMIT 1", tree_size, position)
    if row is None:
        raise NoSuchProof("no such checkpoint")
    signed = StoredCheckpoint(row["tree_size"], bytes(row["root_hash"]), row["note"])
    index = row["leaf_index"]
    if index is None:
        raise NoSuchProof(f"no event at position {position} in the log's tree")
    if index >= signed.tree_size:
        raise NoSuchProof(f"the event at position {position} came after that checkpoint")
    found = await nodes(conn, {(0, index)} | tree.needed(
        lambda get: tree.inclusion_path(index, signed.tree_size, get)))
    path = tree.inclusion_path(index, signed.tree_size, found.__getitem__)
    return InclusionProof(position, index, signed.tree_size, found[(0, index)], path,
                          signed.note)


async def consistency(conn: asyncpg.Connection, old: int, new: int) -> list[bytes]:
    """RFC 9162's consistency proof from the tree of ``old`` leaves to that of ``new``.
    Raises ``NoSuchProof`` unless both are checkpoints and 0 < old <= new."""
    if not 0 < old <= new or await checkpoint(conn, old) is None or \
            await checkpoint(conn, new) is None:
        raise NoSuchProof(f"no consistency proof from checkpoint {old} to {new}")
    return await computed(conn, lambda get: tree.consistency_path(old, new, get))
