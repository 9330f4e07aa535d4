"""The governance capability's GraphQL types, queries and mutations."""
