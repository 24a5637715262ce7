"""The code lists: the codes API.md promises, bilingual labels, sub-type lookup."""

import pytest

from app.domain import catalogue
from app.domain.catalogue import SUBTYPES, Label, category_of_subtype, subtype_label
from app.domain.countries import CUSTOMS_COUNTRIES, customs_code
from app.domain.rules import RULE_SETS, accepted_refusal_codes, amendment_days
from app.domain.rules.rulesets import MIIT_2026, MOST_2000

CODE_LISTS = {
    "CATEGORIES": ["development", "transfer", "licensing", "consultation", "service"],
    "TECHNICAL_FIELDS": [
        "electronic_information",
        "advanced_manufacturing",
        "aerospace",
        "modern_transport",
        "agriculture",
        "new_materials",
        "new_energy",
        "environment",
        "biomedicine",
        "nuclear",
        "urban_social",
    ],
    "PARTY_NATURES": [
        "010",
        "020",
        "021",
        "022",
        "023",
        "024",
        "030",
        "100",
        "110",
        "120",
        "130",
        "140",
        "150",
        "160",
        "170",
        "180",
        "200",
        "210",
        "220",
        "230",
        "240",
        "300",
        "310",
        "320",
        "330",
        "340",
        "400",
    ],
    "IP_TYPES": [
        "invention_patent",
        "utility_model",
        "design",
        "know_how",
        "software_copyright",
        "ic_layout",
        "plant_variety",
        "biomedicine_variety",
        "other",
        "none",
    ],
    "PLAN_CATEGORIES": ["national", "ministerial", "provincial", "city", "other", "none"],
    "PAYMENT_METHODS": ["lump_sum", "instalments", "royalty", "lump_sum_plus_royalty", "other"],
    "DEDUCTION_KINDS": ["equipment", "instruments", "parts", "raw_materials", "other"],
    "LICENSE_EXCLUSIVITY": ["exclusive", "sole", "non_exclusive"],
    "LICENSE_TERRITORY": ["worldwide", "china", "other"],
    "ATTACHMENT_KINDS": [
        "contract_text",
        "technical_annex",
        "quotation",
        "ip_certificate",
        "consistency_undertaking",
        "representative_authorisation",
        "funder_consent",
        "import_licence",
        "other",
    ],
    "STATUSES": [
        "draft",
        "submitted",
        "accepted",
        "expert_review",
        "amendment_requested",
        "registered",
        "refused",
        "cancelled",
        "revoked",
        "withdrawn",
    ],
    "REFUSAL_GROUNDS": [
        "contract_invalid",
        "not_technology_contract",
        "parties_unclear",
        "subject_unclear",
        "price_unclear",
        "terms_unclear",
        "approval_missing",
        "name_mismatch",
        "restrictive_clauses",
        "documents_missing",
        "seals_incomplete",
        "other",
    ],
}


@pytest.mark.parametrize(("name", "codes"), CODE_LISTS.items())
def test_code_lists_hold_the_promised_codes_in_order(name, codes):
    assert list(getattr(catalogue, name)) == codes


@pytest.mark.parametrize("name", CODE_LISTS)
def test_every_label_has_chinese_and_english(name):
    for label in getattr(catalogue, name).values():
        assert label.zh and label.en and label.zh != label.en


@pytest.mark.parametrize(
    ("ip_type", "ip_numbers", "subtype"),
    [
        ("invention_patent", ["ZL201310699744.2"], "patent_right"),
        ("utility_model", [], "other_transfer"),
        ("know_how", [], "know_how"),
        ("software_copyright", ["2020SR0123456"], "other_transfer"),
        (None, None, "other_transfer"),
    ],
)
def test_a_former_equity_subtype_becomes_the_subtype_its_rights_say(ip_type, ip_numbers, subtype):
    assert catalogue.equity_subtype(ip_type, ip_numbers) == subtype


def test_subtypes_per_category_match_the_api():
    assert {category: list(subtypes) for category, subtypes in SUBTYPES.items()} == {
        "development": ["commissioned", "cooperative"],
        # technology as equity is a flag of these four (DOMAIN.md §12); the API still accepts "equity" and maps it
        "transfer": ["patent_right", "patent_application_right", "know_how", "other_transfer"],
        "licensing": ["patent_license", "know_how_license", "other_license"],
        "consultation": ["consultation"],
        "service": ["technical_service", "training", "intermediary"],
    }


def test_technical_fields_use_the_form_names():
    assert catalogue.TECHNICAL_FIELDS["new_energy"].zh == "新能源与高效节能"
    assert catalogue.TECHNICAL_FIELDS["biomedicine"].zh == "生物、医药和医疗器械"


def test_licence_exclusivity_names():
    assert [label.zh for label in catalogue.LICENSE_EXCLUSIVITY.values()] == ["独占", "排他", "普通"]


