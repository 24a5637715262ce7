"""The only code that changes state. Services flush, raise domain errors and write the audit log; never commit."""
