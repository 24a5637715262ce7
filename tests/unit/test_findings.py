"""Findings and the filing data: locale, JSON shape, filters, derived properties."""

from datetime import date

from app.domain.filing import CheckContext, FilingData, PartyData
from app.domain.findings import Finding, Severity, blocking, sort_findings, warnings

ERROR = Finding("required", Severity.ERROR, "title", "请填写合同名称。", "Contract title is required.")
WARNING = Finding("credit_code.check_digit", Severity.WARNING, "seller.credit_code", "校验码不符", "Check fails")
NOTICE = Finding("review.expert", Severity.NOTICE, "technical_amount", "专家评审", "Expert review")


def test_message_by_locale():
    assert ERROR.message("zh_CN") == "请填写合同名称。"
    assert ERROR.message(None) == "请填写合同名称。"
    assert ERROR.message("en_US") == "Contract title is required."


def test_as_dict_is_the_api_shape():
    assert WARNING.as_dict("en") == {
        "code": "credit_code.check_digit",
        "severity": "warning",
        "field": "seller.credit_code",
        "message": "Check fails",
    }


def test_severity_is_a_string():
    assert Severity.NOTICE == "notice"


def test_blocking_and_warnings_filter_by_severity():
    findings = [NOTICE, WARNING, ERROR]
    assert blocking(findings) == [ERROR]
    assert warnings(findings) == [WARNING]


def test_sort_puts_errors_first_and_keeps_order():
    second_error = Finding("duplicate", Severity.ERROR, None, "重复", "Duplicate")
    assert sort_findings([NOTICE, ERROR, WARNING, second_error]) == [ERROR, second_error, WARNING, NOTICE]


def test_party_is_individual_with_id_number_and_no_credit_code():
    assert PartyData(id_number="11010519491231002X").is_individual
    assert not PartyData(id_number="11010519491231002X", credit_code="91330100716105852F").is_individual
    assert not PartyData().is_individual


def test_import_is_a_foreign_seller_and_a_domestic_buyer():
    foreign, domestic = PartyData(country="276"), PartyData()
    assert FilingData(seller=foreign, buyer=domestic).is_import
    assert FilingData(seller=foreign, buyer=domestic).filing_party is domestic
    assert not FilingData(seller=domestic, buyer=foreign).is_import
    assert not FilingData(seller=foreign, buyer=PartyData(country="840")).is_import


def test_context_accepts_every_area_by_default():
    context = CheckContext(filed_on=date(2026, 3, 2), today=date(2026, 3, 2), filer_credit_code=None)
    assert context.known_area_codes("999999") and context.served_area_codes == frozenset()
