"""The message centre: every notice the e-mails carry, kept for the user to read after signing in."""
