"""The GraphQL surface: types, queries, mutations, permissions and the ASGI app."""

from schema import enums as _enums  # noqa: F401 (registers the domain's enums first)
