"""Signed checkpoints: the tree's size and root in the C2SP ``tlog-checkpoint`` format, signed
as a C2SP ``signed-note`` with Ed25519 (https://github.com/C2SP/C2SP, tlog-checkpoint.md and
signed-note.md).

A checkpoint's text is three lines: the log's origin, the tree size (decimal), and the root
hash (standard base64). The note is that text, a blank line, and one signature line:
``— <key name> <base64(key hash (4 bytes) ‖ Ed25519 signature (64 bytes))>``, where the key
hash is the first 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key) and the signature is
over the text (its three lines, each ending in a newline).

Keys are written as the Go ``golang.org/x/mod/sumdb/note`` package writes them: the signing
key ``PRIVATE+KEY+<name>+<hex key hash>+<base64(0x01 ‖ 32-byte seed)>``, the verifier key
``<name>+<hex key hash>+<base64(0x01 ‖ 32-byte public key)>``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"  # the signature type byte of signed-note keys
SIGNATURE_PREFIX = "\u2014 "  # an em dash and a space


class BadKey(ValueError):
    """A key's text is not a signed-note key of this kind."""


class BadCheckpoint(ValueError):
    """A note is not a checkpoint of this log, or its signature does not hold."""


def key_hash(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public).digest()[:4]


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _valid_name(name: str) -> bool:
    return bool(name) and "+" not in name and not any(c.isspace() for c in name)


@dataclass(frozen=True)
class SigningKey:
    name: str
    private: Ed25519PrivateKey

    @classmethod
    def generate(cls, name: str) -> SigningKey:
        if not _valid_name(name):
            raise BadKey("a key name has no spaces and no '+'")
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def parse(cls, text: str) -> SigningKey:
        """From ``PRIVATE+KEY+<name>+<hex hash>+<base64(0x01 ‖ seed)>``; raises ``BadKey``."""
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"] or not _valid_name(parts[2]):
            raise BadKey("not a signed-note signing key (PRIVATE+KEY+name+hash+key)")
        try:
            raw = base64.b64decode(parts[4], validate=True)
        except binascii.Error:
            raise BadKey("the key is not base64") from None
        if len(raw) != 33 or raw[:1] != ED25519:
            raise BadKey("not an Ed25519 key")
        key = cls(parts[2], Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if parts[3] != key.hash.hex():
            raise BadKey("the key hash does not match the key")
        return key

    @property
    def public(self) -> bytes:
        return _raw_public(self.private.public_key())

    @property
    def hash(self) -> bytes:
        return key_hash(self.name, self.public)

    def text(self) -> str:
        seed = self.private.private_bytes_raw()
        return (f"PRIVATE+KEY+{self.name}+{self.hash.hex()}+"
                f"{base64.b64encode(ED25519 + seed).decode()}")

    def verifier(self) -> str:
        """The public verifier key an outsider checks checkpoints with."""
        return f"{self.name}+{self.hash.hex()}+{base64.b64encode(ED25519 + self.public).decode()}"


def checkpoint_text(origin: str, size: int, root_hash: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root_hash).decode()}\n"


def sign(origin: str, size: int, root_hash: bytes, key: SigningKey) -> str:
    """The signed note of the tree of ``size`` leaves with root ``root_hash``."""
    text = checkpoint_text(origin, size, root_hash)
    signature = key.private.sign(text.encode())
    return (f"{text}\n{SIGNATURE_PREFIX}{key.name} "
            f"{base64.b64encode(key.hash + signature).decode()}\n")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root_hash: bytes


def open_note(note: str, verifier: str) -> Checkpoint:
    """The checkpoint a note states, once a signature by ``verifier`` (a verifier key) is found
    to hold over it. Raises ``BadCheckpoint`` (or ``BadKey`` for the verifier key)."""
    name, hash_hex, public = parse_verifier(verifier)
    text, sep, signatures = note.partition("\n\n")
    if not sep or not text or not signatures.endswith("\n"):
        raise BadCheckpoint("not a signed note")
    lines = text.split("\n")
    if len(lines) < 3:
        raise BadCheckpoint("a checkpoint has an origin, a size and a root hash")
    origin, size_text, root_text = lines[:3]
    if not (size_text.isascii() and size_text.isdigit()) or \
            (len(size_text) > 1 and size_text[0] == "0"):
        raise BadCheckpoint("the tree size is not a decimal number")
    try:
        root_hash = base64.b64decode(root_text, validate=True)
    except binascii.Error:
        raise BadCheckpoint("the root hash is not base64") from None
    if len(root_hash) != 32:
        raise BadCheckpoint("the root hash is not 32 bytes")
    for line in signatures[:-1].split("\n"):
        if not line.startswith(SIGNATURE_PREFIX):
            raise BadCheckpoint("a signature line does not start with an em dash")
        signer, _, blob = line[len(SIGNATURE_PREFIX):].partition(" ")
        try:
            raw = base64.b64decode(blob, validate=True)
        except binascii.Error:
            continue
        if signer != name or raw[:4].hex() != hash_hex or len(raw) != 68:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(raw[4:], (text + "\n").encode())
        except InvalidSignature:
            raise BadCheckpoint("the signature does not hold") from None
        return Checkpoint(origin, int(size_text), root_hash)
    raise BadCheckpoint(f"no signature by {name}")


def parse_verifier(verifier: str) -> tuple[str, str, bytes]:
    """A verifier key's name, hex key hash and public key; raises ``BadKey``."""
    parts = verifier.strip().split("+", 2)
    if len(parts) != 3 or not _valid_name(parts[0]):
        raise BadKey("not a signed-note verifier key (name+hash+key)")
    try:
        raw = base64.b64decode(parts[2], validate=True)
    except binascii.Error:
        raise BadKey("the verifier key is not base64") from None
    if len(raw) != 33 or raw[:1] != ED25519 or key_hash(parts[0], raw[1:]).hex() != parts[1]:
        raise BadKey("not an Ed25519 verifier key, or its hash does not match")
    return parts[0], parts[1], raw[1:]
