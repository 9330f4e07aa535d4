"""Audit: a record's history, its state as of a past moment, and proofs from the
transparency log."""
