"""The ASGI app: composition, authentication, body limit, persisted and trusted queries, health,
request ids, the response cache, error logging and GraphiQL."""
