"""Bearer tokens: development HS256, production RS256/ES256 against a JWKS file."""

from __future__ import annotations

import base64
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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifecycle.actor import PLATFORM, Role
from lifecycle.errors import ValidationFailed
from lifecycle.service.settings import Mode, Settings
from schema.server.tokens import AuthenticationFailed, Verifier, dev_key, mint

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
    ({"org": "not-a-uuid"}, "'org' claim"),
    ({"roles": ["emperor"]}, "'roles' claim"),
    ({"roles": []}, "'roles' claim"),
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


# -- claims are input: checked by the rules inputs follow, naming the claim ---------------------
def signed(tmp_path: Path, payload: dict[str, Any]) -> tuple[Verifier, str]:
    """A production verifier, and a token its key really signed: only the claims are wrong."""
    key, jwks = rsa_jwks()
    return (Verifier(production(tmp_path, jwks)),
            jwt.encode(payload, key, algorithm="RS256", headers={"kid": "idp-1"}))


@pytest.mark.parametrize(("change", "claim"), [
    ({"sub": "p" * 500}, "sub"),
    ({"sub": "person\x07bell"}, "sub"),
    ({"sub": "person\u202eevil"}, "sub"),
    ({"sub": " person-9"}, "sub"),
    ({"staff_group": "surgeons"}, "staff_group"),
    ({"staff_group": 7}, "staff_group"),
    ({"staff_group": ["nursing_and_midwifery"]}, "staff_group"),
    ({"roles": None}, "roles"),
    ({"roles": "staff"}, "roles"),
    ({"roles": [1]}, "roles"),
    ({"roles": [None]}, "roles"),
    ({"roles": {"staff": True}}, "roles"),
    ({"roles": ["staff", "platform_admin"]}, "roles"),
    ({"org": 42}, "org"),
    ({"org": None}, "org"),
    ({"org": ["not", "an", "id"]}, "org"),
    ({"roles": ["platform_admin"]}, "org"),  # for an organisation, not the platform
    ({"exp": "4102444800"}, "exp"),  # 2100, as a string: far off, so never expired
    ({"iat": str(int(time.time()))}, "iat"),
    ({"name": "Dr\nWho"}, "name"),
    ({"name": 3}, "name"),
], ids=lambda v: repr(v)[:40])
def test_a_claim_that_breaks_the_input_rules_is_refused_naming_it(
        tmp_path: Path, change: dict[str, Any], claim: str) -> None:
    verifier, token = signed(tmp_path, claims(**change))
    with pytest.raises(AuthenticationFailed, match=f"'{claim}' claim"):
        verifier.verify(token)


@pytest.mark.parametrize("group", ["nursing_and_midwifery", "students"])
def test_an_allowed_staff_group_and_a_subject_at_its_limit_are_accepted(
        tmp_path: Path, group: str) -> None:
    subject = "auth0|" + "x" * 249
    verifier, token = signed(tmp_path, claims(sub=subject, staff_group=group, name="Dr Jones"))
    actor = verifier.verify(token).actor
    assert (actor.subject, actor.staff_group) == (subject, group)


def test_a_platform_administrators_token_acts_for_the_platform(tmp_path: Path) -> None:
    for org in ({}, {"org": str(PLATFORM)}):
        payload = {k: v for k, v in claims(roles=["platform_admin"], **org).items()
                   if k != "org" or org}
        verifier, token = signed(tmp_path, payload)
        actor = verifier.verify(token).actor
        assert (actor.organisation, actor.roles) == (PLATFORM, frozenset({Role.PLATFORM_ADMIN}))


def test_only_a_platform_administrator_acts_for_the_platform(tmp_path: Path) -> None:
    verifier, token = signed(tmp_path, claims(org=str(PLATFORM), roles=["admin"]))
    with pytest.raises(AuthenticationFailed, match=r"'org' claim.*not an organisation"):
        verifier.verify(token)


def test_minting_refuses_what_verifying_would(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="staff_group"):
        mint(dev(tmp_path), subject="x", organisation=ORG, roles=[Role.STAFF],
             staff_group="surgeons")
    with pytest.raises(ValidationFailed, match="subject"):
        mint(dev(tmp_path), subject="x" * 256, organisation=ORG, roles=[Role.STAFF])


