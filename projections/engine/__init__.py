"""The projector engine: the log, the runner, rebuilds, positions and status, bulk writes."""
