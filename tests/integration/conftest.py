"""Fixtures several capabilities' integration tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lifecycle.seed import SeedSummary, seed
from lifecycle.store.database import Database
from tests.conftest import drop_database, fresh_database, make_app


@pytest.fixture(scope="session")
def seeded_db(server: Database) -> Iterator[tuple[Database, SeedSummary]]:
    """A database seeded with 60 innovations, seeded once for every module of read-side queries
    (tests/integration/<capability>/test_*_queries.py) and only read by them."""
    db = fresh_database(server, "lifecycle_reads")
    app = make_app(db)
    try:
        summary = seed(app, seed=21, innovations=60)
    finally:
        app.close()
    yield db, summary
    drop_database(server, db)
