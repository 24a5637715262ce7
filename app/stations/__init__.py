"""Stations: the registration stations, their areas and reviewers, managed by the bureau."""
