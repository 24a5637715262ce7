"""Audit: the append-only audit log and its signed checkpoints."""
