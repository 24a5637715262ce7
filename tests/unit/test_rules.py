"""The rule sets: selection by filing date, every check passing and firing, examples of every sub-type."""

from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.domain.catalogue import SUBTYPES, category_of_subtype
from app.domain.filing import CheckContext, DeductionData, FilingData, LicenseData, PartyData
from app.domain.findings import Severity
from app.domain.rules import RULE_SETS, check_filing, rule_set_by_code, rule_set_for

D = Decimal
SELLER = PartyData(name="邯郸某某节能科技有限公司", credit_code="91330100716105852F", area_code="130402", nature="150")
BUYER = PartyData(name="深圳某某钢铁股份有限公司", credit_code="9144030071526726XG", area_code="440300", nature="160")
FOREIGN = PartyData(name="Acme Technik GmbH", country="276")
PUBLIC_INSTITUTION_CODE = "12100000400000624D"  # 1 = 机构编制, 2 = 事业单位 (GB 32100), check digit right
PERSON = PartyData(name="张三", id_number="11010519491231002X", area_code="130402", nature="400")
EQUIPMENT = DeductionData(kind="equipment", description="换热器两台", amount=D("170000.00"))
LICENCE = LicenseData(exclusivity="exclusive", territory="china", years=5)
FILED_ON = {"most-2000": date(2026, 2, 27), "miit-2026": date(2026, 3, 2)}
WITH_CERTIFICATE = ("contract_text", "ip_certificate")
ANNEXED = ("contract_text", "technical_annex", "quotation")
IMPORT_PAPERS = (*ANNEXED, "consistency_undertaking", "import_licence")
PATENT = ("ZL201310699744.2",)

# What each sub-type's example changes in the development contract of valid_filing().
EXAMPLES = {
    "patent_right": dict(ip_type="invention_patent", ip_numbers=PATENT, attachment_kinds=WITH_CERTIFICATE),
    "patent_application_right": dict(ip_type="invention_patent", ip_numbers=("200310102344.5",)),
    "know_how": dict(ip_type="know_how"),
    "other_transfer": dict(
        ip_type="software_copyright", ip_numbers=("2020SR0123456",), attachment_kinds=WITH_CERTIFICATE
    ),
    "patent_license": dict(
        ip_type="invention_patent", ip_numbers=PATENT, license=LICENCE, attachment_kinds=WITH_CERTIFICATE
    ),
    "know_how_license": dict(ip_type="know_how", license=replace(LICENCE, exclusivity="non_exclusive")),
    "other_license": dict(
        ip_type="software_copyright", license=replace(LICENCE, territory="worldwide"), attachment_kinds=WITH_CERTIFICATE
    ),
}
ALL_SUBTYPES = [subtype for subtypes in SUBTYPES.values() for subtype in subtypes]


def valid_filing(**changes) -> FilingData:
    """A complete commissioned-development contract that passes every check of both rule sets."""
    filing = FilingData(
        title="钢铁冶炼余热回收技术开发",
        category="development",
        subtype="commissioned",
        signed_on=date(2026, 1, 15),
        valid_from=date(2026, 1, 15),
        valid_until=date(2027, 1, 14),
        seller=SELLER,
        buyer=BUYER,
        amount=D("1250000.00"),
        deductions=(EQUIPMENT,),
        technical_amount=D("1080000.00"),
        technical_field="new_energy",
        ip_type="none",
        ip_numbers=(),
        plan_category="none",
        payment_method="instalments",
        summary="余热回收换热网络的设计与中试。",
        license=None,
        attachment_kinds=("contract_text", "technical_annex", "quotation"),
    )
    return replace(filing, **changes)


def example(example_subtype: str, /, **changes) -> FilingData:
    """A valid filing of the sub-type, with changes."""
    base = dict(
        category=category_of_subtype(example_subtype), subtype=example_subtype, **EXAMPLES.get(example_subtype, {})
    )
    return valid_filing(**{**base, **changes})


