"""Versioned SQL migrations of the read side's tracking (positions, read-model versions),
applied by ``lifecycle migrate``; the read models' own tables are declared by each read model
(``projections/<capability>/tables.sql``)."""
