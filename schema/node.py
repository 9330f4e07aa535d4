"""Relay's ``Node``: anything with an id can be fetched again by ``node(id)``.

Ids are UUIDs, unique across every type, so an id needs no type prefix to be resolved; clients
treat them as opaque strings either way.
"""

from __future__ import annotations

import strawberry


@strawberry.interface(description="An object that can be fetched again by its id.")
class Node:
    id: strawberry.ID
