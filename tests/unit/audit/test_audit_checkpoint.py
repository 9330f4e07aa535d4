"""Checkpoints as C2SP signed notes, and signed-note keys."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

import verify_export as standalone
from lifecycle.audit.chain import in_serve
from lifecycle.audit.checkpoint import BadCheckpoint, BadKey, SigningKey, open_note, sign
from lifecycle.audit.keys import signing_key
from lifecycle.service.settings import ConfigurationError, Mode, Settings

ROOT = hashlib.sha256(b"root").digest()


def test_keys_round_trip_whatever_their_base64_holds() -> None:
    for _ in range(64):  # base64 of a random key often holds '+', the fields' separator
        key = SigningKey.generate("log-key")
        again = SigningKey.parse(key.text())
        assert again.public == key.public
        assert again.name == "log-key"
        note = sign("example.org/log", 3, ROOT, again)
        assert open_note(note, key.verifier()).size == 3
        assert standalone.open_checkpoint(note, standalone.parse_key(key.verifier()))[1] == 3


def test_a_checkpoint_is_three_lines_a_blank_line_and_an_em_dash_signature() -> None:
    key = SigningKey.generate("log-key")
    note = sign("example.org/log", 12, ROOT, key)
    text, signature = note.split("\n\n")
    assert text == f"example.org/log\n12\n{base64.b64encode(ROOT).decode()}"
    name, blob = signature.removeprefix("\u2014 ").rstrip("\n").split(" ")
    raw = base64.b64decode(blob)
    assert name == "log-key"
    assert raw[:4] == key.hash
    assert len(raw) == 68
    assert key.hash == hashlib.sha256(b"log-key\n\x01" + key.public).digest()[:4]


def test_an_altered_checkpoint_or_another_key_is_refused() -> None:
    key = SigningKey.generate("log-key")
    note = sign("example.org/log", 12, ROOT, key)
    with pytest.raises(BadCheckpoint):
        open_note(note.replace("\n12\n", "\n13\n"), key.verifier())
    with pytest.raises(BadCheckpoint):
        open_note(note, SigningKey.generate("log-key").verifier())
    with pytest.raises(standalone.Failed):
        standalone.open_checkpoint(note.replace("\n12\n", "\n13\n"),
                                   standalone.parse_key(key.verifier()))


@pytest.mark.parametrize("text", ["", "PRIVATE+KEY+name", "PRIVATE+KEY+a b+00+AA==",
                                  "PRIVATE+KEY+name+00000000+AQ=="])
def test_a_malformed_signing_key_is_refused(text: str) -> None:
    with pytest.raises(BadKey):
        SigningKey.parse(text)


def test_serve_chains_by_itself_only_with_a_development_embedded_database(
        tmp_path: Path) -> None:
    development = Settings(data_dir=tmp_path)
    production = Settings(data_dir=tmp_path, mode=Mode.PRODUCTION)
    assert in_serve(development, embedded=True)
    assert not in_serve(development, embedded=False)
    assert not in_serve(production, embedded=True)  # a production key is configured, not made
    assert in_serve(Settings(data_dir=tmp_path, audit_chain="on"), embedded=False)
    with pytest.raises(ConfigurationError):
        signing_key(production)
    assert signing_key(development).text() == signing_key(development).text()  # made once
