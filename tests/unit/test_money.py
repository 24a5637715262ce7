"""Money: strict two-decimal strings, Decimal only, capital numerals."""
from decimal import Decimal

import pytest

from app.domain.money import MAX_AMOUNT, AmountError, amount_in_words, format_amount, parse_amount


@pytest.mark.parametrize(("text", "amount"), [
    ("1250000.00", Decimal("1250000.00")),
    ("0.00", Decimal("0.00")),
    ("0.01", Decimal("0.01")),
    ("999999999999.99", MAX_AMOUNT),
])
def test_parse_amount_accepts_two_decimals(text, amount):
    parsed = parse_amount(text)
    assert parsed == amount and isinstance(parsed, Decimal) and parsed.as_tuple().exponent == -2


@pytest.mark.parametrize(("text", "code"), [
    (1250000, "money.not_string"),
    (1250000.0, "money.not_string"),
    (Decimal("1.00"), "money.not_string"),
    (None, "money.not_string"),
    ("1e5", "money.format"),
    ("1,000.00", "money.format"),
    ("12.5", "money.format"),
    ("12.500", "money.format"),
    ("12", "money.format"),
    (".50", "money.format"),
    ("NaN", "money.format"),
    ("Infinity", "money.format"),
    (" 1.00", "money.format"),
    ("1.00\n", "money.format"),
    ("+1.00", "money.format"),
    ("１.００", "money.format"),  # full-width digits
    ("", "money.format"),
    ("-1.00", "money.negative"),
    ("1000000000000.00", "money.too_large"),
])
def test_parse_amount_refuses(text, code):
    with pytest.raises(AmountError) as raised:
        parse_amount(text)
    assert raised.value.code == code


@pytest.mark.parametrize(("amount", "text"), [
    (Decimal("1080000"), "1080000.00"),
    (Decimal("12.345"), "12.35"),
    (Decimal("-0.00"), "0.00"),
    (Decimal("1E+3"), "1000.00"),
    (5, "5.00"),
])
def test_format_amount(amount, text):
    assert format_amount(amount) == text


def test_format_amount_refuses_floats():
    with pytest.raises(TypeError):
        format_amount(1.5)


@pytest.mark.parametrize(("amount", "words"), [
    ("1080000.00", "壹佰零捌万元整"),
    ("1250000.00", "壹佰贰拾伍万元整"),
    ("10.00", "壹拾元整"),
    ("100000001.00", "壹亿零壹元整"),
    ("100010000.00", "壹亿零壹万元整"),
    ("1000100.00", "壹佰万零壹佰元整"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("1.50", "壹元伍角整"),
    ("1.05", "壹元零伍分"),
    ("0.05", "伍分"),
    ("0.00", "零元整"),
    ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
])
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


@pytest.mark.parametrize("amount", [Decimal("-1.00"), MAX_AMOUNT + 1, 5])
def test_amount_in_words_refuses_out_of_range(amount):
    with pytest.raises(ValueError):
        amount_in_words(amount)
