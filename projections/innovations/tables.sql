-- The innovations read model's tables, in their current shape (version: Innovations.version).
-- Each name this read model owns is written {name}: the same statements create the live tables
-- or a rebuild's fresh ones. Change the shape here and bump the version; `lifecycle migrate`
-- (or the projector at start) rebuilds the read model into the new shape and swaps it in.

-- array_to_string is only STABLE (it goes through type output functions); for text[] it is in
-- fact immutable, which a generated column needs. Shared by the live and the fresh tables.
CREATE OR REPLACE FUNCTION rm_tags_text(tags text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string(tags, ' ') $$;

-- The current summary of each innovation.
CREATE TABLE {rm_innovations} (
    id uuid PRIMARY KEY,
    version integer NOT NULL,
    position bigint NOT NULL,
    organisation_id uuid NOT NULL,
    site text,
    challenge_id uuid,
    title text NOT NULL,
    problem text NOT NULL,
    proposal text NOT NULL,
    tags text[] NOT NULL DEFAULT '{}',
    innovation_class text NOT NULL,
    stage text NOT NULL,
    stage_entered_at timestamptz NOT NULL,
    parked_from text,
    submitted_at timestamptz NOT NULL,
    submitter text NOT NULL,
    staff_group text,
    owner text,
    team text[] NOT NULL DEFAULT '{}',
    endorsements integer NOT NULL DEFAULT 0,
    comments integer NOT NULL DEFAULT 0,
    prototypes integer NOT NULL DEFAULT 0,
    evaluations integer NOT NULL DEFAULT 0,
    adoptions integer NOT NULL DEFAULT 0,
    live_adoptions integer NOT NULL DEFAULT 0,
    funding_total numeric(14, 2) NOT NULL DEFAULT 0,
    shared_with uuid[] NOT NULL DEFAULT '{}',
    merged_into uuid,
    first_triaged_at timestamptz,
    latest_decision text,
    updated_at timestamptz NOT NULL,
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', rm_tags_text(tags)), 'A')
        || setweight(to_tsvector('english', problem), 'B')
        || setweight(to_tsvector('english', proposal), 'B')
    ) STORED,
    -- Which of the organisations it is shared with see it in full (the others see a summary).
    shared_full uuid[] NOT NULL DEFAULT '{}',
    -- What a viewer that sees it as a summary may search: its title and tags, never the problem
    -- and proposal it cannot read (else a search would test words against the hidden text).
    search_summary tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', rm_tags_text(tags)), 'A')
    ) STORED
);
CREATE INDEX {rm_innovations_org_stage_idx} ON {rm_innovations} (organisation_id, stage, id);
CREATE INDEX {rm_innovations_submitted_idx} ON {rm_innovations} (organisation_id, submitted_at, id);
CREATE INDEX {rm_innovations_challenge_idx} ON {rm_innovations} (challenge_id)
    WHERE challenge_id IS NOT NULL;
CREATE INDEX {rm_innovations_shared_idx} ON {rm_innovations} USING gin (shared_with);
CREATE INDEX {rm_innovations_tags_idx} ON {rm_innovations} USING gin (tags);
CREATE INDEX {rm_innovations_search_idx} ON {rm_innovations} USING gin (search);
-- A page of innovations is read in two index-ordered parts, each stopping at the page size: the
-- viewer's own organisation's (by organisation and the sort column) and those shared with it
-- (rm_innovation_shares). Each order has its own index.
CREATE INDEX {rm_innovations_org_updated_idx} ON {rm_innovations} (organisation_id, updated_at, id);
CREATE INDEX {rm_innovations_org_title_idx} ON {rm_innovations} (organisation_id, title, id);

-- Every change of stage, with the pipeline's dimensions as they were at the time.
CREATE TABLE {rm_stage_transitions} (
    innovation_id uuid NOT NULL,
    position bigint NOT NULL,
    at timestamptz NOT NULL,
    from_stage text,
    to_stage text,
    actor text NOT NULL,
    organisation_id uuid NOT NULL,
    site text,
    challenge_id uuid,
    staff_group text,
    innovation_class text NOT NULL,
    PRIMARY KEY (innovation_id, position)
);
CREATE INDEX {rm_stage_transitions_org_idx} ON {rm_stage_transitions} (organisation_id, at);

-- What is shared with each organisation, one row per (organisation, innovation shared with it),
-- carrying the innovation's sort values and the filters a board most often applies. A page of
-- "shared with me" is then read in its order through a b-tree, filtered within the index and
-- stopping at the page size, instead of collecting every shared innovation through the GIN
-- index on rm_innovations.shared_with and sorting them all. An organisation's own innovations
-- are never rows here.
CREATE TABLE {rm_innovation_shares} (
    innovation_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    submitted_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    title text NOT NULL,
    stage text NOT NULL,
    site text,
    innovation_class text NOT NULL,
    tags text[] NOT NULL,
    PRIMARY KEY (innovation_id, organisation_id)
);
CREATE INDEX {rm_innovation_shares_submitted_idx}
    ON {rm_innovation_shares} (organisation_id, submitted_at, innovation_id)
    INCLUDE (stage, site, innovation_class, tags);
CREATE INDEX {rm_innovation_shares_updated_idx}
    ON {rm_innovation_shares} (organisation_id, updated_at, innovation_id)
    INCLUDE (submitted_at, stage, site, innovation_class, tags);
CREATE INDEX {rm_innovation_shares_title_idx}
    ON {rm_innovation_shares} (organisation_id, title, innovation_id)
    INCLUDE (submitted_at, stage, site, innovation_class, tags);
