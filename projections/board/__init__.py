"""The board's dashboards over the others' tables: the pipeline and the culture."""
