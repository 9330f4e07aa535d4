"""Improvement: the measures' read model and queries, and statistical process control (SPC)."""
