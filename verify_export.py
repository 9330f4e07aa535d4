"""Check an audit export of Lifecycle without trusting Lifecycle: every checkpoint's Ed25519
signature, the consistency of each checkpoint with the one before, and every event's inclusion
in the latest checkpoint's tree, recomputed from the event's own bytes.

    python verify_export.py EXPORT.jsonl --key VERIFIER_KEY

Needs Python 3.11+ and the ``cryptography`` package, nothing else. VERIFIER_KEY is the log's
signed-note verifier key (``name+hash+base64``; ``lifecycle audit key`` prints it). Prints
"ok" and exits 0, or names the first line that fails and exits 1.

The formats (README, "Audit"): RFC 9162 section 2.1 (the tree, its inclusion and consistency
proofs and their verification); C2SP tlog-checkpoint and signed-note (checkpoints); a leaf is
position (8 bytes) | originator id (16) | originator version (8) | topic length (2) | topic
(UTF-8) | SHA-256 of the stored state (32), integers big-endian and unsigned.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import struct
import sys
import uuid
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class Failed(Exception):
    pass


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf_bytes(position: int, originator_id: str, version: int, topic: str,
               state: bytes) -> bytes:
    encoded = topic.encode()
    return struct.pack(">Q16sQH", position, uuid.UUID(originator_id).bytes, version,
                       len(encoded)) + encoded + sha256(state)


def leaf_hash(leaf: bytes) -> bytes:
    return sha256(b"\x00" + leaf)


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right)


def root_from_inclusion(index: int, size: int, leaf: bytes, path: list[bytes]) -> bytes:
    """RFC 9162 section 2.1.3.2: the root an inclusion path leads to from a leaf hash."""
    if not 0 <= index < size:
        raise Failed("the leaf index is not in the tree")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise Failed("the inclusion path is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Failed("the inclusion path is too short")
    return r


def verify_consistency(old: int, new: int, old_root: bytes, new_root: bytes,
                       path: list[bytes]) -> None:
    """RFC 9162 section 2.1.4.2."""
    if not 0 < old <= new:
        raise Failed("the checkpoints are not in order")
    if old == new:
        if path or old_root != new_root:
            raise Failed("two checkpoints of one size differ")
        return
    if old & (old - 1) == 0:  # a power of two: the old root is the path's implicit first node
        path = [old_root, *path]
    if not path:
        raise Failed("the consistency path is empty")
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise Failed("the consistency path is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0 or fr != old_root or sr != new_root:
        raise Failed("the consistency proof does not hold")


def parse_key(text: str) -> tuple[str, bytes, bytes]:
    """A signed-note verifier key: (name, 4-byte key hash, Ed25519 public key)."""
    parts = text.strip().split("+", 2)
    try:
        raw = base64.b64decode(parts[2], validate=True)
        key_id = bytes.fromhex(parts[1])
    except (IndexError, binascii.Error, ValueError):
        raise Failed("not a verifier key (name+hash+base64)") from None
    if len(parts) != 3 or len(raw) != 33 or raw[0] != 1 or \
            sha256(parts[0].encode() + b"\n" + raw)[:4] != key_id:
        raise Failed("not an Ed25519 verifier key, or its hash does not match")
    return parts[0], key_id, raw[1:]


def open_checkpoint(note: str, key: tuple[str, bytes, bytes]) -> tuple[str, int, bytes]:
    """The origin, size and root of a C2SP checkpoint whose signature by ``key`` holds."""
    name, key_id, public = key
    if not isinstance(note, str):
        raise Failed("not a checkpoint")
    text, sep, signatures = note.partition("\n\n")
    lines = text.split("\n")
    if not sep or len(lines) < 3 or not lines[1].isdigit():
        raise Failed("not a checkpoint")
    try:
        root = base64.b64decode(lines[2], validate=True)
    except binascii.Error:
        raise Failed("the checkpoint's root is not base64") from None
    for line in signatures.rstrip("\n").split("\n"):
        signer, _, blob = line.removeprefix("\u2014 ").partition(" ")
        try:
            raw = base64.b64decode(blob, validate=True)
        except binascii.Error:
            continue
        if line.startswith("\u2014 ") and signer == name and raw[:4] == key_id:
            try:
                Ed25519PublicKey.from_public_bytes(public).verify(raw[4:],
                                                                  (text + "\n").encode())
            except InvalidSignature:
                raise Failed("the checkpoint's signature does not hold") from None
            return lines[0], int(lines[1]), root
    raise Failed(f"the checkpoint has no signature by {name}")


def b64list(values: Any) -> list[bytes]:
    if not isinstance(values, list):
        raise Failed("a proof is not a list of hashes")
    try:
        hashes = [base64.b64decode(v, validate=True) for v in values]
    except (binascii.Error, TypeError):
        raise Failed("a proof's hash is not base64") from None
    if any(len(h) != 32 for h in hashes):
        raise Failed("a proof's hash is not 32 bytes")
    return hashes


def check(lines: list[str], key: tuple[str, bytes, bytes]) -> int:
    """Check an export's lines; return how many events were proved. Raises ``Failed`` with
    the line number first."""
    checkpoints: list[tuple[int, bytes]] = []
    latest: tuple[int, bytes] | None = None
    events = 0
    last_position = 0  # events come in log order, each once
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
            kind = record["kind"]
            if kind == "header":
                if latest is not None:
                    raise Failed("a second header")
                _, size, root = open_checkpoint(record["checkpoint"], key)
                latest = (size, root)
            elif kind == "checkpoint":
                _, size, root = open_checkpoint(record["note"], key)
                if checkpoints:
                    old_size, old_root = checkpoints[-1]
                    verify_consistency(old_size, size, old_root, root,
                                       b64list(record["consistency_path"]))
                checkpoints.append((size, root))
            elif kind == "event":
                if latest is None:
                    raise Failed("an event before the header")
                position = record["position"]
                if not isinstance(position, int) or isinstance(position, bool):
                    raise Failed("the position is not an integer")
                if position <= last_position:
                    raise Failed(f"the event at position {position} is repeated or out of "
                                 "log order")
                last_position = position
                leaf = leaf_hash(leaf_bytes(record["position"], record["originator_id"],
                                            record["originator_version"], record["topic"],
                                            base64.b64decode(record["state"], validate=True)))
                if root_from_inclusion(record["leaf_index"], latest[0], leaf,
                                       b64list(record["inclusion_path"])) != latest[1]:
                    raise Failed(f"the event at position {record['position']} is not in the "
                                 "signed tree as exported")
                events += 1
            else:
                raise Failed(f"unknown kind {kind!r}")
        except Failed as failed:
            raise Failed(f"line {number}: {failed}") from None
        except (KeyError, TypeError, ValueError, binascii.Error, struct.error) as exc:
            raise Failed(f"line {number}: malformed ({type(exc).__name__}: {exc})") from None
    if latest is None:
        raise Failed("line 1: the export has no header")
    if checkpoints and checkpoints[-1] != latest:
        raise Failed(f"line {len(lines)}: the last checkpoint is not the header's")
    return events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export")
    parser.add_argument("--key", required=True, help="the log's verifier key")
    args = parser.parse_args(argv)
    try:
        key = parse_key(args.key)
        try:
            with open(args.export, encoding="utf-8") as export:
                lines = export.read().splitlines()
        except (OSError, UnicodeDecodeError) as unreadable:
            raise Failed(f"cannot read {args.export}: {unreadable}") from None
        events = check(lines, key)
    except Failed as failed:
        print(f"FAILED: {failed}")
        return 1
    print(f"ok: {events} events proved in the signed log")
    return 0


if __name__ == "__main__":
    sys.exit(main())
