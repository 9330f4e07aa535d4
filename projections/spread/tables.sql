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
