-- The audit (lifecycle/audit/): mapping a recording time to a log position, ...
-- Inserts take the recorder's table lock, so recorded_at follows notification_id: the last
-- position recorded by a moment is one step down this index.
CREATE INDEX lifecycle_events_recorded_at_idx ON lifecycle_events (recorded_at, notification_id);
