"""Several parties: every party beside the first seller and buyer is checked as they are, under both rule sets;
the filer and the station stay the first seller's."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from app.domain.filing import OtherPartyData
from app.domain.rules import check_filing
from app.domain.rules.base import field_label
from tests.unit.test_rules import SELLER, context_for, found, valid_filing

CO_SELLER = OtherPartyData(
    role="seller", name="邯郸某某研究院", credit_code="12100000400000624D", area_code="130402", nature="021"
)
BROKER = OtherPartyData(
    role="intermediary", name="邯郸某某技术转移中心", credit_code="91130400105834526F", area_code="130403", nature="150"
)
PERSON = OtherPartyData(role="buyer", name="张三", id_number="11010519491231002X", area_code="130402", nature="400")


@pytest.fixture(params=["most-2000", "miit-2026"])
def rule_set(request) -> str:
    return request.param


def test_a_filing_with_a_co_seller_an_intermediary_and_a_person_passes(rule_set):
    filing = valid_filing(other_parties=(CO_SELLER, BROKER, PERSON))
    assert filing.is_brokered
    assert found(filing, rule_set) == []


@pytest.mark.parametrize(
    ("party", "expected"),
    [
        (replace(BROKER, credit_code="91130400105834526X"), [("credit_code.check_digit", "warning", "credit_code")]),
        (replace(BROKER, credit_code="12345"), [("credit_code.malformed", "error", "credit_code")]),
        (replace(PERSON, id_number="110105194912310021"), [("id_number.check_digit", "error", "id_number")]),
        (replace(BROKER, nature="999"), [("code.unknown", "error", "nature")]),
        (replace(BROKER, area_code="139999"), [("area_code.unknown", "error", "area_code")]),
        (
            replace(BROKER, name=None, credit_code=None, area_code=None, nature=None),
            [("required", "error", name) for name in ("name", "area_code", "nature", "credit_code")],
        ),
    ],
    ids=["check-digit", "malformed-code", "id-check-digit", "nature", "area", "empty"],
)
def test_each_other_party_is_checked_with_findings_naming_it(party, expected, rule_set):
    filing = valid_filing(other_parties=(CO_SELLER, party))
    served = {"known_area_codes": lambda code: code != "139999"}
    got = [f for f in found(filing, rule_set, **served) if f[2] and f[2].startswith("other_parties.")]
    assert Counter(got) == Counter((code, severity, f"other_parties.1.{name}") for code, severity, name in expected)


def test_a_finding_of_another_party_says_which_one():
    filing = valid_filing(other_parties=(CO_SELLER, replace(BROKER, credit_code="12345")))
    finding = next(f for f in check_filing(filing, context_for(filing, "miit-2026")) if f.code.endswith("malformed"))
    assert finding.message_zh.startswith("其他当事人 2 的统一社会信用代码")
    assert finding.message_en.startswith("Other party 2's unified social credit code")
    assert field_label("other_parties.0.area_code").zh == "其他当事人 1 的所在地区"


def test_the_filer_and_the_station_stay_the_first_sellers(rule_set):
    """A co-seller outside every served area, or filing itself, changes nothing: the first seller files."""
    elsewhere = replace(CO_SELLER, area_code="110105", credit_code="91110000802100433B")
    filing = valid_filing(other_parties=(elsewhere,))
    assert found(filing, rule_set) == []
    as_co_seller = context_for(filing, rule_set, filer_credit_code=elsewhere.credit_code)
    codes = [(f.code, f.field) for f in check_filing(filing, as_co_seller)]
    assert codes == [("filer.not_seller", "seller.credit_code")]
    assert SELLER.credit_code != elsewhere.credit_code