def context_for(filing: FilingData, rule_set: str, **changes) -> CheckContext:
    """Filed under the rule set by the filing party, both parties' areas served."""
    filed_on = FILED_ON[rule_set]
    context = CheckContext(
        filed_on=filed_on,
        today=filed_on,
        filer_credit_code=filing.filing_party.credit_code,
        filer_id_number=filing.filing_party.id_number,
        served_area_codes=frozenset({"130402", "440300"}),
    )
    return replace(context, **changes)


def found(filing: FilingData, rule_set: str = "miit-2026", **context_changes) -> list[tuple]:
    """(code, severity, field) of every finding."""
    findings = check_filing(filing, context_for(filing, rule_set, **context_changes))
    return [(f.code, f.severity.value, f.field) for f in findings]


@pytest.fixture(params=["most-2000", "miit-2026"])
def rule_set(request) -> str:
    return request.param


# ---- rule-set selection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filed_on", "code"),
    [
        (date(2000, 2, 16), "most-2000"),
        (date(2026, 2, 28), "most-2000"),
        (date(2026, 3, 1), "miit-2026"),
        (date(2040, 1, 1), "miit-2026"),
    ],
)
def test_rule_set_is_chosen_by_filing_date(filed_on, code):
    assert rule_set_for(filed_on).code == code


def test_no_rule_set_before_2000():
    with pytest.raises(LookupError):
        rule_set_for(date(2000, 2, 15))


def test_rule_sets_follow_each_other_without_gaps():
    for earlier, later in zip(RULE_SETS, RULE_SETS[1:]):
        assert earlier.effective_until == later.effective_from
    assert RULE_SETS[-1].effective_until is None


def test_rule_set_by_code():
    assert rule_set_by_code("miit-2026") is RULE_SETS[1]
    with pytest.raises(KeyError):
        rule_set_by_code("most-1999")


@pytest.mark.parametrize(
    ("code", "facts"),
    [
        (
            "most-2000",
            dict(
                time_limit_days=30,
                time_limit_kind="calendar",
                expert_review_days=None,
                expert_review_threshold=None,
                licensing_as_transfer=True,
                restart_clock_on_amendment=False,
                amendment_days=15,
            ),
        ),
        (
            "miit-2026",
            dict(
                time_limit_days=15,
                time_limit_kind="working",
                expert_review_days=30,
                expert_review_threshold=D("5000000.00"),
                licensing_as_transfer=False,
                restart_clock_on_amendment=True,
                amendment_days=15,
            ),
        ),
    ],
)
def test_rule_set_facts(code, facts):
    rule_set = rule_set_by_code(code)
    assert {name: getattr(rule_set, name) for name in facts} == facts
    assert rule_set.second_review_threshold == D("10000000.00")
    assert ("licensing" in rule_set.categories) is not rule_set.licensing_as_transfer


def test_days_label():
    assert rule_set_by_code("miit-2026").days_label(30).zh == "30 个工作日"
    assert rule_set_by_code("most-2000").days_label(30).en == "30 calendar days"


# ---- valid examples ------------------------------------------------------------------------------


@pytest.mark.parametrize("subtype", ALL_SUBTYPES)
def test_every_subtype_has_a_valid_example(subtype, rule_set):
    filing = example(subtype)
    expected = []
    if filing.category == "licensing" and rule_set == "most-2000":
        expected = [("category.licensing_as_transfer", "notice", "category")]
    assert found(filing, rule_set) == expected


