"""Demo and synthetic data, written through the same services and invariants as real data."""
