"""Ideas: submit, revise, endorse, comment, triage, owners and involvement."""
