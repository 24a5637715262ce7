"""Tax services: the change feed, the tax office's scope and exports."""
