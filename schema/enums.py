"""The domain's enums as GraphQL enums: registered once, before any type or argument uses them
(strawberry would otherwise define an enum of its own on first use, and then a duplicate)."""

from __future__ import annotations

import strawberry

from lifecycle.actor import Authority
from lifecycle.stage import Stage
from lifecycle.vocabulary import InnovationClass

strawberry.enum(Stage, name="Stage", description="Where an innovation is in its lifecycle.")
strawberry.enum(InnovationClass, name="InnovationClass",
                description="Incremental improvement or system-level innovation.")
strawberry.enum(Authority, name="Authority", description="Governance levels, lowest first.")
