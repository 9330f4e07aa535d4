-- The improvement read model's tables, in their current shape (version: Improvement.version).
-- Each name it owns is written {name}, so that the same statements create the live tables or a
-- rebuild's fresh ones. To change the shape: edit this file and bump the version (README,
-- "Architecture").

-- Measures, with their latest verdict; each point's class is computed when it is read (from
-- rm_observations and rm_phases, by the same analysis that stores the verdict and the signals).
CREATE TABLE {rm_measures} (
    measure_id uuid PRIMARY KEY,
    innovation_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    site text,
    name text NOT NULL,
    unit text NOT NULL,
    better text NOT NULL,
    chart text NOT NULL,
    defined_by text NOT NULL,
    defined_at timestamptz NOT NULL,
    verdict text NOT NULL DEFAULT 'INSUFFICIENT_DATA',
    points integer NOT NULL DEFAULT 0,
    latest_on date,
    phases jsonb NOT NULL DEFAULT '[]',
    rule_set text,
    position bigint NOT NULL,
    -- the aggregate's version, so clients can send it back as expectedVersion
    version integer NOT NULL DEFAULT 1
);
CREATE INDEX {rm_measures_innovation_idx} ON {rm_measures} (innovation_id, organisation_id, site);
CREATE INDEX {rm_measures_org_idx} ON {rm_measures} (organisation_id, measure_id);

-- One row per recording (an ObservationsRecorded event), its points as parallel arrays in date
-- order: a measure's analysis reads all its points at once anyway.
CREATE TABLE {rm_observations} (
    measure_id uuid NOT NULL,
    position bigint NOT NULL,
    ons date[] NOT NULL,
    vals double precision[] NOT NULL,
    numerators double precision[] NOT NULL,
    denominators double precision[] NOT NULL,
    PRIMARY KEY (measure_id, position)
);

CREATE TABLE {rm_phases} (
    measure_id uuid NOT NULL,
    starts_on date NOT NULL,
    description text NOT NULL,
    reason text NOT NULL,
    decided_by text NOT NULL,
    decided_at timestamptz NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (measure_id, starts_on)
);

CREATE TABLE {rm_signals} (
    measure_id uuid NOT NULL,
    rule_set text NOT NULL,
    phase integer NOT NULL,
    rule text NOT NULL,
    first_on date NOT NULL,
    last_on date NOT NULL,
    points date[] NOT NULL,
    direction text NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (measure_id, rule_set, phase, rule, first_on)
);
CREATE INDEX {rm_signals_position_idx} ON {rm_signals} (position);
