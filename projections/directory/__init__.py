"""The directory: organisations and challenges."""
