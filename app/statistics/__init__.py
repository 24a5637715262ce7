"""Statistics: the facts table, reports, dashboards, goals, annual figures and supervision."""
