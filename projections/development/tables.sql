-- The funding read model's tables, in their current shape (version: Funding.version).
-- Each name it owns is written {name}, so that the same statements create the live tables or a
-- rebuild's fresh ones. To change the shape: edit this file and bump the version (README,
-- "Architecture").

CREATE TABLE {rm_funding} (
    funding_id uuid PRIMARY KEY,
    innovation_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    source text NOT NULL,
    funder text NOT NULL,
    programme text,
    amount numeric(14, 2) NOT NULL,
    starts_on date NOT NULL,
    ends_on date,
    recorded_by text NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX {rm_funding_org_idx} ON {rm_funding} (organisation_id, source);
CREATE INDEX {rm_funding_innovation_idx} ON {rm_funding} (innovation_id);
-- Each innovation's funding awards, read back in the order recorded (its workspace).
CREATE INDEX {rm_funding_innovation_position_idx} ON {rm_funding} (innovation_id, position);
