-- Observations: one row per recording (an ObservationsRecorded event), its points as parallel
-- arrays in date order, instead of one row per point. A measure's analysis reads all its
-- points at once anyway, and a row a point made its rows (and its rebuild's writes) the
-- read side's largest table by far.
ALTER TABLE rm_observations RENAME TO rm_observations_by_point;
ALTER TABLE rm_observations_by_point
    RENAME CONSTRAINT rm_observations_pkey TO rm_observations_by_point_pkey;
CREATE TABLE rm_observations (
    measure_id uuid NOT NULL,
    position bigint NOT NULL,
    ons date[] NOT NULL,
    vals double precision[] NOT NULL,
    numerators double precision[] NOT NULL,
    denominators double precision[] NOT NULL,
    PRIMARY KEY (measure_id, position)
);
INSERT INTO rm_observations (measure_id, position, ons, vals, numerators, denominators)
SELECT measure_id, position, array_agg("on" ORDER BY "on"), array_agg(value ORDER BY "on"),
       array_agg(numerator ORDER BY "on"), array_agg(denominator ORDER BY "on")
FROM rm_observations_by_point GROUP BY measure_id, position;
DROP TABLE rm_observations_by_point;
DROP TABLE IF EXISTS rm_observations__rebuild;
