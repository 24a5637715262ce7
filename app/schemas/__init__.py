"""marshmallow pieces the capabilities share: fields, the problem shape, error flattening (shape and format only)."""
