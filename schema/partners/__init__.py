"""Live updates for partner organisations: subscriptions over graphql-transport-ws."""
