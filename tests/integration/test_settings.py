"""The two modes: development conveniences, and production's refusals."""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest

from lifecycle.service.settings import ConfigurationError, Mode, Settings
from lifecycle.store import database


def test_development_is_the_default_and_enables_graphiql() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.mode is Mode.DEVELOPMENT
    assert settings.graphiql_enabled
    settings.check()


def test_production_refuses_to_start_without_database_url(tmp_path: Path) -> None:
    keys = tmp_path / "jwks.json"
    keys.write_text('{"keys": []}')
    settings = Settings(mode=Mode.PRODUCTION, jwks_file=keys, data_dir=tmp_path)
    with pytest.raises(ConfigurationError, match="DATABASE_URL is required"):
        settings.check()
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        database.resolve(settings)
    assert not (tmp_path / "pg").exists()  # no embedded server was started


def test_production_refuses_to_start_without_token_keys(tmp_path: Path) -> None:
    settings = Settings(mode=Mode.PRODUCTION, database_url="postgresql://db/lifecycle")
    with pytest.raises(ConfigurationError, match="LIFECYCLE_JWKS_FILE is required"):
        settings.check()
    missing = Settings(mode=Mode.PRODUCTION, database_url="postgresql://db/lifecycle",
                       jwks_file=tmp_path / "absent.json")
    with pytest.raises(ConfigurationError, match="does not exist"):
        missing.check()


def test_production_refuses_in_memory_persistence(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    keys = tmp_path / "jwks.json"
    keys.write_text('{"keys": []}')
    monkeypatch.setenv("PERSISTENCE_MODULE", "eventsourcing.popo")
    settings = Settings(mode=Mode.PRODUCTION, database_url="postgresql://db/x", jwks_file=keys)
    with pytest.raises(ConfigurationError, match="not PostgreSQL"):
        settings.check()


def test_production_turns_graphiql_off_by_default() -> None:
    assert not Settings(mode=Mode.PRODUCTION).graphiql_enabled


def test_database_url_is_parsed_into_connection_parameters() -> None:
    db = database.from_url("postgresql://app:s%40cret@db.internal:6543/ledger")
    assert (db.host, db.port, db.dbname, db.user, db.password) == (
        "db.internal", 6543, "ledger", "app", "s@cret")
    socket = database.from_url("postgresql://postgres@/lifecycle?host=/run/pg&port=5433")
    assert (socket.host, socket.port) == ("/run/pg", 5433)


def test_non_postgres_url_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="postgresql://"):
        database.from_url("sqlite:///tmp/x.db")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("pool_size", 0, "at least 1"),
    ("workers", -2, "at least 1"),
    ("projector", "sometimes", "'auto', 'on' or 'off'"),
    ("max_query_depth", 0, "between 1 and"),
    ("max_body_bytes", 10**12, "between 1 and"),
    ("max_aliases", -1, "between 0 and"),
    ("response_cache_seconds", -1, "between 0 and 60"),
    ("response_cache_seconds", 3600, "between 0 and 60"),
])
def test_nonsense_configuration_is_refused_naming_the_setting(field: str, value: object,
                                                              message: str) -> None:
    with pytest.raises(pydantic.ValidationError, match=message) as refused:
        Settings.model_validate({field: value})
    assert field in str(refused.value)
