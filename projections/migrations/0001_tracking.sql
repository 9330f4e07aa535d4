-- Where each projection has read the log to. Its rows and this position change in one
-- transaction; the update is fenced on the previous position.
CREATE TABLE projection_positions (
    name text PRIMARY KEY,
    position bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    error text,
    error_position bigint
);
