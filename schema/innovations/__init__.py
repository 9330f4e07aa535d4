"""Innovations: ideas from submission to embedded practice."""
