"""Tax: the tax office's change feed, its scope, and the signed exports of the registry."""
