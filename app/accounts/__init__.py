"""Accounts: people, sign-in sessions and API tokens."""
