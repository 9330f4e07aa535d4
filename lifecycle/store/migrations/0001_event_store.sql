-- The global event log, as eventsourcing's PostgreSQL application recorder expects it, plus the
-- time the database recorded each event. The insert lock (LOCK TABLE ... IN EXCLUSIVE MODE,
-- taken by the recorder) serialises writers, so notification_id order is commit order and
-- recorded_at follows it.
-- The row type eventsourcing's recorder inserts through (unnest of an array of these).
CREATE TYPE stored_event_uuid AS (
    originator_id uuid, originator_version bigint, topic text, state bytea
);

CREATE TABLE lifecycle_events (
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    topic text,
    state bytea,
    notification_id bigserial,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (originator_id, originator_version)
) WITH (
    autovacuum_enabled = true,
    autovacuum_vacuum_threshold = 100000000,
    autovacuum_vacuum_scale_factor = 0.5,
    autovacuum_analyze_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.01
);
CREATE UNIQUE INDEX lifecycle_events_notification_id_idx ON lifecycle_events (notification_id ASC);

-- Snapshots of long-lived aggregates (eventsourcing's snapshot store layout).
CREATE TABLE lifecycle_snapshots (
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    topic text,
    state bytea,
    PRIMARY KEY (originator_id, originator_version)
);

-- A client's idempotency key, scoped to the caller and the operation, recorded in the same
-- transaction as the events it produced. The events themselves also carry the key.
CREATE TABLE lifecycle_idempotency (
    scope_key text PRIMARY KEY,
    fingerprint text NOT NULL,
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    result_id uuid NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- The person registry: the only place names and contact details live, so erasure is one update.
CREATE TABLE lifecycle_people (
    subject text PRIMARY KEY,
    display_name text,
    email text,
    registered_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    erased_at timestamptz
);

-- The database's identity: cursors given to clients carry it, so a restored or replaced
-- database cannot silently reuse positions that partners have already seen.
CREATE TABLE lifecycle_epoch (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    epoch uuid NOT NULL DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
INSERT INTO lifecycle_epoch DEFAULT VALUES;