def two_key_jwks() -> tuple[rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, dict[str, Any]]:
    rsa_key, jwks = rsa_jwks()
    ec_key = ec.generate_private_key(ec.SECP256R1())
    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(ec_key.public_key()))
    jwks["keys"].append({**public, "kid": "idp-ec", "alg": "ES256"})
    return rsa_key, ec_key, jwks


def test_a_token_naming_a_key_of_another_algorithm_is_refused(tmp_path: Path) -> None:
    rsa_key, ec_key, jwks = two_key_jwks()
    verifier = Verifier(production(tmp_path, jwks))
    # signed by the EC key but naming the RSA key, and the reverse
    for key, algorithm, kid in ((ec_key, "ES256", "idp-1"), (rsa_key, "RS256", "idp-ec")):
        token = jwt.encode(claims(), key, algorithm=algorithm, headers={"kid": kid})
        with pytest.raises(AuthenticationFailed):
            verifier.verify(token)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                  max_size=3),
    max_leaves=5)
CLAIM_NAMES = ["sub", "org", "roles", "staff_group", "name", "exp", "iat", "iss", "aud", "nbf"]
HEADER_NAMES = ["kid", "alg", "typ", "crit", "b64", "jku", "x5u"]
HEADER_VALUES = st.one_of(JSON_VALUES, st.sampled_from(
    ["RS256", "ES256", "HS256", "PS256", "none", "idp-1", "idp-ec", "lifecycle-dev"]))


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claim_changes=st.dictionaries(st.sampled_from(CLAIM_NAMES), JSON_VALUES, max_size=4),
       dropped=st.sets(st.sampled_from(CLAIM_NAMES), max_size=2),
       header_changes=st.dictionaries(st.sampled_from(HEADER_NAMES), HEADER_VALUES, max_size=2),
       signer=st.sampled_from(["rsa", "ec", "dev"]))
def test_a_malformed_token_is_always_refused_as_such(
        tmp_path: Path, claim_changes: dict[str, Any], dropped: set[str],
        header_changes: dict[str, Any], signer: str) -> None:
    """Whatever shape the header and claims take, verifying either gives a caller or raises
    AuthenticationFailed: nothing else escapes (anything else is a 500)."""
    payload = {k: v for k, v in claims(**claim_changes).items() if k not in dropped}
    rsa_key, ec_key, jwks = KEYS
    key: Any = {"rsa": rsa_key, "ec": ec_key, "dev": dev_key(dev(tmp_path))}[signer]
    algorithm = {"rsa": "RS256", "ec": "ES256", "dev": "HS256"}[signer]
    kid = {"rsa": "idp-1", "ec": "idp-ec", "dev": "lifecycle-dev"}[signer]
    token = forge({"alg": algorithm, "typ": "JWT", "kid": kid, **header_changes}, payload,
                  key, algorithm)
    settings = production(tmp_path, jwks) if signer != "dev" else dev(tmp_path)
    try:
        identity = Verifier(settings).verify(token)
    except AuthenticationFailed:
        return
    assert identity.actor.roles


KEYS = two_key_jwks()


def forge(header: dict[str, Any], payload: dict[str, Any], key: Any, algorithm: str) -> str:
    """A JWS with exactly this header (PyJWT's encode would refuse odd ones), really signed by
    ``key`` with ``algorithm``, so that only its shape can be wrong."""
    def part(value: dict[str, Any]) -> bytes:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=")

    signing_input = part(header) + b"." + part(payload)
    signer = jwt.get_algorithm_by_name(algorithm)
    signature = signer.sign(signing_input, signer.prepare_key(key))
    return (signing_input + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode()


def test_a_token_over_the_limit_is_refused_for_its_length_and_one_at_it_is_decoded(
        tmp_path: Path) -> None:
    token = mint(dev(tmp_path), subject="person-1", organisation=ORG, roles=[Role.STAFF])
    settings = Settings(data_dir=tmp_path, max_token_chars=len(token))
    assert Verifier(settings).verify(token).actor.organisation == ORG
    with pytest.raises(AuthenticationFailed, match=f"too long: {len(token) + 1} characters"):
        Verifier(settings).verify(token + "A")


def test_a_development_token_signed_with_another_key_hints_at_the_data_directory(
        tmp_path: Path) -> None:
    token = mint(dev(tmp_path / "elsewhere"), subject="person-1", organisation=ORG,
                 roles=[Role.STAFF])
    with pytest.raises(AuthenticationFailed, match="LIFECYCLE_DATA_DIR"):
        Verifier(dev(tmp_path / "server")).verify(token)
