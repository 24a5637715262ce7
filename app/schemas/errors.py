"""marshmallow's nested error messages as a flat list of coded, translated field errors."""

from __future__ import annotations

from app.errors import FieldError
from app.i18n import lt

# marshmallow's own messages, mapped to stable codes
BUILTIN_CODES = {
    "Unknown field.": "unknown_field",
    "Missing data for required field.": "required",
    "Field may not be null.": "null",
    "Not a valid date.": "date.invalid",
    "Not a valid string.": "type.string",
    "Not a valid integer.": "type.integer",
    "Not a valid list.": "type.list",
    "Invalid input type.": "type.object",
    "Invalid type.": "type.object",
}

MESSAGES = {
    "unknown_field": lt("This field is not part of the interface."),
    "required": lt("This field is required."),
    "null": lt("This field may not be empty."),
    "date.invalid": lt("Enter a date as YYYY-MM-DD."),
    "type.string": lt("Enter text."),
    "type.integer": lt("Enter a whole number."),
    "type.list": lt("Enter a list."),
    "type.boolean": lt("Enter true or false."),
    "type.object": lt("Enter an object."),
    "money.not_string": lt('Enter the amount as a string with two decimals, e.g. "1250000.00".'),
    "money.format": lt("Enter the amount with exactly two decimals, e.g. 1250000.00."),
    "money.negative": lt("The amount may not be negative."),
    "money.too_large": lt("The amount may not exceed 999,999,999,999.99."),
    "code.unknown": lt("Unknown code."),
    "text.too_long": lt("The text is too long."),
    "text.nul": lt("The text may not contain a NUL character."),
    "file.not_a_file": lt("Attach a file."),
    "area_code.format": lt("A division code has six digits."),
    "country.format": lt("A country code has three digits."),
    "license.years_range": lt("Enter the licence term in years (1 to 99)."),
    "list.too_long": lt("Too many entries."),
    "limit.range": lt("limit must be between 1 and 200."),
    "request.party_not_changeable": lt(
        "The first seller and buyer cannot be changed by a request: the registration and its station depend on them."
    ),
    "invalid": lt("The value is not valid."),
}


LOCATIONS = ("json", "optional_json", "form", "query", "files", "multipart", "_schema")


def _walk(messages, path: tuple[str, ...]):
    if isinstance(messages, dict):
        for key, value in messages.items():
            # webargs nests the messages under the location ("json", "query", ...); drop that level
            if not path and key in LOCATIONS and isinstance(value, (dict, list)):
                yield from _walk(value, ())
                continue
            yield from _walk(value, (*path, str(key)))
    elif isinstance(messages, list):
        for message in messages:
            if isinstance(message, (dict, list)):
                yield from _walk(message, path)
            else:
                yield path, str(message)
    else:
        yield path, str(messages)


def flatten(messages) -> list[FieldError]:
    """Nested marshmallow errors → [FieldError(code, dotted.field, message)]."""
    errors = []
    for path, raw in _walk(messages, ()):
        code = raw if raw in MESSAGES else BUILTIN_CODES.get(raw, "invalid")
        field = ".".join(p for p in path if p != "_schema") or None
        errors.append(FieldError(code, field, str(MESSAGES[code])))
    return errors