@pytest.mark.parametrize(
    "changes",
    [
        dict(deductions=(), technical_amount=D("1250000.00")),
        dict(
            deductions=(EQUIPMENT, replace(EQUIPMENT, kind="raw_materials", amount=D("80000.00"))),
            technical_amount=D("1000000.00"),
        ),
        dict(deductions=(replace(EQUIPMENT, amount=D("1249999.99")),), technical_amount=D("0.01")),
        dict(seller=PERSON),
        dict(buyer=replace(PERSON, area_code="440300")),
        dict(buyer=FOREIGN),
        dict(buyer=replace(FOREIGN, credit_code="HRB 123456")),
        dict(seller=FOREIGN, attachment_kinds=IMPORT_PAPERS),
        dict(ip_type="invention_patent", ip_numbers=()),
        dict(plan_category=None),
        dict(valid_until=date(2026, 3, 2)),
        dict(buyer=replace(BUYER, nature="210")),
        dict(buyer=replace(BUYER, nature="220")),
        dict(buyer=replace(BUYER, nature="230")),
        dict(buyer=replace(BUYER, nature="240")),
        dict(buyer=replace(BUYER, nature="330")),
        dict(buyer=replace(BUYER, nature="022", credit_code=PUBLIC_INSTITUTION_CODE)),
        dict(signed_by_internal_unit=True, attachment_kinds=(*ANNEXED, "representative_authorisation")),
        dict(government_funded=True, attachment_kinds=(*ANNEXED, "funder_consent")),
        dict(
            signed_by_internal_unit=True,
            government_funded=True,
            attachment_kinds=(*ANNEXED, "representative_authorisation", "funder_consent"),
        ),
    ],
    ids=[
        "no-deductions",
        "two-deductions",
        "one-cent-left",
        "individual-seller",
        "individual-buyer",
        "export",
        "export-foreign-number",
        "import",
        "patent-expected",
        "no-plan",
        "last-day",
        "nature-210",
        "nature-220",
        "nature-230",
        "nature-240",
        "nature-330",
        "university-with-its-code",
        "internal-unit-authorised",
        "funded-with-consent",
        "both-situations-papers",
    ],
)
def test_variants_that_pass_every_check(changes, rule_set):
    assert found(valid_filing(**changes), rule_set) == []


@pytest.mark.parametrize("subtype", ["patent_right", "patent_application_right", "know_how", "other_transfer"])
def test_each_transfer_subtype_may_be_contributed_as_equity(subtype, rule_set):
    assert found(example(subtype, equity=True), rule_set) == []


def test_transfers_ask_for_no_annex_or_quotation(rule_set):
    assert found(example("know_how", attachment_kinds=("contract_text",)), rule_set) == []


def test_the_equity_finding_names_the_category():
    (finding,) = check_filing(example("training", equity=True), context_for(example("training"), "miit-2026"))
    assert finding.message_zh == "技术入股只适用于技术转让合同，技术服务合同不能标记为技术入股。"
    assert "technical service" in finding.message_en


def test_filing_on_the_last_day_of_validity_passes_and_the_next_day_is_late():
    filing = valid_filing(valid_until=date(2026, 3, 2))
    assert found(filing, today=date(2026, 3, 3)) == []
    assert found(filing, filed_on=date(2026, 3, 3)) == [("validity.expired", "error", "valid_until")]


# ---- every check firing --------------------------------------------------------------------------


def case(case_id: str, *expected: tuple, base: str = "commissioned", context: dict | None = None, **changes):
    """One variation of an example and the findings it must produce (all of them)."""
    return pytest.param(base, changes, context or {}, list(expected), id=case_id)


def err(code, field):
    return (code, "error", field)


def warn(code, field):
    return (code, "warning", field)


def note(code, field):
    return (code, "notice", field)


REQUIRED_TOP = [
    "title",
    "category",
    "subtype",
    "signed_on",
    "valid_from",
    "valid_until",
    "amount",
    "technical_amount",
    "technical_field",
    "payment_method",
    "summary",
]
UNKNOWN = "bogus"

