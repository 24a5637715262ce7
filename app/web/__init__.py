"""Page blueprints by audience."""
