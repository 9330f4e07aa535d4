"""Spread: who adopted an innovation, where, and how it diffused."""
