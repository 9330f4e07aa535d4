"""Spread: sharing with other organisations, adoptions at sites, embedding."""
