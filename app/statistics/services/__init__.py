"""Statistics services: facts, reports and their exports, dashboards, goals, supervision."""
