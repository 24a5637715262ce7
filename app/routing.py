"""The URL converter of every `<int:...>` in the app: database ids, bounded so that no id reaches the database
out of its column's range (PostgreSQL's integer and SQLite's 64-bit integer both fail above their limits)."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the largest value of an SQL integer column (PostgreSQL's int4)


class IdConverter(IntegerConverter):
    """A positive id of at most ten ASCII digits, 1 to 2^31-1; anything else does not match the route (404)."""

    regex = r"[0-9]{1,10}"  # \d would also match other scripts' digits; ten digits bound the conversion

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's parameter name
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def id_parameter_schema(converter: IdConverter) -> dict:
    """The OpenAPI schema of an id path parameter, with its bounds."""
    return {"type": "integer", "minimum": converter.min, "maximum": converter.max}
