"""Improvement: measures, their observations, phases and statistics (SPC)."""
