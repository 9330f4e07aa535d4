-- A measure's version (its aggregate's), so clients can send it back as expectedVersion.
ALTER TABLE rm_measures ADD COLUMN version integer NOT NULL DEFAULT 1;
