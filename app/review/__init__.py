"""Review: the station's queue, its decisions, four-eyes approval and registration numbers."""