def test_refused_reads_as_not_registered_and_china_is_156():
    assert catalogue.STATUSES["refused"].zh == "未予登记"
    assert catalogue.COUNTRY_CHINA == "156"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Know-how"),
        ("en_GB", "Know-how"),
        ("EN", "Know-how"),
        ("zh", "技术秘密"),
        ("zh_CN", "技术秘密"),
        ("", "技术秘密"),
        (None, "技术秘密"),
    ],
)
def test_label_for_locale(locale, expected):
    assert Label("技术秘密", "Know-how").for_locale(locale) == expected


@pytest.mark.parametrize(
    ("category", "subtype", "expected"),
    [
        ("transfer", "know_how", "技术秘密转让"),
        ("licensing", "know_how_license", "技术秘密使用许可"),
        ("development", "know_how", None),
        ("unknown", "know_how", None),
        (None, None, None),
    ],
)
def test_subtype_label(category, subtype, expected):
    label = subtype_label(category, subtype)
    assert (label.zh if label else None) == expected


@pytest.mark.parametrize(
    ("subtype", "category"),
    [
        ("know_how", "transfer"),
        ("equity", None),
        ("training", "service"),
        ("consultation", "consultation"),
        ("bogus", None),
    ],
)
def test_category_of_subtype(subtype, category):
    assert category_of_subtype(subtype) == category


def test_hong_kong_macao_taiwan_and_wholly_foreign_natures_are_in_the_catalogue():
    assert catalogue.PARTY_NATURES["230"].zh == "港、澳、台商独资经营企业"
    assert catalogue.PARTY_NATURES["330"].zh == "外资企业"
    assert "999" not in catalogue.PARTY_NATURES


# ---- refusal grounds per rule set (DOMAIN.md §4, §12) ----------------------------------------------------------


def test_the_2001_rules_offer_the_eleven_grounds_of_domain_section_4_all_confirmed():
    assert MOST_2000.refusal_ground_codes == tuple(
        CODE_LISTS["REFUSAL_GROUNDS"][:5] + CODE_LISTS["REFUSAL_GROUNDS"][6:]
    )
    assert len(MOST_2000.refusal_grounds) == 11 and MOST_2000.refusal_grounds_confirmed
    assert "terms_unclear" not in MOST_2000.accepted_refusal_codes


def test_the_2026_rules_offer_a_shorter_list_marked_unconfirmed():
    codes = MIIT_2026.refusal_ground_codes
    assert len(codes) == 9 and len(codes) < len(MOST_2000.refusal_ground_codes)
    assert "terms_unclear" in codes and "subject_unclear" not in codes
    assert not MIIT_2026.refusal_grounds_confirmed
    assert all(not ground.confirmed for ground in MIIT_2026.refusal_grounds)
    # the merged item accepts the 2001 rules' finer codes as its detail (API.md's example sends subject_unclear)
    assert {"parties_unclear", "subject_unclear", "price_unclear"} <= MIIT_2026.accepted_refusal_codes


def test_every_ground_of_every_rule_set_is_a_known_code_and_the_union_is_the_catalogue():
    union = set().union(*(rule_set.accepted_refusal_codes for rule_set in RULE_SETS))
    assert union == set(catalogue.REFUSAL_GROUNDS)
    assert accepted_refusal_codes(None) == frozenset(catalogue.REFUSAL_GROUNDS)  # an unknown rule set reads all


def test_the_amendment_period_is_rule_set_data():
    assert amendment_days(MOST_2000) == MOST_2000.amendment_days == 15
    assert amendment_days(MIIT_2026) == MIIT_2026.amendment_days
    assert amendment_days(None) == 15


# ---- customs country codes (DOMAIN.md §12) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "customs"),
    [
        ("156", "142"),
        ("344", "110"),
        ("446", "121"),
        ("158", "143"),
        ("392", "116"),
        ("410", "133"),
        ("702", "132"),
        ("840", "502"),
        ("276", "304"),
        ("250", "305"),
        ("826", "303"),
        ("643", "344"),
        ("124", "501"),
        ("036", "601"),
        ("36", "601"),
        ("756", "331"),
        ("999", ""),
        (None, ""),
    ],
)
def test_customs_code_from_iso(iso, customs):
    assert customs_code(iso) == customs


def test_customs_table_is_one_to_one_and_marks_what_was_not_verified():
    assert len({country.customs for country in CUSTOMS_COUNTRIES.values()}) == len(CUSTOMS_COUNTRIES)
    assert not CUSTOMS_COUNTRIES["356"].verified and CUSTOMS_COUNTRIES["156"].verified
    assert all(country.name.zh and country.name.en for country in CUSTOMS_COUNTRIES.values())
