"""Unit tests of the innovation itself: its aggregate and its stage machine."""
