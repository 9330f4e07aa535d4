"""Unit tests of partners' live updates: who sees each event, where a webhook may go."""
