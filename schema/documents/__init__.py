"""The document pipeline: parsing, shape limits, cost, validation and execution, cached."""
