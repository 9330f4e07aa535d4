-- A page of innovations is read in two index-ordered parts, each stopping at the page size: the
-- viewer's own organisation's (by organisation and the sort column) and those shared with it
-- (through the GIN index on shared_with). Each order has its own index.
CREATE INDEX rm_innovations_org_updated_idx ON rm_innovations (organisation_id, updated_at, id);
CREATE INDEX rm_innovations_org_title_idx ON rm_innovations (organisation_id, title, id);
