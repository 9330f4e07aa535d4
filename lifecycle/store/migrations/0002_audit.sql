-- The audit (lifecycle/audit/, README "Audit").

-- As of: the last position recorded by a moment. Inserts take the recorder's table lock, so
-- recorded_at follows notification_id, and that position is one step down this index.
CREATE INDEX lifecycle_events_recorded_at_idx ON lifecycle_events (recorded_at, notification_id);

-- The transparency log: an RFC 9162 Merkle tree over every event, in position order, written
-- by the one active chaining worker (lifecycle/audit/chain.py).
-- Which event each leaf is (positions have gaps; leaf indexes do not).
CREATE TABLE audit_leaves (
    leaf_index bigint PRIMARY KEY CHECK (leaf_index >= 0),
    position bigint NOT NULL UNIQUE
);
-- Every complete subtree's hash: node (level, idx) covers leaves [idx * 2^level, (idx + 1) *
-- 2^level); level 0 holds the leaf hashes. A root or a proof needs O(log n) of these.
CREATE TABLE audit_nodes (
    level smallint NOT NULL CHECK (level BETWEEN 0 AND 63),
    idx bigint NOT NULL CHECK (idx >= 0),
    hash bytea NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
);
-- Signed checkpoints (C2SP tlog-checkpoint signed notes), one per tree size.
CREATE TABLE audit_checkpoints (
    tree_size bigint PRIMARY KEY CHECK (tree_size > 0),
    root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
    note text NOT NULL,
    signed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
