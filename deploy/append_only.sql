-- The history cannot be changed by the service: run once per database, as the tables' owner,
-- after `lifecycle migrate` (and again after a migration that adds tables), e.g.
--   psql "$OWNER_DATABASE_URL" -v ON_ERROR_STOP=1 -f deploy/append_only.sql
-- then give the role lifecycle_service a password (ALTER ROLE ... PASSWORD) and run the service,
-- the projector and the chaining worker with it in DATABASE_URL. Running it again is harmless.
--
-- The role may read everything, append events, checkpoints and tree nodes, and take the
-- insert lock eventsourcing's recorder takes (LOCK TABLE lifecycle_events IN EXCLUSIVE MODE).
-- PostgreSQL grants that lock to MAINTAIN (PostgreSQL 17 and later), UPDATE, DELETE or
-- TRUNCATE privilege, never to INSERT alone: the role gets MAINTAIN where it exists, else
-- UPDATE, whose use the trigger below rejects. UPDATE, DELETE and TRUNCATE of the history are
-- therefore refused twice: by privileges (the role has none of them, from PostgreSQL 17), and
-- by a trigger that refuses them whoever asks, the owner included (only the owner can disable
-- it, and `lifecycle audit verify` then names what was changed).
-- Migrations (`lifecycle migrate`) and read-model rebuilds (`lifecycle rebuild`, which swaps
-- tables) run as the owner.

CREATE OR REPLACE FUNCTION lifecycle_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the history is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

DO $$
DECLARE
    service text := 'lifecycle_service';
    history text[] := ARRAY['lifecycle_events', 'audit_leaves', 'audit_nodes',
                            'audit_checkpoints'];
    lock_privilege text := CASE WHEN current_setting('server_version_num')::int >= 170000
                                THEN 'MAINTAIN' ELSE 'UPDATE' END;
    t text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = service) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', service);
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), service);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', service);
    -- Everything but the history: read models, the person registry, idempotency records.
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I',
                   service);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', service);
    EXECUTE format('REVOKE ALL ON lifecycle_migrations, lifecycle_epoch FROM %I', service);
    EXECUTE format('GRANT SELECT ON lifecycle_migrations, lifecycle_epoch TO %I', service);
    FOREACH t IN ARRAY history LOOP
        EXECUTE format('REVOKE ALL ON %I FROM %I', t, service);
        EXECUTE format('GRANT SELECT, INSERT ON %I TO %I', t, service);
        EXECUTE format('DROP TRIGGER IF EXISTS lifecycle_append_only ON %I', t);
        EXECUTE format('CREATE TRIGGER lifecycle_append_only BEFORE UPDATE OR DELETE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION lifecycle_refuse_change()', t);
        EXECUTE format('DROP TRIGGER IF EXISTS lifecycle_append_only_truncate ON %I', t);
        EXECUTE format('CREATE TRIGGER lifecycle_append_only_truncate BEFORE TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION lifecycle_refuse_change()', t);
    END LOOP;
    EXECUTE format('GRANT %s ON lifecycle_events TO %I', lock_privilege, service);
END
$$;
