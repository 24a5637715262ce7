"""Money: strict two-decimal strings, Decimal only, capital numerals."""

from decimal import Decimal

import pytest

from app.domain.money import MAX_AMOUNT, AmountError, amount_in_words, format_amount, parse_amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1250000.00", Decimal("1250000.00")),
        ("0.00", Decimal("0.00")),
        ("0.01", Decimal("0.01")),
        ("999999999999.99", MAX_AMOUNT),
    ],
)
def test_parse_amount_accepts_two_decimals(text, amount):
    parsed = parse_amount(text)
    assert parsed == amount and isinstance(parsed, Decimal) and parsed.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "code"),
    [
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
    ],
)
def test_parse_amount_refuses(text, code):
    with pytest.raises(AmountError) as raised:
        parse_amount(text)
    assert raised.value.code == code


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("1080000"), "1080000.00"),
        (Decimal("12.345"), "12.35"),
        (Decimal("-0.00"), "0.00"),
        (Decimal("1E+3"), "1000.00"),
        (5, "5.00"),
    ],
)
def test_format_amount(amount, text):
    assert format_amount(amount) == text


def test_format_amount_refuses_floats():
    with pytest.raises(TypeError):
        format_amount(1.5)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        # The examples of the People's Bank of China rules (正确填写票据和结算凭证的基本规定).
        ("1409.50", "壹仟肆佰零玖元伍角整"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("107000.53", "壹拾万零柒仟元零伍角叁分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        # Zeros inside a group, runs of zeros, and the 万/亿 boundaries.
        ("1080000.00", "壹佰零捌万元整"),
        ("1250000.00", "壹佰贰拾伍万元整"),
        ("10005.05", "壹万零伍元零伍分"),
        ("100000000.10", "壹亿元零壹角整"),
        ("100000001.00", "壹亿零壹元整"),
        ("100010000.00", "壹亿零壹万元整"),
        ("100001000.00", "壹亿零壹仟元整"),
        ("1000100.00", "壹佰万零壹佰元整"),
        ("10100000.00", "壹仟零壹拾万元整"),
        ("10010000.00", "壹仟零壹万元整"),
        ("100001.00", "壹拾万零壹元整"),
        ("110000.00", "壹拾壹万元整"),
        ("10000000.00", "壹仟万元整"),
        ("10000000000.00", "壹佰亿元整"),
        ("200000000000.00", "贰仟亿元整"),
        ("120034005006.78", "壹仟贰佰亿零叁仟肆佰万零伍仟零陆元柒角捌分"),
        # 拾 is always preceded by its numeral (壹拾, not 拾).
        ("10.00", "壹拾元整"),
        ("15.00", "壹拾伍元整"),
        ("110.00", "壹佰壹拾元整"),
        # Jiao and fen.
        ("1.50", "壹元伍角整"),
        ("10.50", "壹拾元零伍角整"),
        ("1.05", "壹元零伍分"),
        ("10.05", "壹拾元零伍分"),
        ("1.55", "壹元伍角伍分"),
        ("0.50", "伍角整"),
        ("0.55", "伍角伍分"),
        ("0.05", "伍分"),
        ("0.01", "壹分"),
        ("0.00", "零元整"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


@pytest.mark.parametrize("amount", [Decimal("-1.00"), MAX_AMOUNT + 1, 5])
def test_amount_in_words_refuses_out_of_range(amount):
    with pytest.raises(ValueError):
        amount_in_words(amount)
