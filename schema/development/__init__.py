"""The development capability's GraphQL types, queries and mutations."""