CASES = [
    # required fields
    *[case(f"required-{name}", err("required", name), **{name: None}) for name in REQUIRED_TOP],
    case("required-blank-title", err("required", "title"), title="  "),
    *[
        case(f"required-{role}.{name}", err("required", f"{role}.{name}"), **{role: replace(party, **{name: None})})
        for role, party in (("seller", SELLER), ("buyer", BUYER))
        for name in ("name", "area_code", "nature")
    ],
    case("required-buyer-identity", err("required", "buyer.credit_code"), buyer=replace(BUYER, credit_code=None)),
    case(
        "required-seller-identity",
        err("required", "seller.credit_code"),
        seller=replace(SELLER, credit_code=""),
        context=dict(filer_credit_code="91330100716105852F"),
    ),
    case("required-ip-type", err("required", "ip_type"), base="know_how", ip_type=None),
    *[
        case(
            f"required-deduction-{name}",
            err("required", f"deductions.0.{name}"),
            deductions=(replace(EQUIPMENT, **{name: None}),),
        )
        for name in ("kind", "description", "amount")
    ],
    case("required-license", err("required", "license"), base="know_how_license", license=None),
    *[
        case(
            f"required-license-{name}",
            err("required", f"license.{name}"),
            base="know_how_license",
            license=replace(LICENCE, **{name: None}),
        )
        for name in ("exclusivity", "territory", "years")
    ],
    case(
        "license-years",
        err("license_years.not_positive", "license.years"),
        base="know_how_license",
        license=replace(LICENCE, years=0),
    ),
    case("license-in-transfer", note("license.in_transfer", "license"), base="know_how", license=LICENCE),
    # code lists and areas
    case("unknown-category", err("code.unknown", "category"), category=UNKNOWN),
    case("unknown-subtype", err("code.unknown", "subtype"), subtype=UNKNOWN),
    case("subtype-mismatch", err("subtype.mismatch", "subtype"), subtype="training"),
    *[
        case(f"unknown-{name}", err("code.unknown", name), **{name: UNKNOWN})
        for name in ("technical_field", "plan_category", "payment_method")
    ],
    case("unknown-ip-type", err("code.unknown", "ip_type"), ip_type=UNKNOWN),
    case("unknown-seller-nature", err("code.unknown", "seller.nature"), seller=replace(SELLER, nature="999")),
    case("unknown-nature-250", err("code.unknown", "buyer.nature"), buyer=replace(BUYER, nature="250")),
    # GB 32100: enterprises of the 200 and 300 groups hold market-regulation enterprise codes (91…)
    case(
        "foreign-invested-with-a-public-institution-code",
        note("nature.credit_code_mismatch", "buyer.nature"),
        buyer=replace(BUYER, nature="330", credit_code=PUBLIC_INSTITUTION_CODE),
    ),
    case(
        "hk-invested-with-a-public-institution-code",
        note("nature.credit_code_mismatch", "buyer.nature"),
        buyer=replace(BUYER, nature="210", credit_code=PUBLIC_INSTITUTION_CODE),
    ),
    case(
        "domestic-enterprise-with-a-public-institution-code",
        note("nature.credit_code_mismatch", "buyer.nature"),
        buyer=replace(BUYER, nature="150", credit_code=PUBLIC_INSTITUTION_CODE),
    ),
    case("unknown-buyer-country", err("code.unknown", "buyer.country"), buyer=replace(BUYER, country="CN")),
    case(
        "unknown-deduction-kind",
        err("code.unknown", "deductions.0.kind"),
        deductions=(replace(EQUIPMENT, kind="travel"),),
    ),
    case(
        "unknown-license-exclusivity",
        err("code.unknown", "license.exclusivity"),
        base="know_how_license",
        license=replace(LICENCE, exclusivity=UNKNOWN),
    ),
    case(
        "unknown-license-territory",
        err("code.unknown", "license.territory"),
        base="know_how_license",
        license=replace(LICENCE, territory=UNKNOWN),
    ),
    case("area-five-digits", err("area_code.unknown", "buyer.area_code"), buyer=replace(BUYER, area_code="44030")),
    case(
        "area-not-a-division",
        err("area_code.unknown", "seller.area_code"),
        err("area_code.unknown", "buyer.area_code"),
        context=dict(known_area_codes=lambda code: False),
    ),
    # identifiers
    case(
        "credit-code-malformed",
        err("credit_code.malformed", "buyer.credit_code"),
        buyer=replace(BUYER, credit_code="9144030071526726X"),
    ),
    case(
        "credit-code-check-digit",
        warn("credit_code.check_digit", "buyer.credit_code"),
        buyer=replace(BUYER, credit_code="91350100M0001TGQXM"),
    ),
    case(
        "id-number-malformed",
        err("id_number.malformed", "buyer.id_number"),
        buyer=replace(PERSON, id_number="11010519491331002X"),
    ),
    case(
        "id-number-check-digit",
        err("id_number.check_digit", "seller.id_number"),
        seller=replace(PERSON, id_number="110105194912310021"),
    ),
    # patent numbers
    case("patent-numbers-required", err("ip_numbers.required", "ip_numbers"), base="patent_license", ip_numbers=()),
    case(
        "patent-check-digit",
        err("patent_number.invalid", "ip_numbers.1"),
        base="patent_right",
        ip_numbers=(*PATENT, "ZL201310699744.3"),
    ),
    case(
        "patent-malformed",
        err("patent_number.invalid", "ip_numbers.0"),
        base="patent_application_right",
        ip_numbers=("2013-1069",),
    ),
    case(
        "patent-in-development",
        err("patent_number.invalid", "ip_numbers.0"),
        ip_type="utility_model",
        ip_numbers=("bogus",),
    ),
    # money
    case(
        "amount-zero",
        err("amount.not_positive", "amount"),
        err("amount.not_positive", "technical_amount"),
        amount=D("0.00"),
        deductions=(),
        technical_amount=D("0.00"),
    ),
    case(
        "deduction-zero",
        err("amount.not_positive", "deductions.0.amount"),
        deductions=(replace(EQUIPMENT, amount=D("0.00")),),
        technical_amount=D("1250000.00"),
    ),
    case(
        "deductions-exceed",
        err("deductions.exceed_amount", "deductions"),
        deductions=(replace(EQUIPMENT, amount=D("1250000.01")),),
    ),
    case("technical-mismatch", err("amount.technical_mismatch", "technical_amount"), technical_amount=D("1080000.01")),
    case(
        "technical-not-deducted", err("amount.technical_mismatch", "technical_amount"), technical_amount=D("1250000.00")
    ),
    # dates
    case(
        "end-before-start",
        err("validity.end_before_start", "valid_until"),
        warn("filed_on.outside_validity", "valid_from"),
        valid_from=date(2027, 1, 15),
    ),
    case("signed-in-future", err("signed_on.future", "signed_on"), signed_on=date(2026, 6, 1)),
    case(
        "signed-after-validity",
        err("signed_on.after_validity", "signed_on"),
        signed_on=date(2027, 2, 1),
        context=dict(today=date(2027, 3, 1)),
    ),
    case("expired", err("validity.expired", "valid_until"), valid_until=date(2026, 2, 1)),
    case("not-yet-in-force", warn("filed_on.outside_validity", "valid_from"), valid_from=date(2026, 6, 1)),
    # rights
    case("transfer-without-ip", err("ip_type.required", "ip_type"), base="know_how", ip_type="none"),
    case(
        "licence-without-ip",
        err("ip_type.required", "ip_type"),
        base="other_license",
        ip_type="none",
        attachment_kinds=("contract_text",),
    ),
    case("service-with-ip", warn("ip.ownership_not_transferable", "ip_type"), base="training", ip_type="know_how"),
    case(
        "consultation-with-ip",
        warn("ip.ownership_not_transferable", "ip_type"),
        base="consultation",
        ip_type="software_copyright",
    ),
    case(
        "know-how-as-software",
        warn("ip_type.subtype_mismatch", "ip_type"),
        base="know_how",
        ip_type="software_copyright",
        attachment_kinds=WITH_CERTIFICATE,
    ),
    case(
        "patent-licence-of-know-how",
        warn("ip_type.subtype_mismatch", "ip_type"),
        base="patent_license",
        ip_type="know_how",
    ),
    # filer, station, duplicate
    case(
        "filer-not-seller",
        err("filer.not_seller", "seller.credit_code"),
        context=dict(filer_credit_code=BUYER.credit_code),
    ),
    case(
        "filer-not-seller-person",
        err("filer.not_seller", "seller.id_number"),
        seller=PERSON,
        context=dict(filer_id_number="130402199001011234"),
    ),
    case(
        "filer-not-buyer",
        err("filer.not_buyer", "buyer.credit_code"),
        seller=FOREIGN,
        attachment_kinds=IMPORT_PAPERS,
        context=dict(filer_credit_code=SELLER.credit_code),
    ),
    case(
        "station-seller-area",
        err("station.no_area", "seller.area_code"),
        context=dict(served_area_codes=frozenset({"440300"})),
    ),
    case(
        "station-import-buyer-area",
        err("station.no_area", "buyer.area_code"),
        seller=FOREIGN,
        attachment_kinds=IMPORT_PAPERS,
        context=dict(served_area_codes=frozenset({"130402"})),
    ),
    case("station-both-abroad", err("station.no_area", "seller.country"), seller=FOREIGN, buyer=FOREIGN),
    case("duplicate", err("duplicate", None), context=dict(duplicate_of="12")),
    # attachments
    case(
        "no-attachments",
        err("attachments.contract_text_required", "attachments"),
        note("attachments.technical_annex_missing", "attachments"),
        note("attachments.quotation_missing", "attachments"),
        attachment_kinds=(),
    ),
    case(
        "no-contract-text",
        err("attachments.contract_text_required", "attachments"),
        attachment_kinds=("technical_annex", "quotation"),
    ),
    case(
        "import-without-undertaking",
        warn("attachments.consistency_undertaking_missing", "attachments"),
        seller=FOREIGN,
        attachment_kinds=(*ANNEXED, "import_licence"),
    ),
    # attachments by situation (DOMAIN.md §12)
    case(
        "import-without-licence",
        err("attachments.import_licence_missing", "attachments"),
        seller=FOREIGN,
        attachment_kinds=(*ANNEXED, "consistency_undertaking"),
    ),
    case(
        "internal-unit-without-authorisation",
        err("attachments.representative_authorisation_missing", "attachments"),
        signed_by_internal_unit=True,
    ),
    case("funded-without-consent", err("attachments.funder_consent_missing", "attachments"), government_funded=True),
    case(
        "development-without-annex",
        note("attachments.technical_annex_missing", "attachments"),
        attachment_kinds=("contract_text", "quotation"),
    ),
    case(
        "service-without-quotation",
        note("attachments.quotation_missing", "attachments"),
        base="technical_service",
        attachment_kinds=("contract_text", "technical_annex"),
    ),
    case(
        "consultation-without-annex-and-quotation",
        note("attachments.technical_annex_missing", "attachments"),
        note("attachments.quotation_missing", "attachments"),
        base="consultation",
        attachment_kinds=("contract_text",),
    ),
    # technology contributed as equity: a flag of transfers only
    case("equity-development", err("equity.not_transfer", "equity"), equity=True),
    case("equity-licence", err("equity.not_transfer", "equity"), base="patent_license", equity=True),
    case("equity-service", err("equity.not_transfer", "equity"), base="training", equity=True),
    case(
        "patent-without-certificate",
        warn("attachments.ip_certificate_missing", "attachments"),
        base="patent_right",
        attachment_kinds=("contract_text",),
    ),
]


