"""The URL converter of every `<int:...>` in the app: database ids, bounded so that no id reaches the database
out of its column's range (PostgreSQL's integer and SQLite's 64-bit integer both fail above their limits)."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

from app.models.base import MAX_ID


def positive_up_to(limit: int) -> str:
    """A regular expression for the decimal numbers 1..limit without leading zeros (ASCII digits only).

    The bound lives in the pattern itself: werkzeug answers 405 instead of 404 when a converter refuses a value
    that the route's pattern matched and a route of another method has the same pattern."""
    digits = str(limit)
    alternatives = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []  # fewer digits
    for position, digit in enumerate(digits):
        lowest = 1 if position == 0 else 0
        if int(digit) > lowest:  # the same leading digits, then a smaller one, then any
            rest = len(digits) - position - 1
            alternatives.append(f"{digits[:position]}[{lowest}-{int(digit) - 1}][0-9]{{{rest}}}")
    alternatives.append(digits)
    return "(?:" + "|".join(alternatives) + ")"


class IdConverter(IntegerConverter):
    """A positive id, 1 to 2^31-1, written without leading zeros; anything else matches no route (404)."""

    regex = positive_up_to(MAX_ID)

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's parameter name
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def id_parameter_schema(converter: IdConverter) -> dict:
    """The OpenAPI schema of an id path parameter, with its bounds."""
    return {"type": "integer", "minimum": converter.min, "maximum": converter.max}
