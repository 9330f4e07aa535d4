"""The board's questions: the pipeline, culture, funding, and whether governance is
proportionate, always for the caller's own organisation."""
