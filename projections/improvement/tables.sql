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
    version integer NOT NULL DEFAULT 1,
    -- the rule set its definition records (RuleSet.describe()) and its optional target
    rules jsonb,
    target double precision,
    -- the effect of every change (its phase's points judged against the baseline's limits)
    -- and the assurance of the target, beside the current variation (verdict)
    effects jsonb NOT NULL DEFAULT '[]',
    assurance jsonb
);
CREATE INDEX {rm_measures_innovation_idx} ON {rm_measures} (innovation_id, organisation_id, site);
CREATE INDEX {rm_measures_org_idx} ON {rm_measures} (organisation_id, measure_id);

-- One row per recording, correction or withdrawal, in log order, its points as parallel arrays
-- in date order (a measure's analysis reads all its points at once anyway): a later row for a
-- date replaces an earlier one, and a NULL value withdraws it.
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

-- What changed by each correction or withdrawal of an observation, who changed it and why.
CREATE TABLE {rm_corrections} (
    measure_id uuid NOT NULL,
    "on" date NOT NULL,
    kind text NOT NULL,
    value double precision,
    numerator double precision,
    denominator double precision,
    was_value double precision NOT NULL,
    was_numerator double precision,
    was_denominator double precision,
    reason text NOT NULL,
    decided_by text NOT NULL,
    decided_at timestamptz NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (measure_id, position)
);

-- Signals, once reported, are history: a row stays when a later analysis no longer finds it
-- (current false). Each is evidence of the current variation or of the effect of the change
-- that began its phase, judged against the limits of phase limits_from, by the rule set rules.
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
    evidence text NOT NULL DEFAULT 'VARIATION',
    sign smallint NOT NULL DEFAULT 0,
    limits_from integer NOT NULL DEFAULT 0,
    rules jsonb,
    current boolean NOT NULL DEFAULT true
);
CREATE INDEX {rm_signals_position_idx} ON {rm_signals} (position);
CREATE INDEX {rm_signals_measure_idx} ON {rm_signals} (measure_id, evidence, phase);

-- Each setting (or removal: NULL) of a measure's target after its definition: who and why.
CREATE TABLE {rm_targets} (
    measure_id uuid NOT NULL,
    position bigint NOT NULL,
    target double precision,
    reason text NOT NULL,
    decided_by text NOT NULL,
    decided_at timestamptz NOT NULL,
    PRIMARY KEY (measure_id, position)
);
