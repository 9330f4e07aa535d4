"""Configuration from the environment, in two modes.

``development`` (the default) may start an embedded PostgreSQL and sign tokens with a local key
kept in the data directory. ``production`` refuses both: it needs ``DATABASE_URL`` and configured
token verification keys.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Mode(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class ConfigurationError(RuntimeError):
    """The configuration is unsafe or incomplete for the chosen mode."""


def _within(low: float, high: float | None = None, unit: str = "") -> AfterValidator:
    """A setting's bounds, both included (``high`` None: no upper bound); a value outside is
    refused in words ("must be between 0 and 60 seconds")."""

    def check(value: float) -> float:
        if high is None and value < low:
            raise ValueError(f"must be at least {low:,}")
        if high is not None and not low <= value <= high:
            raise ValueError(f"must be between {low:,} and {high:,}{unit}")
        return value

    return AfterValidator(check)


AtLeastOne = Annotated[int, _within(1)]
Limit = Annotated[int, _within(1, 1_000_000_000)]
"""A size or a count that bounds work: from 1 to a billion."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LIFECYCLE_", extra="ignore")

    mode: Mode = Mode.DEVELOPMENT
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    data_dir: Path = Path(".data")
    host: str = "127.0.0.1"
    port: int = 8000
    workers: AtLeastOne = 1
    # Size of eventsourcing's connection pool; the async service admits this many commands into
    # worker threads at once, so no thread ever waits inside the library for a connection.
    pool_size: AtLeastOne = 8
    jwks_file: Path | None = None
    token_issuer: str = "lifecycle"  # noqa: S105 (a name, not a secret)
    token_audience: str = "lifecycle-api"  # noqa: S105
    graphiql: bool | None = None
    cors_origins: list[str] = []
    max_body_bytes: Limit = 1_000_000
    # Characters of a bearer token (and of the Authorization header that carries it), checked
    # before it is decoded: PyJWT's base64 check costs about 0.65 s per megabyte on the event
    # loop. Identity providers' tokens are 1-2 KB; 8 KiB leaves room for many claims.
    max_token_chars: Limit = 8192
    # Limits on what one GraphQL document may ask (schema/limits.py).
    max_query_depth: Limit = 12
    max_aliases: Annotated[int, _within(0, 10_000)] = 30
    max_tokens: Limit = 2000
    # Estimated objects resolved: each list multiplies its selections by its page size.
    max_query_cost: Limit = 5000
    # Characters (code points) of one GraphQL document, checked before it is read at all.
    max_document_chars: Limit = 50_000
    # Fields one selection set may collect, its inline fragments and spread fragments
    # included: graphql-core compares such fields pairwise (schema/limits.py).
    max_selection_fields: Limit = 100
    # Bytes held by the parsed-document cache (schema/documents.py), the automatic
    # persisted-query store (schema/persisted.py) and the response cache (schema/cache.py).
    document_cache_bytes: Limit = 32 * 1024 * 1024
    persisted_query_bytes: Limit = 8 * 1024 * 1024
    response_cache_bytes: Limit = 32 * 1024 * 1024
    # A manifest of trusted documents (schema/trusted.py): when set, only its operations run.
    trusted_documents: Path | None = None
    # Seconds a query's answer may be served again to the same caller for the same request
    # (schema/cache.py); 0, the default, turns the response cache off.
    response_cache_seconds: Annotated[float, _within(0, 60, " seconds")] = 0
    log_level: str = "INFO"
    # Run the projector inside `serve`: "auto" does so when the database is embedded (one
    # process owns it); against a shared database run `lifecycle project` workers instead.
    projector: Literal["auto", "on", "off"] = "auto"
    # Subscriptions (schema/partners): events a subscriber may have waiting before it is
    # closed as fallen behind (told where to resume), and operations per websocket.
    subscriber_queue: Limit = 256
    max_subscriptions_per_connection: Limit = 20
    # Webhooks (projections/partners/): the delivery worker runs inside `serve` as the projector
    # does ("auto": with the embedded database); `lifecycle deliver` against a shared one.
    deliverer: Literal["auto", "on", "off"] = "auto"
    # Fernet keys (comma-separated; the first seals, all open, so a key can be rotated) for
    # endpoint secrets at rest. Development makes one in the data directory.
    webhook_keys: str | None = None
    # Deliver to loopback addresses (the tests' receivers); never in production.
    webhook_allow_loopback: bool = False
    webhook_timeout_seconds: float = 10.0
    # Attempts of one delivery (exponential backoff with jitter between them) before the
    # endpoint is paused for its administrator to resume.
    webhook_attempts: Limit = 8
    webhook_backoff_seconds: float = 1.0
    webhook_backoff_max_seconds: float = 300.0
    # The CloudEvents `source` of every event delivered.
    webhook_source: str = "/lifecycle"
    # The transparency log (lifecycle/audit/): its chaining worker runs inside `serve` as the
    # projector does ("auto": with the embedded database; else `lifecycle chain`); a signed
    # checkpoint every N events and at least every M minutes while the log grows; the Ed25519
    # signing key (a signed-note key, never in the log) from a file, generated into the data
    # directory in development.
    audit_chain: Literal["auto", "on", "off"] = "auto"
    audit_checkpoint_events: int = Field(default=1000, ge=1, le=10_000_000)
    audit_checkpoint_minutes: float = Field(default=10.0, gt=0, le=24 * 60)
    audit_key_file: Path | None = None
    audit_origin: str = "lifecycle.local/audit"
    # The erasure log (lifecycle/directory/erasure_log.py): everyone erased, a JSON line each,
    # kept where a restore of the database cannot reach (another volume), so that erased people
    # stay erased after one. Development keeps it in the data directory.
    erasure_log: Path | None = None

    @property
    def development(self) -> bool:
        return self.mode is Mode.DEVELOPMENT

    @property
    def graphiql_enabled(self) -> bool:
        return self.development if self.graphiql is None else self.graphiql

    @property
    def webhook_key_file(self) -> Path:
        return self.data_dir / "dev-webhook-key"

    @property
    def dev_key_file(self) -> Path:
        return self.data_dir / "dev-signing-key"

    @property
    def erasure_log_file(self) -> Path:
        """Where the erasure log is: ``LIFECYCLE_ERASURE_LOG``, else (development only) in the
        data directory. Raises ``ConfigurationError`` in production without one: there it must
        be somewhere a restore of the database does not reach, which only the operator knows."""
        if self.erasure_log is not None:
            return self.erasure_log
        if not self.development:
            raise ConfigurationError("LIFECYCLE_ERASURE_LOG is required: a file outside the "
                                     "database's backups, where erasures are kept")
        return self.data_dir / "erasure-log.jsonl"

    def check(self) -> None:
        """Refuse to run production with development conveniences."""
        if self.development:
            return
        problems = []
        if not self.database_url:
            problems.append("DATABASE_URL is required (the embedded database is for development)")
        if self.jwks_file is None:
            problems.append("LIFECYCLE_JWKS_FILE is required (development tokens are refused)")
        elif not self.jwks_file.is_file():
            problems.append(f"LIFECYCLE_JWKS_FILE {self.jwks_file} does not exist")
        if self.webhook_allow_loopback:
            problems.append("LIFECYCLE_WEBHOOK_ALLOW_LOOPBACK is for tests")
        if self.trusted_documents is not None and not self.trusted_documents.is_file():
            problems.append(f"LIFECYCLE_TRUSTED_DOCUMENTS {self.trusted_documents} does not exist")
        module = os.environ.get("PERSISTENCE_MODULE", "")
        if module and "postgres" not in module:
            problems.append(f"PERSISTENCE_MODULE={module} is not PostgreSQL")
        if problems:
            raise ConfigurationError("production mode refuses to start: " + "; ".join(problems))
