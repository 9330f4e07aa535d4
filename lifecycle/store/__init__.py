"""The event store: the database, eventsourcing's recorder with idempotency, migrations."""
