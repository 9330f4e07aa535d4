"""Measures of improvement: an innovation's measure at a site, its observations and phases."""
