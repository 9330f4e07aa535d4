"""Bearer tokens: development HS256, production RS256/ES256 against a JWKS file."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from lifecycle.actor import Role
from lifecycle.settings import Mode, Settings
from schema.tokens import AuthenticationFailed, Verifier, dev_key, mint

ORG = uuid4()


def dev(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path)


def production(tmp_path: Path, jwks: dict[str, Any]) -> Settings:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks))
    return Settings(mode=Mode.PRODUCTION, database_url="postgresql://db/x", jwks_file=path,
                    data_dir=tmp_path)


def claims(**extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": "person-9", "org": str(ORG), "roles": ["innovation_lead"],
            "iss": "lifecycle", "aud": "lifecycle-api", "iat": now, "exp": now + 600, **extra}


def rsa_jwks() -> tuple[rsa.RSAPrivateKey, dict[str, Any]]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return key, {"keys": [{**public, "kid": "idp-1", "alg": "RS256", "use": "sig"}]}


def test_development_token_round_trips(tmp_path: Path) -> None:
    settings = dev(tmp_path)
    token = mint(settings, subject="person-1", organisation=ORG, roles=[Role.STAFF],
                 staff_group="medical_and_dental")
    identity = Verifier(settings).verify(token)
    assert identity.actor.subject == "person-1"
    assert identity.actor.organisation == ORG
    assert identity.actor.roles == frozenset({Role.STAFF})
    assert identity.actor.staff_group == "medical_and_dental"


def test_development_signing_key_is_created_once_and_private(tmp_path: Path) -> None:
    settings = dev(tmp_path)
    mint(settings, subject="a", organisation=ORG, roles=[Role.STAFF])
    key = settings.dev_key_file.read_text()
    mint(settings, subject="b", organisation=ORG, roles=[Role.STAFF])
    assert settings.dev_key_file.read_text() == key
    assert settings.dev_key_file.stat().st_mode & 0o077 == 0


def _key_after(barrier: Any, data_dir: Path, found: Any) -> None:
    barrier.wait()  # every process looks for the key file at the same moment
    found.put(dev_key(dev(data_dir)))


def test_processes_starting_together_agree_on_one_development_key(tmp_path: Path) -> None:
    fork = multiprocessing.get_context("fork")
    barrier, found = fork.Barrier(8), fork.Queue()
    processes = [fork.Process(target=_key_after, args=(barrier, tmp_path, found))
                 for _ in range(8)]
    for process in processes:
        process.start()
    keys = [found.get(timeout=30) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    assert len(set(keys)) == 1
    assert len(keys[0]) == 64
    assert [p.name for p in tmp_path.iterdir()] == [dev(tmp_path).dev_key_file.name]


def test_a_key_written_by_another_process_first_wins(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    settings = dev(tmp_path)
    link = os.link

    def racing_link(source: Path, target: Path) -> None:
        settings.dev_key_file.write_text("k" * 64)  # another worker got there in between
        link(source, target)

    monkeypatch.setattr(os, "link", racing_link)
    assert dev_key(settings) == b"k" * 64
    assert [p.name for p in tmp_path.iterdir()] == [settings.dev_key_file.name]


def test_production_verifies_rs256_against_the_jwks(tmp_path: Path) -> None:
    key, jwks = rsa_jwks()
    token = jwt.encode(claims(), key, algorithm="RS256", headers={"kid": "idp-1"})
    identity = Verifier(production(tmp_path, jwks)).verify(token)
    assert identity.actor.roles == frozenset({Role.INNOVATION_LEAD})


def test_production_verifies_es256_against_the_jwks(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    jwks = {"keys": [{**public, "kid": "idp-ec", "alg": "ES256"}]}
    token = jwt.encode(claims(), key, algorithm="ES256", headers={"kid": "idp-ec"})
    assert Verifier(production(tmp_path, jwks)).verify(token).actor.subject == "person-9"


def test_production_never_accepts_a_development_token(tmp_path: Path) -> None:
    token = mint(dev(tmp_path), subject="x", organisation=ORG, roles=[Role.ADMIN])
    _, jwks = rsa_jwks()
    with pytest.raises(AuthenticationFailed, match="unknown key"):
        Verifier(production(tmp_path, jwks)).verify(token)


def test_production_refuses_to_mint(tmp_path: Path) -> None:
    _, jwks = rsa_jwks()
    with pytest.raises(AuthenticationFailed, match="identity provider"):
        mint(production(tmp_path, jwks), subject="x", organisation=ORG, roles=[Role.STAFF])


@pytest.mark.parametrize(("change", "message"), [
    ({"aud": "someone-else"}, "(?i)audience"),
    ({"iss": "evil"}, "(?i)issuer"),
    ({"exp": int(time.time()) - 10}, "expired"),
    ({"org": "not-a-uuid"}, "organisation"),
    ({"roles": ["emperor"]}, "organisation or roles"),
    ({"roles": []}, "no role"),
])
def test_bad_claims_are_refused(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    key, jwks = rsa_jwks()
    token = jwt.encode(claims(**change), key, algorithm="RS256", headers={"kid": "idp-1"})
    with pytest.raises(AuthenticationFailed, match=message):
        Verifier(production(tmp_path, jwks)).verify(token)


def test_token_signed_by_another_key_is_refused(tmp_path: Path) -> None:
    _, jwks = rsa_jwks()
    other, _ = rsa_jwks()
    token = jwt.encode(claims(), other, algorithm="RS256", headers={"kid": "idp-1"})
    with pytest.raises(AuthenticationFailed, match="not valid"):
        Verifier(production(tmp_path, jwks)).verify(token)


def test_unsigned_token_is_refused(tmp_path: Path) -> None:
    _, jwks = rsa_jwks()
    token = jwt.encode(claims(), None, algorithm="none",  # type: ignore[arg-type]
                       headers={"kid": "idp-1"})
    with pytest.raises(AuthenticationFailed):
        Verifier(production(tmp_path, jwks)).verify(token)


def test_garbage_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AuthenticationFailed, match="well-formed"):
        Verifier(dev(tmp_path)).verify("not.a.jwt")
