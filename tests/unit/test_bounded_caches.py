"""Caches bounded in bytes (schema/bounded.py), and the automatic persisted-query store on it:
150 registrations of about 1 MB each once grew a process by 126-272 MB for good."""

from __future__ import annotations

import gc
import hashlib
import tracemalloc

import pytest

from schema.documents.bounded import ENTRY_OVERHEAD, BoundedCache
from schema.server.persisted import PersistedQueries, PersistedQueryRefused


def test_entries_are_evicted_least_recently_used_first_to_stay_within_the_bytes() -> None:
    cache: BoundedCache[str, str] = BoundedCache(10 * (1_000 + ENTRY_OVERHEAD) * 8)
    for n in range(100):
        cache.put(str(n), "x", 1_000)
        cache.get("0")  # kept in use
    assert cache.held <= cache.max_bytes
    assert cache.get("0") == "x"
    assert cache.get("1") is None
    assert cache.get("99") == "x"


def test_an_entry_over_an_eighth_of_the_budget_is_not_kept() -> None:
    cache: BoundedCache[str, str] = BoundedCache(80_000)
    assert cache.put("small", "x", 9_000)
    assert not cache.put("large", "x", 10_000)
    assert cache.get("large") is None
    assert cache.get("small") == "x"


def register(store: PersistedQueries, text: str) -> str:
    digest = hashlib.sha256(text.encode()).hexdigest()
    store.resolve({"query": text, "extensions": {"persistedQuery": {
        "version": 1, "sha256Hash": digest}}})
    return digest


def test_persisted_queries_are_bounded_in_bytes_not_entries() -> None:
    """150 texts of about 1 MB: the store's bytes stay within its budget, and the memory traced
    after them too (it held all 150 before: up to 10,000 entries of any size)."""
    budget = 8 * 1024 * 1024
    store = PersistedQueries(budget)
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        digests = [register(store, f"# {n}\n{{ __typename }} #{'x' * 1_000_000}")
                   for n in range(150)]
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert store.known.held <= budget
    assert grown <= budget
    assert store.known.get(digests[0]) is None


def test_persisted_queries_keep_the_most_recent_and_answer_not_found_for_the_evicted() -> None:
    store = PersistedQueries(1024 * 1024)
    digests = [register(store, f"query Q{n} {{ __typename }} # {'x' * 20_000}")
               for n in range(100)]
    found: dict[str, object] = {
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digests[-1]}}}
    store.resolve(found)
    assert str(found["query"]).startswith("query Q99")
    with pytest.raises(PersistedQueryRefused) as refused:
        store.resolve({"extensions": {"persistedQuery": {"version": 1,
                                                         "sha256Hash": digests[0]}}})
    assert refused.value.code == "PERSISTED_QUERY_NOT_FOUND"
