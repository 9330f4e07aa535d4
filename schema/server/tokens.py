"""Bearer tokens: minting (development) and verification (both modes).

Development signs HS256 with a random local key kept in the data directory (created on first
use). Production verifies only RS256/ES256 tokens against the public keys of a configured JWKS
file, and never accepts a development token. Expiry, issuer and audience are always checked.

A token is input like any other: once its signature holds, each claim that reaches an event or
an answer is checked by the rules of ``lifecycle.validation`` (``sub`` is a subject id,
``staff_group`` one of the allowed groups, ``name`` single-line text), and its shape too
(``roles`` a non-empty list of known roles, ``org`` an organisation id, ``exp`` and ``iat``
numbers). Whatever is wrong with a token, the verifier raises ``AuthenticationFailed`` naming the
claim, which the API answers as a JSON 401.

The ``platform_admin`` role is held alone and acts for the platform (``lifecycle.actor.PLATFORM``):
its token's ``org`` is that id or left out. The ``auditor`` role is held alone too, and its token
carries ``audit_orgs``: the organisations it audits (a non-empty list of organisation ids, at most
``lifecycle.actor.AUDIT_SCOPE_MAX``), whose record it reads and none other (``Actor.viewers``);
no other role's token may carry it.
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

from lifecycle import validation as v
from lifecycle.actor import AUDIT_SCOPE_MAX, PLATFORM, Actor, Role
from lifecycle.errors import ValidationFailed
from lifecycle.service.settings import Settings

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
         ttl_seconds: int = 8 * 3600, audits: frozenset[UUID] = frozenset()) -> str:
    """A development token for these claims (``audits``: an auditor's ``audit_orgs``); raises
    ``AuthenticationFailed`` in production and ``ValidationFailed`` for claims the verifier
    would refuse (the same rules: ``Actor``)."""
    if not settings.development:
        raise AuthenticationFailed("production tokens are issued by the identity provider")
    Actor(subject, organisation, frozenset(roles), staff_group, audits)
    v.optional_text("name", name, v.NAME_MAX)
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
    if audits:
        claims[AUDIT_ORGS] = sorted(str(o) for o in audits)
    return jwt.encode(claims, dev_key(settings), algorithm="HS256",
                      headers={"kid": DEV_KEY_ID})


class Verifier:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.keys: dict[str, jwt.PyJWK] = {}
        if settings.jwks_file is not None:
            jwks = jwt.PyJWKSet.from_dict(json.loads(settings.jwks_file.read_text()))
            self.keys = {k.key_id: k for k in jwks.keys
                         if k.key_id and k.algorithm_name in ASYMMETRIC}
        self.dev_secret = dev_key(settings) if settings.development else None

    def verify(self, token: str) -> Identity:
        """The caller a token presents; raises ``AuthenticationFailed`` (saying why) for any
        token that is malformed, forged, expired, meant for another service, or whose claims
        break the input rules; a token over ``max_token_chars`` is refused before it is
        decoded at all."""
        limit = self.settings.max_token_chars
        if len(token) > limit:
            raise AuthenticationFailed(too_long("bearer token", len(token), limit))
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthenticationFailed("the bearer token is not a well-formed JWT") from None
        kid = header.get("kid")
        if kid == DEV_KEY_ID and self.dev_secret is not None:
            key: jwt.PyJWK | bytes = self.dev_secret
            algorithms = ["HS256"]
        elif isinstance(kid, str) and kid in self.keys:
            # The key's own algorithm only: a token naming an RSA key but claiming ES256 (or
            # the reverse) is refused by PyJWT instead of reaching the wrong verifier.
            key = self.keys[kid]
            algorithms = [self.keys[kid].algorithm_name]
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
        except jwt.InvalidSignatureError:
            hint = (" (signed with another development key: was it minted with this server's "
                    "LIFECYCLE_DATA_DIR?)" if key is self.dev_secret else "")
            raise AuthenticationFailed(
                f"the bearer token is not valid: Signature verification failed{hint}") from None
        except jwt.PyJWTError as exc:
            raise AuthenticationFailed(f"the bearer token is not valid: {exc}") from None
        return _identity(claims)


def too_long(what: str, length: int, limit: int) -> str:
    """The refusal of a token (or its header) over the limit, saying both sizes."""
    return f"the {what} is too long: {length} characters, over the limit of {limit}"


AUDIT_ORGS = "audit_orgs"
"""The claim of an auditor's token that names the organisations it audits."""

# The Actor's fields, as the claims that carry them.
_CLAIM_OF_FIELD = {"subject": "sub", "organisation": "org", "roles": "roles",
                   "staff_group": "staff_group", "audit_scope": AUDIT_ORGS}


def _identity(claims: dict[str, Any]) -> Identity:
    for claim in ("exp", "iat"):
        if isinstance(claims[claim], bool) or not isinstance(claims[claim], int | float):
            raise _bad_claim(claim, "must be a number of seconds since 1970")
    roles = _roles(claims.get("roles"))
    try:
        name = v.optional_text("name", _string_or_none(claims, "name"), v.NAME_MAX)
        actor = Actor(claims["sub"], _organisation(claims, roles), roles,
                      _string_or_none(claims, "staff_group"), _audits(claims.get(AUDIT_ORGS)))
    except ValidationFailed as refused:
        raise _bad_claim(_CLAIM_OF_FIELD.get(refused.field, refused.field),
                         refused.reason) from None
    return Identity(actor, name)


def _roles(value: object) -> frozenset[Role]:
    if not isinstance(value, list) or not value:
        raise _bad_claim("roles", "must be a non-empty list of roles")
    known = {r.value for r in Role}
    if not all(isinstance(r, str) and r in known for r in value):
        raise _bad_claim("roles", f"must name only these roles: {', '.join(sorted(known))}")
    return frozenset(Role(r) for r in value)


def _organisation(claims: dict[str, Any], roles: frozenset[Role]) -> UUID:
    value = claims.get("org")
    if value is None and roles == {Role.PLATFORM_ADMIN}:
        return PLATFORM
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return UUID(value)
    except ValueError:
        raise _bad_claim("org", "must be an organisation's id") from None


def _audits(value: object) -> frozenset[UUID]:
    """The ``audit_orgs`` claim (absent: none); its rules beyond its shape are ``Actor``'s."""
    if value is None:
        return frozenset()
    if not isinstance(value, list) or len(value) > AUDIT_SCOPE_MAX:
        raise _bad_claim(AUDIT_ORGS, f"must be a list of at most {AUDIT_SCOPE_MAX} "
                                     "organisations' ids")
    try:
        if not all(isinstance(o, str) for o in value):
            raise ValueError(value)
        return frozenset(UUID(o) for o in value)
    except ValueError:
        raise _bad_claim(AUDIT_ORGS, "must be a list of organisations' ids") from None


def _string_or_none(claims: dict[str, Any], claim: str) -> str | None:
    value = claims.get(claim)
    if value is not None and not isinstance(value, str):
        raise _bad_claim(claim, "must be text")
    return value


def _bad_claim(claim: str, reason: str) -> AuthenticationFailed:
    return AuthenticationFailed(f"the bearer token's '{claim}' claim is not valid: {reason}")
