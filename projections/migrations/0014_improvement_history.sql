-- Issue 11: "did the change improve things?" survives recalculated limits.
-- A measure is judged by the rule set its definition records (rules: RuleSet.describe()),
-- against its optional target; its analysis stores the effect of every change and the
-- assurance of the target beside the current variation (verdict).
ALTER TABLE rm_measures
    ADD COLUMN rules jsonb,
    ADD COLUMN target double precision,
    ADD COLUMN effects jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN assurance jsonb;

-- Observations can be corrected and withdrawn. rm_observations keeps a row per recording,
-- correction or withdrawal, in log order: a later row for a date replaces an earlier one, and a
-- NULL value withdraws it. rm_corrections says what changed, who changed it and why.
CREATE TABLE rm_corrections (
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
ALTER TABLE rm_signals
    DROP CONSTRAINT rm_signals_pkey,
    ADD COLUMN evidence text NOT NULL DEFAULT 'VARIATION',
    ADD COLUMN sign smallint NOT NULL DEFAULT 0,
    ADD COLUMN limits_from integer NOT NULL DEFAULT 0,
    ADD COLUMN rules jsonb,
    ADD COLUMN current boolean NOT NULL DEFAULT true;
CREATE INDEX rm_signals_measure_idx ON rm_signals (measure_id, evidence, phase);

-- Rows folded before this lack what only the events hold (each measure's rule set and target,
-- the limits each signal was judged by, the signals reported along the way), so the read model
-- is folded again from the start of the log.
TRUNCATE rm_measures, rm_observations, rm_phases, rm_signals;
UPDATE projection_positions SET position = 0, error = NULL, error_position = NULL
WHERE name = 'improvement';
