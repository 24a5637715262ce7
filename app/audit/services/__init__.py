"""Audit services: recording, and the signed checkpoints over the log."""
