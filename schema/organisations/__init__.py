"""Organisations: trusts, health boards and their partners, their sites and governance limits."""
