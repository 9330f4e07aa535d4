-- The shape each read model's tables have: the version its declaration (tables.sql) had when
-- they were created, adopted or rebuilt, and a digest of that declaration. Read models' tables
-- are not made by numbered migrations (projections.engine.upgrade makes them).
CREATE TABLE read_model_versions (
    name text PRIMARY KEY,
    version integer NOT NULL,
    digest text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
