"""Challenges: an organisation asks its staff for ideas on a problem, for a while."""
