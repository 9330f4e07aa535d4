-- What is shared with each organisation, one row per (organisation, innovation shared with it),
-- carrying the innovation's sort values and the filters a board most often applies. A page of
-- "shared with me" is then read in its order through a b-tree, filtered within the index and
-- stopping at the page size, instead of collecting every shared innovation through the GIN
-- index on rm_innovations.shared_with and sorting them all. An organisation's own innovations
-- are never rows here.
CREATE TABLE rm_innovation_shares (
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
CREATE INDEX rm_innovation_shares_submitted_idx
    ON rm_innovation_shares (organisation_id, submitted_at, innovation_id)
    INCLUDE (stage, site, innovation_class, tags);
CREATE INDEX rm_innovation_shares_updated_idx
    ON rm_innovation_shares (organisation_id, updated_at, innovation_id)
    INCLUDE (submitted_at, stage, site, innovation_class, tags);
CREATE INDEX rm_innovation_shares_title_idx
    ON rm_innovation_shares (organisation_id, title, innovation_id)
    INCLUDE (submitted_at, stage, site, innovation_class, tags);

-- Existing read models are carried over, so no rebuild is needed.
INSERT INTO rm_innovation_shares
SELECT i.id, shared.organisation_id, i.submitted_at, i.updated_at, i.title, i.stage, i.site,
       i.innovation_class, i.tags
FROM rm_innovations i, unnest(i.shared_with) AS shared(organisation_id)
WHERE shared.organisation_id <> i.organisation_id;
