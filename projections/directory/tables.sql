-- The directory read model's tables, in their current shape (version: Directory.version).
-- Each name it owns is written {name}, so that the same statements create the live tables or a
-- rebuild's fresh ones. To change the shape: edit this file and bump the version (README,
-- "Architecture").

CREATE TABLE {rm_organisations} (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL,
    sites text[] NOT NULL DEFAULT '{}',
    thresholds jsonb NOT NULL,
    registered_at timestamptz NOT NULL,
    position bigint NOT NULL,
    -- the aggregate's version, so clients can send it back as expectedVersion
    version integer NOT NULL DEFAULT 1
);
CREATE INDEX {rm_organisations_name_idx} ON {rm_organisations} (name, id);

CREATE TABLE {rm_challenges} (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL,
    title text NOT NULL,
    problem text NOT NULL,
    opens_on date NOT NULL,
    closes_on date NOT NULL,
    closed boolean NOT NULL DEFAULT false,
    closed_reason text,
    ideas integer NOT NULL DEFAULT 0,
    position bigint NOT NULL,
    version integer NOT NULL DEFAULT 1
);
CREATE INDEX {rm_challenges_org_idx} ON {rm_challenges} (organisation_id, opens_on, id);

-- The people erased (PersonErased): their opaque ids, which the other read models keep, lead to
-- no one. The read side never holds a name (those live sealed in the person registry), so this
-- is what it can show of an erasure: that the id is erased, and since when.
CREATE TABLE {rm_erased_people} (
    subject text PRIMARY KEY,
    erased_at timestamptz NOT NULL,
    position bigint NOT NULL
);

-- Each change of an organisation's governance thresholds after its registration: to what, who
-- changed them and why (read by the organisation itself).
CREATE TABLE {rm_threshold_changes} (
    organisation_id uuid NOT NULL,
    position bigint NOT NULL,
    thresholds jsonb NOT NULL,
    reason text NOT NULL,
    decided_by text NOT NULL,
    decided_at timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, position)
);