@pytest.mark.parametrize(("base", "changes", "context", "expected"), CASES)
def test_check_fires(base, changes, context, expected, rule_set):
    filing = example(base, **changes)
    if filing.category == "licensing" and rule_set == "most-2000":
        expected = [*expected, note("category.licensing_as_transfer", "category")]
    assert Counter(found(filing, rule_set, **context)) == Counter(expected)


def test_every_finding_has_both_messages(rule_set):
    for base, changes, context, _ in (param.values for param in CASES):
        filing = example(base, **changes)
        for finding in check_filing(filing, context_for(filing, rule_set, **context)):
            assert finding.message_zh and finding.message_en and finding.message_zh != finding.message_en
            assert all("\u4e00" > char for char in finding.message_en), finding.message_en


# ---- rule-set specific findings, messages, order ---------------------------------------------------


@pytest.mark.parametrize(
    ("technical_amount", "most_2000", "miit_2026"),
    [
        ("4999999.99", [], []),
        ("5000000.00", [], ["review.expert"]),
        ("9999999.99", [], ["review.expert"]),
        ("10000000.00", ["review.second_reviewer"], ["review.expert", "review.second_reviewer"]),
    ],
)
def test_review_notices_follow_the_rule_set(technical_amount, most_2000, miit_2026):
    filing = valid_filing(amount=D(technical_amount), deductions=(), technical_amount=D(technical_amount))
    for rule_set, codes in (("most-2000", most_2000), ("miit-2026", miit_2026)):
        assert found(filing, rule_set) == [(code, "notice", "technical_amount") for code in codes]


