CREATE TABLE rm_organisations (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL,
    sites text[] NOT NULL DEFAULT '{}',
    thresholds jsonb NOT NULL,
    registered_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX rm_organisations_name_idx ON rm_organisations (name, id);

CREATE TABLE rm_challenges (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL,
    title text NOT NULL,
    problem text NOT NULL,
    opens_on date NOT NULL,
    closes_on date NOT NULL,
    closed boolean NOT NULL DEFAULT false,
    closed_reason text,
    ideas integer NOT NULL DEFAULT 0,
    position bigint NOT NULL
);
CREATE INDEX rm_challenges_org_idx ON rm_challenges (organisation_id, opens_on, id);

-- Spread: every adoption at a site or organisation.
CREATE TABLE rm_adoptions (
    adoption_id uuid PRIMARY KEY,
    innovation_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    site text,
    status text NOT NULL,
    adaptation text NOT NULL,
    started_on date NOT NULL,
    sustained_on date,
    abandoned_on date,
    ended_reason text,
    started_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX rm_adoptions_innovation_idx ON rm_adoptions (innovation_id, started_on);
CREATE INDEX rm_adoptions_org_idx ON rm_adoptions (organisation_id, started_on);

CREATE TABLE rm_funding (
    funding_id uuid PRIMARY KEY,
    innovation_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    source text NOT NULL,
    funder text NOT NULL,
    programme text,
    amount numeric(14, 2) NOT NULL,
    starts_on date NOT NULL,
    ends_on date,
    recorded_by text NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX rm_funding_org_idx ON rm_funding (organisation_id, source);
CREATE INDEX rm_funding_innovation_idx ON rm_funding (innovation_id);

CREATE TABLE rm_evaluations (
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
CREATE INDEX rm_evaluations_innovation_idx ON rm_evaluations (innovation_id, evaluated_on);

-- The decisions register.
CREATE TABLE rm_decisions (
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
CREATE INDEX rm_decisions_org_idx ON rm_decisions (organisation_id, decided_at, decision_id);
CREATE INDEX rm_decisions_innovation_idx ON rm_decisions (innovation_id, decided_at);
