-- Aggregate versions in the directory, so clients can send them back as expectedVersion.
ALTER TABLE rm_organisations ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE rm_challenges ADD COLUMN version integer NOT NULL DEFAULT 1;
