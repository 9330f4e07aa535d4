"""Innovations: the summary of each (list, search, by id), stage history and shares."""
