-- Improvement: measures, their observations (classified), phases and signals.
CREATE TABLE rm_measures (
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
    position bigint NOT NULL
);
CREATE INDEX rm_measures_innovation_idx ON rm_measures (innovation_id, organisation_id, site);
CREATE INDEX rm_measures_org_idx ON rm_measures (organisation_id, measure_id);

CREATE TABLE rm_observations (
    measure_id uuid NOT NULL,
    "on" date NOT NULL,
    value double precision NOT NULL,
    numerator double precision,
    denominator double precision,
    position bigint NOT NULL,
    PRIMARY KEY (measure_id, "on")
);

-- Each observation as the latest analysis judges it: replaced whole for a measure when it is
-- re-analysed (a new point can change its phase's limits, so earlier points may change class).
CREATE TABLE rm_points (
    measure_id uuid NOT NULL,
    "on" date NOT NULL,
    value double precision NOT NULL,
    phase integer NOT NULL,
    centre double precision,
    lower double precision,
    upper double precision,
    classification text NOT NULL,
    rules text[] NOT NULL,
    PRIMARY KEY (measure_id, "on")
);

CREATE TABLE rm_phases (
    measure_id uuid NOT NULL,
    starts_on date NOT NULL,
    description text NOT NULL,
    reason text NOT NULL,
    decided_by text NOT NULL,
    decided_at timestamptz NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (measure_id, starts_on)
);

CREATE TABLE rm_signals (
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
CREATE INDEX rm_signals_position_idx ON rm_signals (position);
