"""The subsidy services: programmes, claims (local and of other registries), the payment list."""
