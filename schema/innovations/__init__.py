"""Innovations: the Innovation type, innovation(s) and node queries, what a change returns."""
