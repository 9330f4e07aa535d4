-- Which of the organisations an innovation is shared with see it in full (the others see a
-- summary): authorisation of fields needs the scope, not only the fact of sharing.
ALTER TABLE rm_innovations ADD COLUMN shared_full uuid[] NOT NULL DEFAULT '{}';
