"""Versioned SQL migrations of the read models, applied by ``lifecycle migrate``."""
