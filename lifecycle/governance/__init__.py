"""Governance: thresholds, the authority a decision requires, adoption decisions."""
