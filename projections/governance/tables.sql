-- The decisions read model's tables, in their current shape (version: Decisions.version).
-- Each name it owns is written {name}, so that the same statements create the live tables or a
-- rebuild's fresh ones. To change the shape: edit this file and bump the version (README,
-- "Architecture").

CREATE TABLE {rm_evaluations} (
    evaluation_id uuid PRIMARY KEY,
    innovation_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    method text NOT NULL,
    scores jsonb NOT NULL,
    evidence text NOT NULL,
    recommendation text NOT NULL,
    estimated_cost numeric(14, 2) NOT NULL,
    risk text NOT NULL,
    evaluated_on date NOT NULL,
    evaluated_by text NOT NULL,
    recorded_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX {rm_evaluations_innovation_idx} ON {rm_evaluations} (innovation_id, evaluated_on);

-- The decisions register.
CREATE TABLE {rm_decisions} (
    decision_id uuid PRIMARY KEY,
    innovation_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    outcome text NOT NULL,
    authority text NOT NULL,
    required_authority text NOT NULL,
    escalated boolean NOT NULL,
    decided_by text NOT NULL,
    decided_role text NOT NULL,
    decided_at timestamptz NOT NULL,
    rationale text NOT NULL,
    conditions text,
    evidence uuid[] NOT NULL,
    estimated_cost numeric(14, 2) NOT NULL,
    risk text NOT NULL,
    last_evaluated_on date,
    days_from_evaluation integer,
    position bigint NOT NULL
);
CREATE INDEX {rm_decisions_org_idx} ON {rm_decisions} (organisation_id, decided_at, decision_id);
CREATE INDEX {rm_decisions_innovation_idx} ON {rm_decisions} (innovation_id, decided_at);
-- Each innovation's evaluations, read back in the order recorded (its workspace).
CREATE INDEX {rm_evaluations_innovation_position_idx} ON {rm_evaluations} (innovation_id, position);
