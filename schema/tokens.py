"""Bearer tokens: minting (development) and verification (both modes).

Development signs HS256 with a random local key kept in the data directory (created on first
use). Production verifies only RS256/ES256 tokens against the public keys of a configured JWKS
file, and never accepts a development token. Expiry, issuer and audience are always checked.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import jwt

from lifecycle.actor import Actor, Role
from lifecycle.settings import Settings

DEV_KEY_ID = "lifecycle-dev"
ASYMMETRIC = ["RS256", "ES256"]


class AuthenticationFailed(Exception):
    """The bearer token is missing a part, forged, expired or meant for someone else."""


@dataclass(frozen=True)
class Identity:
    actor: Actor
    name: str | None


def dev_key(settings: Settings) -> bytes:
    """The development signing key, created (owner-readable only) on first use. Processes that
    start together (``serve``'s workers) agree on one key: each writes a whole candidate to its
    own file and links it into place, which succeeds for the first and fails for the rest."""
    path: Path = settings.dev_key_file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        candidate = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, secrets.token_hex(32).encode())
        finally:
            os.close(fd)
        try:
            os.link(candidate, path)
        except FileExistsError:
            pass  # another process's key won
        finally:
            candidate.unlink()
    return path.read_text().strip().encode()


def mint(settings: Settings, *, subject: str, organisation: UUID, roles: list[Role],
         name: str | None = None, staff_group: str | None = None,
         ttl_seconds: int = 8 * 3600) -> str:
    if not settings.development:
        raise AuthenticationFailed("production tokens are issued by the identity provider")
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject, "org": str(organisation), "roles": [r.value for r in roles],
        "iss": settings.token_issuer, "aud": settings.token_audience,
        "iat": now, "exp": now + ttl_seconds,
    }
    if name:
        claims["name"] = name
    if staff_group:
        claims["staff_group"] = staff_group
    return jwt.encode(claims, dev_key(settings), algorithm="HS256",
                      headers={"kid": DEV_KEY_ID})


class Verifier:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.keys: dict[str, Any] = {}
        if settings.jwks_file is not None:
            jwks = jwt.PyJWKSet.from_dict(json.loads(settings.jwks_file.read_text()))
            self.keys = {k.key_id: k for k in jwks.keys if k.key_id}
        self.dev_secret = dev_key(settings) if settings.development else None

    def verify(self, token: str) -> Identity:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthenticationFailed("the bearer token is not a well-formed JWT") from None
        kid = header.get("kid")
        if kid == DEV_KEY_ID and self.dev_secret is not None:
            key: Any = self.dev_secret
            algorithms = ["HS256"]
        elif kid in self.keys:
            key = self.keys[kid].key
            algorithms = ASYMMETRIC
        else:
            raise AuthenticationFailed("the bearer token was signed by an unknown key")
        try:
            claims = jwt.decode(
                token, key, algorithms=algorithms, audience=self.settings.token_audience,
                issuer=self.settings.token_issuer,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationFailed("the bearer token has expired") from None
        except jwt.PyJWTError as exc:
            raise AuthenticationFailed(f"the bearer token is not valid: {exc}") from None
        return _identity(claims)


def _identity(claims: dict[str, Any]) -> Identity:
    try:
        organisation = UUID(str(claims["org"]))
        roles = frozenset(Role(r) for r in claims.get("roles", []))
    except (KeyError, ValueError):
        raise AuthenticationFailed("the bearer token lacks a valid organisation or roles") \
            from None
    if not roles:
        raise AuthenticationFailed("the bearer token grants no role")
    actor = Actor(str(claims["sub"]), organisation, roles, claims.get("staff_group"))
    return Identity(actor, claims.get("name"))
