"""Webhook secrets: made here, shown once, kept sealed.

A secret is 32 random bytes, given to its administrator as ``whsec_<base64>`` (the Standard
Webhooks form, which the receivers' libraries take as it is). It is stored sealed with Fernet
(AES-128-CBC with HMAC-SHA256, from ``cryptography``) under ``LIFECYCLE_WEBHOOK_KEYS``:
comma-separated keys, the first sealing and every one opening (``MultiFernet``), so that the
key at rest can be rotated by putting a new one first. Development keeps a key of its own in the
data directory; production without keys refuses to register endpoints.
"""

from __future__ import annotations

import base64
import os
import secrets

from cryptography.fernet import Fernet, MultiFernet

from lifecycle.service.settings import Settings

PREFIX = "whsec_"


class NoKeys(RuntimeError):
    """Webhooks are not configured: no key to seal secrets with."""


def new_secret() -> str:
    """A fresh endpoint secret, as its administrator is shown it (``whsec_...``)."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class Seal:
    def __init__(self, keys: list[bytes]) -> None:
        self.fernet = MultiFernet([Fernet(key) for key in keys])

    @classmethod
    def of(cls, settings: Settings) -> Seal:
        """The seal for these settings; raises ``NoKeys`` in production without keys."""
        if settings.webhook_keys:
            return cls([k.strip().encode() for k in settings.webhook_keys.split(",") if k])
        if not settings.development:
            raise NoKeys("LIFECYCLE_WEBHOOK_KEYS is not set: webhooks are off")
        path = settings.webhook_key_file
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            candidate = path.with_name(f".{path.name}.{os.getpid()}")
            candidate.write_bytes(Fernet.generate_key())
            candidate.chmod(0o600)
            try:  # processes starting together agree on the first key linked into place
                os.link(candidate, path)
            except FileExistsError:
                pass
            finally:
                candidate.unlink()
        return cls([path.read_bytes().strip()])

    def seal(self, secret: str) -> bytes:
        return self.fernet.encrypt(secret.encode())

    def open(self, sealed: bytes) -> str:
        return self.fernet.decrypt(sealed).decode()
