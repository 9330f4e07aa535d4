"""The RFC 9162 tree and its proofs, checked against an implementation the project did not
write (pymerkle) and against the standalone verifier (verify_export.py)."""

from __future__ import annotations

import hashlib
from uuid import UUID

import pytest
from pymerkle import (
    InclusionProof,
    InmemoryTree,
    InvalidProof,
    verify_consistency,
    verify_inclusion,
)

import verify_export as standalone
from lifecycle.audit import tree

SIZE = 70


def built(leaves: list[bytes]) -> tuple[tree.Frontier, dict[tree.Key, bytes]]:
    frontier, nodes = tree.Frontier(), {}
    for leaf in leaves:
        for level, idx, digest in frontier.append(tree.leaf_hash(leaf)):
            nodes[(level, idx)] = digest
    return frontier, nodes


@pytest.fixture(scope="module")
def leaves() -> list[bytes]:
    return [tree.leaf(p * 3, UUID(int=p), p % 5 + 1, f"lifecycle/Event{p % 7}",
                      f"state {p}".encode()) for p in range(1, SIZE + 1)]


@pytest.fixture(scope="module")
def reference(leaves: list[bytes]) -> InmemoryTree:
    other = InmemoryTree(algorithm="sha256")
    for leaf in leaves:
        other.append_entry(leaf)
    return other


def test_a_leaf_is_the_documented_fixed_width_bytes() -> None:
    ident = UUID("12345678-1234-5678-1234-567812345678")
    leaf = tree.leaf(7, ident, 2, "lifecycle/IdeaSubmitted", b"{}")
    assert leaf == (b"\x00" * 7 + b"\x07" + ident.bytes + b"\x00" * 7 + b"\x02"
                    + b"\x00\x17" + b"lifecycle/IdeaSubmitted" + hashlib.sha256(b"{}").digest())
    assert leaf == standalone.leaf_bytes(7, str(ident), 2, "lifecycle/IdeaSubmitted", b"{}")


def test_roots_and_inclusion_paths_are_pymerkles(leaves: list[bytes],
                                                 reference: InmemoryTree) -> None:
    frontier, nodes = built(leaves)
    assert frontier.root() == reference.get_root(SIZE)
    for size in range(1, SIZE + 1):
        root = tree.root(size, nodes.__getitem__)
        assert root == reference.get_root(size)
        for index in range(size):
            path = tree.inclusion_path(index, size, nodes.__getitem__)
            theirs = reference.prove_inclusion(index + 1, size)
            assert theirs.path[1:] == path
            # pymerkle verifies our path and root (its own rule, our hashes)
            ours = InclusionProof("sha256", True, size, index + 1, theirs.rule,
                                  [tree.leaf_hash(leaves[index]), *path])
            verify_inclusion(tree.leaf_hash(leaves[index]), root, ours)
            assert standalone.root_from_inclusion(index, size, tree.leaf_hash(leaves[index]),
                                                  path) == root


def test_consistency_proofs_verify_and_pymerkle_agrees_the_roots_are_consistent(
        leaves: list[bytes], reference: InmemoryTree) -> None:
    _, nodes = built(leaves)
    for old in range(1, SIZE + 1):
        for new in range(old, SIZE + 1):
            old_root, new_root = (tree.root(old, nodes.__getitem__),
                                  tree.root(new, nodes.__getitem__))
            standalone.verify_consistency(old, new, old_root, new_root,
                                          tree.consistency_path(old, new, nodes.__getitem__))
            verify_consistency(old_root, new_root, reference.prove_consistency(old, new))


def test_a_proof_for_an_altered_leaf_fails_with_both_verifiers(
        leaves: list[bytes], reference: InmemoryTree) -> None:
    _, nodes = built(leaves)
    root = tree.root(SIZE, nodes.__getitem__)
    path = tree.inclusion_path(10, SIZE, nodes.__getitem__)
    altered = tree.leaf_hash(leaves[10][:-1] + b"\xff")
    theirs = reference.prove_inclusion(11, SIZE)
    with pytest.raises(InvalidProof):
        verify_inclusion(altered, root, InclusionProof("sha256", True, SIZE, 11, theirs.rule,
                                                       [altered, *path]))
    assert standalone.root_from_inclusion(10, SIZE, altered, path) != root