def test_expert_review_names_the_longer_time_limit():
    filing = valid_filing(amount=D("6000000.00"), deductions=(), technical_amount=D("6000000.00"))
    (finding,) = check_filing(filing, context_for(filing, "miit-2026"))
    assert "30 个工作日" in finding.message_zh and "30 working days" in finding.message_en


def test_a_category_outside_the_rule_set_is_an_error():
    without_service = replace(rule_set_by_code("miit-2026"), categories=("development", "transfer"))
    filing = example("training")
    findings = check_filing(filing, context_for(filing, "miit-2026"), rule_set=without_service)
    assert [(f.code, f.severity, f.field) for f in findings] == [
        ("category.not_in_rule_set", Severity.ERROR, "category"),
    ]


def test_technical_mismatch_states_the_expected_figure():
    filing = valid_filing(technical_amount=D("1250000.00"))
    (finding,) = check_filing(filing, context_for(filing, "miit-2026"))
    assert "1080000.00" in finding.message_zh and "1080000.00" in finding.message_en


def test_duplicate_names_the_other_filing():
    filing = valid_filing()
    (finding,) = check_filing(filing, context_for(filing, "miit-2026", duplicate_of="12"))
    assert finding.message("zh") == "与已提交的合同 #12 重复。"
    assert finding.message("en") == "Duplicates filing #12."


