"""Sealing a person's details with a key of their own (AES-256-GCM, ``cryptography``).

A sealed value is ``nonce (12 bytes) ‖ ciphertext and tag``. The associated data binds it to
the person and the field (``subject NUL field``), so a sealed name cannot be moved to another
person or read as their email. Without the person's key it cannot be opened: deleting the key
is what erasing the value means (crypto-shredding), whatever copies of the sealed bytes remain.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BITS = 256
_NONCE_BYTES = 12  # GCM's standard nonce; random, so at most one key's few values share none


def new_key() -> bytes:
    """A fresh person key: 32 random bytes."""
    return AESGCM.generate_key(bit_length=KEY_BITS)


def _bound(subject: str, field: str) -> bytes:
    return f"{subject}\x00{field}".encode()


def seal(key: bytes, subject: str, field: str, value: str | None) -> bytes | None:
    """``value`` sealed under ``key`` for ``subject``'s ``field`` (None stays None)."""
    if value is None:
        return None
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, value.encode(), _bound(subject, field))


def open_sealed(key: bytes, subject: str, field: str, sealed: bytes | None) -> str | None:
    """The value ``seal`` sealed (None stays None). Raises ``cryptography``'s ``InvalidTag``
    when the bytes were altered or sealed for another person, field or key."""
    if sealed is None:
        return None
    raw = bytes(sealed)
    return AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:],
                               _bound(subject, field)).decode()
