-- The innovation's workspace: what its team records, each kept as recorded so that it can be read
-- back (the innovations read model keeps only counts). Every table is keyed for reading one
-- innovation's records in the order they were recorded (``position``, the log position of the
-- event that recorded them: unique, and never changing), a page at a time.

-- The ideas read model (projections/ideas): comments, endorsements, involvement, owners.
CREATE TABLE rm_comments (
    comment_id uuid PRIMARY KEY,
    innovation_id uuid NOT NULL,
    author text NOT NULL,
    organisation_id uuid NOT NULL,
    text text NOT NULL,
    at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX rm_comments_innovation_idx ON rm_comments (innovation_id, position);

CREATE TABLE rm_endorsements (
    innovation_id uuid NOT NULL,
    endorser text NOT NULL,
    organisation_id uuid NOT NULL,
    at timestamptz NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (innovation_id, endorser)
);
CREATE INDEX rm_endorsements_innovation_idx ON rm_endorsements (innovation_id, position);

CREATE TABLE rm_involvement (
    innovation_id uuid NOT NULL,
    position bigint NOT NULL,
    kind text NOT NULL,
    group_name text NOT NULL,
    description text NOT NULL,
    involved_on date NOT NULL,
    recorded_by text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (innovation_id, position)
);

-- Every assignment of an owner and team: the current one is the latest.
CREATE TABLE rm_owner_history (
    innovation_id uuid NOT NULL,
    position bigint NOT NULL,
    owner text NOT NULL,
    team text[] NOT NULL,
    assigned_by text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (innovation_id, position)
);

-- The development read model (projections/development): prototypes (PDSA cycles) as started
-- and, once completed, with their outcome, result and learning. ``position`` is the start's;
-- ``completed_position`` the completion's (the learning library's order).
CREATE TABLE rm_prototypes (
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
CREATE INDEX rm_prototypes_innovation_idx ON rm_prototypes (innovation_id, position);
CREATE INDEX rm_prototypes_completed_idx ON rm_prototypes (completed_position)
    WHERE completed_position IS NOT NULL;
CREATE INDEX rm_prototypes_search_idx ON rm_prototypes USING gin (search);

-- The evaluations and funding awards are read back per innovation, in the order recorded.
CREATE INDEX rm_evaluations_innovation_position_idx ON rm_evaluations (innovation_id, position);
CREATE INDEX rm_funding_innovation_position_idx ON rm_funding (innovation_id, position);

-- The judgements made about the innovation, each with who made it and why (the ideas read
-- model): triage (accepted, more information asked for, merged, declined), parked, reopened,
-- closed (with its learning), embedded.
CREATE TABLE rm_judgements (
    innovation_id uuid NOT NULL,
    position bigint NOT NULL,
    judgement text NOT NULL,
    reason text NOT NULL,
    learning text,
    into_id uuid,
    judged_by text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (innovation_id, position)
);

-- The idea's text as submitted and as each revision left it (the ideas read model).
CREATE TABLE rm_revisions (
    innovation_id uuid NOT NULL,
    position bigint NOT NULL,
    title text NOT NULL,
    problem text NOT NULL,
    proposal text NOT NULL,
    tags text[] NOT NULL,
    revised_by text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (innovation_id, position)
);
