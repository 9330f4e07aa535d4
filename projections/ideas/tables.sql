-- The ideas read model's tables, in their current shape (version: Ideas.version).
-- Each name it owns is written {name}, so that the same statements create the live tables or a
-- rebuild's fresh ones. To change the shape: edit this file and bump the version (README,
-- "Architecture").

CREATE TABLE {rm_comments} (
    comment_id uuid PRIMARY KEY,
    innovation_id uuid NOT NULL,
    author text NOT NULL,
    organisation_id uuid NOT NULL,
    text text NOT NULL,
    at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX {rm_comments_innovation_idx} ON {rm_comments} (innovation_id, position);

CREATE TABLE {rm_endorsements} (
    innovation_id uuid NOT NULL,
    endorser text NOT NULL,
    organisation_id uuid NOT NULL,
    at timestamptz NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (innovation_id, endorser)
);
CREATE INDEX {rm_endorsements_innovation_idx} ON {rm_endorsements} (innovation_id, position);

CREATE TABLE {rm_involvement} (
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
CREATE TABLE {rm_owner_history} (
    innovation_id uuid NOT NULL,
    position bigint NOT NULL,
    owner text NOT NULL,
    team text[] NOT NULL,
    assigned_by text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (innovation_id, position)
);

-- The judgements made about the innovation, each with who made it and why (the ideas read
-- model): triage (accepted, more information asked for, merged, declined), parked, reopened,
-- closed (with its learning), embedded.
CREATE TABLE {rm_judgements} (
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
CREATE TABLE {rm_revisions} (
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
