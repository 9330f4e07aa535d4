"""Versioned SQL migrations, applied in order by ``lifecycle migrate``."""
