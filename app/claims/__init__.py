"""Claims: a person's claim to act for an organisation, and its confirmation."""
