"""Whether improvement has happened: statistical process control for improvement measures."""
