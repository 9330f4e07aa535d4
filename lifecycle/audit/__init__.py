"""Audit: every event of a record with who acted and why (history), the record as it was at a
past moment (as of), and the transparency log that proves the stored log was not altered."""
