-- The spread read model's tables, in their current shape (version: Spread.version).
-- Each name it owns is written {name}, so that the same statements create the live tables or a
-- rebuild's fresh ones. To change the shape: edit this file and bump the version (README,
-- "Architecture").

-- Every adoption at a site or organisation.
CREATE TABLE {rm_adoptions} (
    adoption_id uuid PRIMARY KEY,
    innovation_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    site text,
    status text NOT NULL,
    adaptation text NOT NULL,
    started_on date NOT NULL,
    sustained_on date,
    abandoned_on date,
    ended_reason text,
    started_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX {rm_adoptions_innovation_idx} ON {rm_adoptions} (innovation_id, started_on);
CREATE INDEX {rm_adoptions_org_idx} ON {rm_adoptions} (organisation_id, started_on);

-- Every change of an adoption's status (started, sustained, abandoned): when, who judged it and
-- why (a start's reason is its adaptation, on rm_adoptions).
CREATE TABLE {rm_adoption_history} (
    adoption_id uuid NOT NULL,
    position bigint NOT NULL,
    innovation_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    status text NOT NULL,
    "on" date NOT NULL,
    reason text,
    decided_by text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (adoption_id, position)
);
CREATE INDEX {rm_adoption_history_innovation_idx} ON {rm_adoption_history} (innovation_id);

-- Every share and revocation of an innovation: with which organisation, at which scope (NULL:
-- revoked), who and when, and a revocation's reason.
CREATE TABLE {rm_share_history} (
    innovation_id uuid NOT NULL,
    position bigint NOT NULL,
    organisation_id uuid NOT NULL,
    change text NOT NULL,
    scope text,
    reason text,
    decided_by text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (innovation_id, position)
);
