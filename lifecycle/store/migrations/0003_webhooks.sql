-- Webhook endpoints and their deliveries: the delivery worker's own state, not derived from the
-- log (projections/partners/). Secrets are kept sealed (Fernet), never in the log.
CREATE TABLE webhook_endpoints (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL,
    url text NOT NULL,
    event_types text[] NOT NULL DEFAULT '{}',  -- empty: every type
    secret bytea NOT NULL,                      -- the whsec_ secret, sealed
    cursor bigint NOT NULL,                     -- the last log position handled
    state text NOT NULL DEFAULT 'ACTIVE' CHECK (state IN ('ACTIVE', 'PAUSED')),
    paused_reason text,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    secret_rotated_at timestamptz
);
CREATE INDEX webhook_endpoints_organisation_idx ON webhook_endpoints (organisation_id);

CREATE TABLE webhook_deliveries (
    endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    position bigint NOT NULL,
    attempt integer NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    event_type text NOT NULL,
    status integer,          -- the receiver's HTTP status, when it answered
    error text,              -- why the attempt failed, in the worker's words (never the response)
    succeeded boolean NOT NULL,
    PRIMARY KEY (endpoint_id, position, attempt)
);
CREATE INDEX webhook_deliveries_recent_idx ON webhook_deliveries (endpoint_id, attempted_at DESC);
