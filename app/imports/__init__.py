"""Absorption (吸纳) from other registries: the bureau imports their registrations of Handan buyers."""
