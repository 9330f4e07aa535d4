"""Improvement: measures and their observations and phases (statistics are on the read side)."""
