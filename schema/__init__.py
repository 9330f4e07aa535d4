"""The GraphQL surface: types, queries, mutations, permissions and the ASGI app."""
