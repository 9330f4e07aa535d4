-- Each point's class is computed when it is read (from rm_observations and rm_phases, by the
-- same analysis that stores the verdict and the signals), so it is no longer stored.
DROP TABLE IF EXISTS rm_points;
DROP TABLE IF EXISTS rm_points__rebuild;
