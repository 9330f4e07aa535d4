"""The write side: the innovation lifecycle as aggregates, commands and events."""
