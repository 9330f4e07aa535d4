"""The directory: organisations and their sites and limits, challenges, and the caller (me)."""
