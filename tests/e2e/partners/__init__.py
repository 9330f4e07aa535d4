"""End-to-end tests of partners' live updates: subscriptions over websockets, webhooks."""
