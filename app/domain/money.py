"""Money as Decimal: strict parsing of "1250000.00", formatting, and Chinese capital numerals."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

MAX_AMOUNT = Decimal("999999999999.99")
CENT = Decimal("0.01")

# ASCII digits only: \d would also accept full-width and other Unicode digits.
_AMOUNT_RE = re.compile(r"[0-9]+\.[0-9]{2}")
_NEGATIVE_RE = re.compile(r"-[0-9]+\.[0-9]{2}")

_NUMERALS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿")


class AmountError(ValueError):
    """A money string that is refused; `code` is stable ("money.format", ...)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_amount(text: object) -> Decimal:
    """The Decimal of a string with exactly two decimals, between 0.00 and MAX_AMOUNT."""
    if not isinstance(text, str):
        raise AmountError("money.not_string")
    if _NEGATIVE_RE.fullmatch(text):
        raise AmountError("money.negative")
    if not _AMOUNT_RE.fullmatch(text):
        raise AmountError("money.format")
    amount = Decimal(text)
    if amount > MAX_AMOUNT:
        raise AmountError("money.too_large")
    return amount


def format_amount(amount: Decimal | int) -> str:
    """Two decimals, no grouping ("1080000.00"); half-cents round up. Floats are refused."""
    if isinstance(amount, float) or not isinstance(amount, (Decimal, int)):
        raise TypeError(f"amount must be Decimal, not {type(amount).__name__}")
    quantized = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{quantized + 0:f}"  # "+ 0" turns -0.00 into 0.00


def amount_in_words(amount: Decimal) -> str:
    """The amount in Chinese capital numerals as printed on certificates (1080000.00 -> 壹佰零捌万元整)."""
    if not isinstance(amount, Decimal) or not Decimal(0) <= amount <= MAX_AMOUNT:
        raise ValueError("amount must be a Decimal between 0 and MAX_AMOUNT")
    cents = int(amount.quantize(CENT, rounding=ROUND_HALF_UP) * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    words = _integer_in_words(yuan) + "元" if yuan else ""
    # The rules of the People's Bank of China for capital amounts (正确填写票据和结算凭证的基本规定): one 零 for
    # each run of zeros between figures, including a zero units digit before the jiao (1680.32 ->
    # 壹仟陆佰捌拾元零叁角贰分) and a zero jiao before the fen (325.04 -> 叁佰贰拾伍元零肆分); 整 after 元 or
    # 角 (as the accounting rules, 会计基础工作规范 art. 52, require), never after 分.
    if jiao:
        words += ("零" if yuan % 10 == 0 and yuan else "") + _NUMERALS[jiao] + "角"
    if fen:
        words += ("零" if words and not jiao else "") + _NUMERALS[fen] + "分"
    if not words:
        return "零元整"
    return words if fen else words + "整"


def _integer_in_words(number: int) -> str:
    """Capital numerals of a positive integer below 10**12, zeros collapsed into one 零."""
    digits = str(number)
    words, zero_pending, group_has_digit = "", False, False
    for index, digit in enumerate(map(int, digits)):
        position = len(digits) - 1 - index
        if digit:
            words += ("零" if zero_pending else "") + _NUMERALS[digit] + _SMALL_UNITS[position % 4]
            zero_pending, group_has_digit = False, True
        else:
            zero_pending = True
        if position % 4 == 0 and group_has_digit:
            words += _GROUP_UNITS[position // 4]
            group_has_digit = False
    return words
