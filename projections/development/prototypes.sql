-- The development read model's tables, in their current shape (version: Prototypes.version).
-- Each name it owns is written {name}, so that the same statements create the live tables or a
-- rebuild's fresh ones. To change the shape: edit this file and bump the version (README,
-- "Architecture").

-- The development read model (projections/development): prototypes (PDSA cycles) as started
-- and, once completed, with their outcome, result and learning. ``position`` is the start's;
-- ``completed_position`` the completion's (the learning library's order).
CREATE TABLE {rm_prototypes} (
    prototype_id uuid PRIMARY KEY,
    innovation_id uuid NOT NULL,
    title text NOT NULL,
    hypothesis text NOT NULL,
    plan text NOT NULL,
    started_on date NOT NULL,
    started_by text NOT NULL,
    outcome text,
    result text,
    learning text,
    completed_on date,
    completed_by text,
    position bigint NOT NULL,
    completed_position bigint,
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', coalesce(learning, '')), 'A')
        || setweight(to_tsvector('english', hypothesis), 'B')
        || setweight(to_tsvector('english', coalesce(result, '')), 'B')
        || setweight(to_tsvector('english', plan), 'C')
    ) STORED
);
CREATE INDEX {rm_prototypes_innovation_idx} ON {rm_prototypes} (innovation_id, position);
CREATE INDEX {rm_prototypes_completed_idx} ON {rm_prototypes} (completed_position)
    WHERE completed_position IS NOT NULL;
CREATE INDEX {rm_prototypes_search_idx} ON {rm_prototypes} USING gin (search);
