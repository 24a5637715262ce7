"""Cells safe to open: text that a spreadsheet program would read as a formula is neutralised (OWASP's rule)."""

from __future__ import annotations

import re

# A cell starting with one of these may be run as a formula (or DDE command) by Excel, WPS or LibreOffice.
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
# Plain numbers ("-1250.00", "+3") are values, not formulas: they keep their form, so money stays money.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def safe_cell(text: str) -> str:
    """The text as a cell that can only ever be text: a leading single quote before a formula trigger."""
    if text[:1] in FORMULA_TRIGGERS and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text
