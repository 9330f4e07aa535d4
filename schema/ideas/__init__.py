"""The ideas capability's GraphQL types, queries and mutations."""