def test_credit_code_warning_is_acknowledged_by_its_code():
    filing = valid_filing(buyer=replace(BUYER, credit_code="91350100M0001TGQXM"))
    (finding,) = check_filing(filing, context_for(filing, "miit-2026"))
    assert finding.as_dict("zh")["code"] == "credit_code.check_digit"


def test_findings_come_errors_first_in_check_order(rule_set):
    filing = example(
        "patent_license",
        title=None,
        buyer=replace(BUYER, credit_code="91350100M0001TGQXM"),
        attachment_kinds=(),
        technical_amount=D("1.00"),
    )
    severities = [f.severity for f in check_filing(filing, context_for(filing, rule_set))]
    assert severities == sorted(severities, key=[Severity.ERROR, Severity.WARNING, Severity.NOTICE].index)
    assert [code for code, *_ in found(filing, rule_set) if code != "category.licensing_as_transfer"] == [
        "required",
        "amount.technical_mismatch",
        "attachments.contract_text_required",
        "credit_code.check_digit",
        "attachments.ip_certificate_missing",
    ]


def test_an_empty_draft_lists_what_is_missing():
    codes = Counter(code for code, *_ in found(FilingData()))
    assert codes == Counter({"required": 19, "attachments.contract_text_required": 1})


@pytest.mark.parametrize("rule_set", ["most-2000", "miit-2026"])
def test_an_amount_not_fixed_at_signing_may_stay_empty_with_a_notice(rule_set):
    open_amount = valid_filing(amount=None, technical_amount=None, deductions=(), amount_fixed=False)
    findings = check_filing(open_amount, context_for(open_amount, rule_set), rule_set_by_code(rule_set))
    assert [f.code for f in findings if f.severity == Severity.ERROR] == []
    notice = next(f for f in findings if f.code == "amount.open")
    assert notice.severity == Severity.NOTICE and "补正" in notice.message_zh
    fixed = replace(open_amount, amount_fixed=True)
    findings = check_filing(fixed, context_for(fixed, rule_set), rule_set_by_code(rule_set))
    assert {f.field for f in findings if f.code == "required"} == {"amount", "technical_amount"}
