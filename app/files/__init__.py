"""Stored files: the content-addressed storage and its HTTP answers."""
