-- Innovations read model: the current summary of each innovation.

-- array_to_string is only STABLE (it goes through type output functions); for text[] it is in
-- fact immutable, which a generated column needs.
CREATE FUNCTION rm_tags_text(tags text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string(tags, ' ') $$;

CREATE TABLE rm_innovations (
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
    ) STORED
);
CREATE INDEX rm_innovations_org_stage_idx ON rm_innovations (organisation_id, stage, id);
CREATE INDEX rm_innovations_submitted_idx ON rm_innovations (organisation_id, submitted_at, id);
CREATE INDEX rm_innovations_challenge_idx ON rm_innovations (challenge_id) WHERE challenge_id IS NOT NULL;
CREATE INDEX rm_innovations_shared_idx ON rm_innovations USING gin (shared_with);
CREATE INDEX rm_innovations_tags_idx ON rm_innovations USING gin (tags);
CREATE INDEX rm_innovations_search_idx ON rm_innovations USING gin (search);

-- Every change of stage, with the pipeline's dimensions as they were at the time.
CREATE TABLE rm_stage_transitions (
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
CREATE INDEX rm_stage_transitions_org_idx ON rm_stage_transitions (organisation_id, at);
