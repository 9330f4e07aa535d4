"""The shape most projections share: rows keyed by an id, read once per batch, changed in memory
by each event, and written back in one bulk upsert."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import asyncpg

from projections.engine import bulk as _bulk
from projections.engine.log import Recorded

Fold = Callable[[dict[Any, dict[str, Any]], Recorded], None]


async def fold_rows(conn: asyncpg.Connection, table: str, key: str, columns: Sequence[str],
                    batch: Iterable[Recorded], kinds: tuple[type, ...],
                    keys_of: Callable[[Recorded], Iterable[Any]], fold: Fold) -> None:
    """Load the rows ``batch`` touches, fold every event into them, upsert the changed ones.
    Only events of ``kinds`` can touch a row (a cheap first filter over a whole batch)."""
    relevant = [(r, keys) for r in batch
                if isinstance(r.event, kinds) and (keys := tuple(keys_of(r)))]
    if not relevant:
        return
    rows = await _bulk.fetch_by_keys(conn, table, key, (k for _, ks in relevant for k in ks))
    before = {k: dict(v) for k, v in rows.items()}
    for recorded, _ in relevant:
        fold(rows, recorded)
    changed = [row for k, row in rows.items() if before.get(k) != row]
    await _bulk.upsert(conn, table, columns, (key,), ([row[c] for c in columns]
                                                      for row in changed))
