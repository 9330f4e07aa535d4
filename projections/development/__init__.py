"""Development: the funding read model and its queries."""
