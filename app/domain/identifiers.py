"""Check digits of Chinese identifiers: credit codes, organisation codes, resident IDs, patent numbers."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

Status = Literal["valid", "check_digit", "malformed"]

# GB 32100-2015: the 31 characters (I, O, Z, S, V excluded) and the weights of positions 1–17.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_ORG_CODE_RE = re.compile(r"([0-9A-Z]{8})-?([0-9X])")
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_RESIDENT_ID_RE = re.compile(r"[0-9]{17}[0-9X]")
_RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID_CHECKS = "10X98765432"

# 12-digit numbers (since 2003: year, type, 7-digit sequence) and the old 8-digit form (yy, type, 5 digits).
_PATENT_RE = re.compile(r"(?:CN|ZL)?([0-9]{12}|[0-9]{8})\.?([0-9X])")
_PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_PATENT_TYPES = frozenset("12389")


def credit_code_status(code: object) -> Status:
    """Whether a unified social credit code is valid, has a wrong check digit, or is malformed."""
    if not isinstance(code, str) or len(code) != 18 or any(c not in CREDIT_CODE_CHARSET for c in code):
        return "malformed"
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(code, _CREDIT_CODE_WEIGHTS))
    expected = CREDIT_CODE_CHARSET[(31 - total % 31) % 31]
    return "valid" if code[17] == expected else "check_digit"


def credit_code_area(code: str) -> str:
    """The administrative-division code in positions 3–8 of a credit code ("" when too short)."""
    return code[2:8] if isinstance(code, str) and len(code) >= 8 else ""


def org_code_valid(code: object) -> bool:
    """Whether an organisation code (GB 11714, with or without the hyphen) has a correct check character."""
    match = _ORG_CODE_RE.fullmatch(code) if isinstance(code, str) else None
    if match is None:
        return False
    body, check = match.groups()
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_CODE_WEIGHTS))
    value = 11 - total % 11
    expected = {10: "X", 11: "0"}.get(value, str(value))
    return check == expected


def resident_id_status(code: object) -> Status:
    """Whether an 18-character resident ID (GB 11643) is valid, has a wrong check digit, or is malformed."""
    if not isinstance(code, str) or not _RESIDENT_ID_RE.fullmatch(code) or not _real_date(code[6:14]):
        return "malformed"
    total = sum(int(c) * w for c, w in zip(code, _RESIDENT_ID_WEIGHTS))
    return "valid" if code[17] == _RESIDENT_ID_CHECKS[total % 11] else "check_digit"


def _real_date(yyyymmdd: str) -> bool:
    """Whether eight digits name a calendar date (a birth date in an ID number)."""
    try:
        date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return True


def mask_id_number(code: str | None) -> str:
    """The ID number with all but its first 6 and last 4 characters masked ("*"); short input fully masked."""
    if not isinstance(code, str):
        return ""
    if len(code) <= 10:
        return "*" * len(code)
    return code[:6] + "*" * (len(code) - 10) + code[-4:]


def mask_id_numbers(value):
    """A copy of a JSON-like value (a request's changes, a history entry's details) with every `id_number` masked:
    what a change of the other parties records is shown, never the ID numbers it carries."""
    if isinstance(value, dict):
        return {
            key: mask_id_number(item) if key == "id_number" and item else mask_id_numbers(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [mask_id_numbers(item) for item in value]
    return value


def _patent_parts(number: object) -> tuple[str, str] | None:
    """The digits and the check character of a patent number, or None when it is not one."""
    if not isinstance(number, str):
        return None
    match = _PATENT_RE.fullmatch(number.strip().upper())
    if match is None:
        return None
    digits, check = match.groups()
    if len(digits) == 12:
        well_formed = 1985 <= int(digits[:4]) <= 2099 and digits[4] in _PATENT_TYPES
    else:
        well_formed = digits[2] in _PATENT_TYPES
    return (digits, check) if well_formed else None


def patent_number_status(number: object) -> Status:
    """Whether a patent (application) number is valid, has a wrong check character, or is malformed."""
    parts = _patent_parts(number)
    if parts is None:
        return "malformed"
    digits, check = parts
    # The old 8-digit form uses the first eight weights, 2 to 9.
    remainder = sum(int(d) * w for d, w in zip(digits, _PATENT_WEIGHTS)) % 11
    expected = "X" if remainder == 10 else str(remainder)
    return "valid" if check == expected else "check_digit"


def normalise_patent_number(number: str) -> str:
    """The canonical form of a patent number ("201310699744.2"): no prefix, upper case, with the dot.

    Input that is not a patent number comes back stripped and upper-cased, unchanged otherwise.
    """
    parts = _patent_parts(number)
    if parts is None:
        return number.strip().upper() if isinstance(number, str) else ""
    digits, check = parts
    return f"{digits}.{check}"
