"""Check digits: credit codes, organisation codes, resident IDs, patent numbers."""

import pytest

from app.domain.identifiers import (
    credit_code_area,
    credit_code_status,
    mask_id_number,
    normalise_patent_number,
    org_code_valid,
    patent_number_status,
    resident_id_status,
)


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("91330100716105852F", "valid"),
        ("9144030071526726XG", "valid"),
        ("91350100M0001TGQXM", "check_digit"),  # an early pilot code: well formed, check fails
        ("91330100716105852G", "check_digit"),
        ("91330100716105852", "malformed"),
        ("91330100716105852F0", "malformed"),
        ("91330100716105852I", "malformed"),  # I is not in the character set
        ("91330100716105852f", "malformed"),
        ("", "malformed"),
        (None, "malformed"),
        (91330100716105852, "malformed"),
    ],
)
def test_credit_code_status(code, status):
    assert credit_code_status(code) == status


def test_credit_code_area_is_positions_3_to_8():
    assert credit_code_area("9144030071526726XG") == "440300"
    assert credit_code_area("91") == ""


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("71610585-2", True),
        ("716105852", True),
        ("71526726-X", True),
        ("71526726X", True),
        ("71610585-3", False),
        ("71526726-0", False),
        ("7161058-2", False),
        ("71610585--2", False),
        ("", False),
        (None, False),
    ],
)
def test_org_code_valid(code, valid):
    assert org_code_valid(code) is valid


def test_org_code_check_of_eleven_is_zero():
    # Σ mod 11 == 0 gives 11 - 0 = 11, written 0: "00000000" sums to 0.
    assert org_code_valid("00000000-0")


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("11010519491231002X", "valid"),
        ("110105194912310021", "check_digit"),
        ("11010519491231002x", "malformed"),
        ("11010519490231002X", "malformed"),  # 31 February
        ("11010519491331002X", "malformed"),  # month 13
        ("11010519491231002", "malformed"),
        ("1101051949123100XX", "malformed"),
        (None, "malformed"),
    ],
)
def test_resident_id_status(code, status):
    assert resident_id_status(code) == status


@pytest.mark.parametrize(
    ("code", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        ("1234567890", "**********"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number_keeps_first_six_and_last_four(code, masked):
    assert mask_id_number(code) == masked


@pytest.mark.parametrize(
    ("number", "status"),
    [
        ("ZL201310699744.2", "valid"),
        ("200310102344.5", "valid"),
        ("CN200310102344.5", "valid"),
        ("2003101023445", "valid"),
        (" zl201310699744.2 ", "valid"),
        ("90101673.X", "valid"),
        ("90101673X", "valid"),
        ("ZL201310699744.3", "check_digit"),
        ("90101673.1", "check_digit"),
        ("198410699744.2", "malformed"),  # year before 1985
        ("201340699744.2", "malformed"),  # type digit 4
        ("90401673.X", "malformed"),
        ("20131069974.2", "malformed"),
        ("US201310699744.2", "malformed"),
        ("2020SR0123456", "malformed"),
        ("", "malformed"),
        (None, "malformed"),
    ],
)
def test_patent_number_status(number, status):
    assert patent_number_status(number) == status


@pytest.mark.parametrize(
    ("number", "normal"),
    [
        ("ZL201310699744.2", "201310699744.2"),
        ("cn2003101023445", "200310102344.5"),
        ("90101673x", "90101673.X"),
        (" 2020sr0123456 ", "2020SR0123456"),
    ],
)
def test_normalise_patent_number(number, normal):
    assert normalise_patent_number(number) == normal
