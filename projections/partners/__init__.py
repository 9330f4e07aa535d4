"""Live updates for partner organisations: the log as each organisation sees it, event by event."""
