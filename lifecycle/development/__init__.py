"""Development: prototypes (PDSA cycles), evaluations and funding."""
