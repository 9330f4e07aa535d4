-- What a viewer that sees an innovation as a summary may search: its title and tags, never the
-- problem and proposal it cannot read (else a search would test words against the hidden text).
-- Generated from the row like ``search``, so folding and rebuilds carry it without code.
ALTER TABLE rm_innovations ADD COLUMN search_summary tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A')
    || setweight(to_tsvector('english', rm_tags_text(tags)), 'A')
) STORED;
