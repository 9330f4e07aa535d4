"""GraphQL of development: prototypes, evaluations, funding awards, and the learning library."""
