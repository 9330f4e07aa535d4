"""Every PostgreSQL advisory lock the product takes, in one place: each is one active worker per
database (or the one migrating process), so two may never share a key. Two did once, and the
chaining worker stood by forever behind the webhook deliverer."""

from __future__ import annotations

MIGRATIONS = 7_310_001  # the process applying migrations
PROJECTOR = 7_310_100  # the active projector
DELIVERER = 7_310_200  # the active webhook delivery worker
CHAIN = 7_310_300  # the active chaining worker of the transparency log

ALL = {"migrations": MIGRATIONS, "projector": PROJECTOR, "deliverer": DELIVERER, "chain": CHAIN}
