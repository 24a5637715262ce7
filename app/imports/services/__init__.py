"""The imports' services: reading another registry's CSV, storing its registrations, the absorption figures."""
