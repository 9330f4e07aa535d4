"""Governance: the decision register and the governance summary."""
