"""Hardening of the GraphQL surface: the schema extensions that limit what a query may ask.

Development and production differ only by configuration (``Settings``).
"""

from __future__ import annotations

from collections.abc import Callable

from strawberry.extensions import SchemaExtension

from lifecycle.settings import Settings


def hardening(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Extensions that bound a query's depth, aliases, tokens and cost (none yet)."""
    return []
