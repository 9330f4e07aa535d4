"""The directory: organisations and their sites, challenges, the person registry."""
