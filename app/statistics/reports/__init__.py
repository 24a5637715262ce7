"""Reports upward: the national tables, the freeze of a year, and the per-contract upload file (API and pages)."""
