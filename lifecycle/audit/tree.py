"""The Merkle tree of RFC 9162 (Certificate Transparency 2.0, section 2.1), over the log's
events, and its proofs. Pure computation: where node hashes come from is the caller's (a
``Nodes`` lookup), so that the stored tree (``lifecycle.audit.store``), the verifier and the
tests share one implementation of the algorithm.

A leaf is an event as bytes (``leaf``); its hash is SHA-256(0x00 ‖ leaf) and an inner node's
SHA-256(0x01 ‖ left ‖ right). The hash of the tree of the first n leaves is RFC 9162's
MTH(D[0:n]). A complete subtree (2^level leaves from index idx·2^level) is a node keyed
(level, idx); every hash this module needs is of such nodes, so a store that keeps them
answers a root or a proof with O(log n) lookups.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from uuid import UUID

Key = tuple[int, int]  # (level, index): the complete subtree of leaves [idx<<level, (idx+1)<<level)
Nodes = Callable[[Key], bytes]
HASH_SIZE = 32
TOPIC_MAX = 0xFFFF  # the topic's length is a 2-byte prefix


def leaf(position: int, originator_id: UUID, originator_version: int, topic: str,
         state: bytes) -> bytes:
    """An event as a leaf: position (8 bytes, big-endian, unsigned) ‖ originator id (16 bytes,
    the UUID's bytes) ‖ originator version (8 bytes, big-endian, unsigned) ‖ topic length
    (2 bytes, big-endian) ‖ topic (UTF-8) ‖ SHA-256(stored state bytes) (32 bytes).
    Raises ``ValueError`` for a value out of those widths."""
    encoded = topic.encode()
    if len(encoded) > TOPIC_MAX:
        raise ValueError("a topic longer than 65535 bytes cannot be a leaf")
    return (struct.pack(">Q16sQH", position, originator_id.bytes, originator_version,
                        len(encoded)) + encoded + hashlib.sha256(state).digest())


def leaf_hash(leaf_bytes: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf_bytes).digest()


class LeafHasher:
    """``leaf_hash(leaf(...))`` for many events at once (verification rehashes the whole log):
    the same bytes, with each topic's length-prefixed encoding made once. Raises
    ``ValueError`` as ``leaf`` does."""

    def __init__(self) -> None:
        self._topics: dict[str, bytes] = {}

    def __call__(self, position: int, originator_id: UUID, originator_version: int,
                 topic: str, state: bytes) -> bytes:
        return self.many([(position, originator_id, originator_version, topic, state)])[0]

    def many(self, events: Iterable[Sequence[Any]]) -> list[bytes]:
        """The leaf hash of each event, given as (position, originator id, originator version,
        topic, stored state bytes)."""
        topics, sha256, pack = self._topics, _sha256, _pack
        digests = []
        for position, originator_id, originator_version, topic, state in events:
            encoded = topics.get(topic)
            if encoded is None:
                encoded = topics[topic] = _length_prefixed(topic)
            digests.append(sha256(b"\x00" + pack(">Q16sQ", position, originator_id.bytes,
                                                 originator_version)
                                  + encoded + sha256(state).digest()).digest())
        return digests


    def many_headed(self, events: Iterable[Sequence[Any]]) -> list[bytes]:
        """``many`` for events given as (head, topic, stored state bytes), the head being the
        leaf's first 32 bytes (position ‖ originator id ‖ originator version) as PostgreSQL's
        binary forms of the stored values give them (``int8send``, ``uuid_send``: the bytes
        its wire protocol carries for those columns), so that no value is made a Python object
        only to be turned back into the same bytes. A position or version below 0 (there
        are none: both count from 1) would give bytes no chained leaf has."""
        topics, sha256 = self._topics, _sha256
        digests = []
        for head, topic, state in events:
            encoded = topics.get(topic)
            if encoded is None:
                encoded = topics[topic] = _length_prefixed(topic)
            digests.append(sha256(b"\x00" + head + encoded + sha256(state).digest()).digest())
        return digests


def _length_prefixed(topic: str) -> bytes:
    raw = topic.encode()
    if len(raw) > TOPIC_MAX:
        raise ValueError("a topic longer than 65535 bytes cannot be a leaf")
    return struct.pack(">H", len(raw)) + raw


_sha256 = hashlib.sha256
_pack = struct.pack


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH of no leaves


def _split(width: int) -> int:
    """The largest power of two smaller than ``width`` (RFC 9162's k), for width > 1."""
    return 1 << ((width - 1).bit_length() - 1)


def subtree(start: int, end: int, nodes: Nodes) -> bytes:
    """MTH(D[start:end]) for a range that starts on a boundary of its own split (every range
    RFC 9162's recursion makes does): complete subtrees are looked up, others composed."""
    width = end - start
    if width & (width - 1) == 0:
        level = width.bit_length() - 1
        return nodes((level, start >> level))
    k = _split(width)
    return node_hash(subtree(start, start + k, nodes), subtree(start + k, end, nodes))


def root(size: int, nodes: Nodes) -> bytes:
    """MTH(D[0:size])."""
    return EMPTY_ROOT if size == 0 else subtree(0, size, nodes)


def inclusion_path(index: int, size: int, nodes: Nodes) -> list[bytes]:
    """RFC 9162 PATH(index, D[0:size]): the audit path of leaf ``index``, leaf to root.
    Raises ``ValueError`` unless 0 <= index < size."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            path.append(subtree(start + k, end, nodes))
            end = start + k
        else:
            path.append(subtree(start, start + k, nodes))
            start += k
    path.reverse()
    return path


def consistency_path(old: int, new: int, nodes: Nodes) -> list[bytes]:
    """RFC 9162 PROOF(old, D[0:new]): that the tree of ``new`` leaves extends that of ``old``.
    Raises ``ValueError`` unless 0 < old <= new."""
    if not 0 < old <= new:
        raise ValueError(f"no consistency proof from {old} to {new} leaves")
    path: list[bytes] = []

    def sub(m: int, start: int, end: int, whole: bool) -> None:
        # SUBPROOF(m, D[start:end], whole), section 2.1.4.1
        if m == end - start:
            if not whole:
                path.append(subtree(start, end, nodes))
            return
        k = _split(end - start)
        if m <= k:
            sub(m, start, start + k, whole)
            path.append(subtree(start + k, end, nodes))
        else:
            sub(m - k, start + k, end, False)
            path.append(subtree(start, start + k, nodes))

    sub(old, 0, new, True)
    return path


def needed(compute: Callable[[Nodes], object]) -> set[Key]:
    """The nodes ``compute`` looks up, found by running it on placeholder hashes: what to
    fetch from a store in one round trip before running it for real."""
    keys: set[Key] = set()

    def record(key: Key) -> bytes:
        keys.add(key)
        return bytes(HASH_SIZE)

    compute(record)
    return keys


class Frontier:
    """The right edge of a growing tree: the complete subtrees a tree of ``size`` leaves is
    made of (at most one per level), enough to append leaves and give the root, with no
    other lookups. ``append`` returns every node the leaf completes, to be stored."""

    def __init__(self, size: int = 0, edge: Iterable[bytes] = ()) -> None:
        """``edge``: the hashes of ``edge_keys(size)``, in that order (largest first)."""
        self.size = size
        self.edge: list[bytes] = list(edge)
        if len(self.edge) != bin(size).count("1"):
            raise ValueError("the edge does not match the size")

    def append(self, leaf_digest: bytes) -> list[tuple[int, int, bytes]]:
        made = [(0, self.size, leaf_digest)]
        digest, index, level = leaf_digest, self.size, 0
        while index & 1:  # a right child: merge with the left sibling on the edge
            digest = node_hash(self.edge.pop(), digest)
            index >>= 1
            level += 1
            made.append((level, index, digest))
        self.edge.append(digest)
        self.size += 1
        return made

    def extend(self, leaf_digests: Iterable[bytes]) -> None:
        """``append`` each, without the nodes they make (for whoever needs only the roots)."""
        size, edge, sha256 = self.size, self.edge, _sha256
        for digest in leaf_digests:
            index = size
            while index & 1:
                digest = sha256(b"\x01" + edge.pop() + digest).digest()
                index >>= 1
            edge.append(digest)
            size += 1
        self.size = size

    def extend_subtrees(self, subtrees: Iterable[tuple[int, bytes]]) -> None:
        """Append complete subtrees, each (level, hash) of 2^level leaves, as ``subtrees``
        gives them for the leaves that follow. Raises ``ValueError`` for one that does not
        start on a multiple of its width (its leaves would not form one node)."""
        size, edge, sha256 = self.size, self.edge, _sha256
        for level, digest in subtrees:
            if size & ((1 << level) - 1):
                raise ValueError(f"a subtree of 2^{level} leaves cannot start at leaf {size}")
            index = size >> level
            while index & 1:
                digest = sha256(b"\x01" + edge.pop() + digest).digest()
                index >>= 1
            edge.append(digest)
            size += 1 << level
        self.size = size

    def root(self) -> bytes:
        if not self.edge:
            return EMPTY_ROOT
        digest = self.edge[-1]
        for left in reversed(self.edge[:-1]):
            digest = node_hash(left, digest)
        return digest


def edge_keys(size: int) -> list[Key]:
    """The complete subtrees a tree of ``size`` leaves is made of, largest (leftmost) first."""
    keys = []
    start = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            keys.append((level, start >> level))
            start += 1 << level
    return keys


def subtrees(start: int, leaf_digests: Sequence[bytes]) -> list[tuple[int, bytes]]:
    """The leaves from index ``start`` on (their hashes) as the fewest complete subtrees, left
    to right, each (level, hash): what ``Frontier.extend_subtrees`` takes in their place. So a
    run of leaves costs its appender O(log n) hashes once the subtrees are made elsewhere."""
    made: list[tuple[int, bytes]] = []
    at, end, sha256 = start, start + len(leaf_digests), _sha256
    while at < end:
        level = (at & -at).bit_length() - 1 if at else (end - at).bit_length() - 1
        while at + (1 << level) > end:
            level -= 1
        layer = list(leaf_digests[at - start:at - start + (1 << level)])
        while len(layer) > 1:
            layer = [sha256(b"\x01" + left + right).digest()
                     for left, right in zip(layer[::2], layer[1::2], strict=True)]
        made.append((level, layer[0]))
        at += 1 << level
    return made
