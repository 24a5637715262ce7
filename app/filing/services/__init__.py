"""Filing services: contracts, attachments and their checks, deadlines, the status history."""
