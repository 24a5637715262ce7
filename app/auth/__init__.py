"""Who may do what: roles and permissions as data, sessions and API tokens."""
