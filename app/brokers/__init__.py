"""Technology brokers: the bureau's registry, the filings that name them, their contracts and amounts."""
