"""Account services: accounts, sessions, API tokens."""
