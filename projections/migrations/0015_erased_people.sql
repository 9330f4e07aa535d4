-- The people erased (PersonErased): their opaque ids, which the other read models keep, lead to
-- no one. The read side never holds a name (those live sealed in the person registry), so this
-- is what it can show of an erasure: that the id is erased, and since when.
CREATE TABLE rm_erased_people (
    subject text PRIMARY KEY,
    erased_at timestamptz NOT NULL,
    position bigint NOT NULL
);
