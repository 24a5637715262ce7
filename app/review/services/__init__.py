"""Review services: decisions, the queue, registration numbering."""