def test_a_consistency_proof_between_trees_that_differ_fails() -> None:
    _, first = built([b"a", b"b", b"c"])
    _, second = built([b"a", b"x", b"c", b"d", b"e"])
    with pytest.raises(standalone.Failed):
        standalone.verify_consistency(3, 5, tree.root(3, first.__getitem__),
                                      tree.root(5, second.__getitem__),
                                      tree.consistency_path(3, 5, second.__getitem__))


def test_a_root_or_proof_reads_log_n_stored_nodes() -> None:
    size = 1_000_003
    assert len(tree.needed(lambda get: tree.inclusion_path(123_457, size, get))) <= 2 * 20
    assert len(tree.needed(lambda get: tree.root(size, get))) <= 20
    assert len(tree.needed(lambda get: tree.consistency_path(999, size, get))) <= 2 * 20


def test_hashing_many_leaves_at_once_gives_each_leafs_documented_hash() -> None:
    events = [(n + 1, UUID(int=n * 7919), n % 3 + 1, f"lifecycle/Event{n % 4}",
               bytes([n % 256]) * n) for n in range(300)]
    expected = [tree.leaf_hash(tree.leaf(*e)) for e in events]
    assert tree.LeafHasher().many(events) == expected
    assert tree.LeafHasher()(*events[5]) == expected[5]
    with pytest.raises(ValueError, match="65535"):
        tree.LeafHasher().many([(1, UUID(int=1), 1, "t" * 70_000, b"")])


def test_hashing_leaves_from_their_binary_heads_gives_each_leafs_documented_hash() -> None:
    """The head as PostgreSQL's int8send and uuid_send give it: big-endian, the UUID's 16
    bytes (what the verification workers read)."""
    events = [(n + 1, UUID(int=n * 7919), n % 3 + 1, f"lifecycle/Évent{n % 4}",
               bytes([n % 256]) * n) for n in range(300)]
    headed = [((p).to_bytes(8, "big") + o.bytes + v.to_bytes(8, "big"), t, s)
              for p, o, v, t, s in events]
    assert tree.LeafHasher().many_headed(headed) == \
        [tree.leaf_hash(tree.leaf(*e)) for e in events]
    with pytest.raises(ValueError, match="65535"):
        tree.LeafHasher().many_headed([(bytes(32), "t" * 70_000, b"")])


def test_extending_a_frontier_gives_the_roots_appending_does() -> None:
    appended, extended = tree.Frontier(), tree.Frontier()
    for n in range(1, 70):
        digest = hashlib.sha256(bytes([n])).digest()
        appended.append(digest)
        extended.extend([digest])
        assert (extended.size, extended.root()) == (appended.size, appended.root())
    batch = tree.Frontier()
    batch.extend(hashlib.sha256(bytes([n])).digest() for n in range(1, 70))
    assert batch.root() == appended.root()


@pytest.mark.parametrize("start", [0, 1, 5, 8, 13, 64])
def test_a_run_of_leaves_as_complete_subtrees_extends_a_frontier_as_its_leaves_do(
        start: int) -> None:
    """Verification's workers send complete subtrees in place of their leaves: a frontier
    extended by them has the size, edge and root that the leaves one by one give, and
    pymerkle agrees on the root."""
    entries = [bytes([n % 256, n // 256]) for n in range(start + 40)]
    digests = [tree.leaf_hash(entry) for entry in entries]
    for length in range(41):
        by_leaf, by_subtree = tree.Frontier(), tree.Frontier()
        by_leaf.extend(digests[:start + length])
        by_subtree.extend(digests[:start])
        made = tree.subtrees(start, digests[start:start + length])
        by_subtree.extend_subtrees(made)  # refuses a subtree off its width's boundary
        assert (by_subtree.size, by_subtree.edge, by_subtree.root()) == \
            (by_leaf.size, by_leaf.edge, by_leaf.root())
        assert len(made) <= 2 * max(1, length).bit_length()
    other = InmemoryTree(algorithm="sha256")
    for entry in entries:
        other.append_entry(entry)
    whole = tree.Frontier()
    whole.extend_subtrees(tree.subtrees(0, digests))
    assert whole.root() == other.get_root(len(entries))


def test_a_subtree_that_does_not_start_on_its_own_width_is_refused() -> None:
    frontier = tree.Frontier()
    frontier.extend([bytes(32)] * 3)
    with pytest.raises(ValueError, match="cannot start at leaf 3"):
        frontier.extend_subtrees([(1, bytes(32))])
    assert frontier.size == 3
