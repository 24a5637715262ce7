"""The small pieces the pages rely on: money and time display, safe redirects, the form → payload mapping."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.accounts.views import safe_next
from app.filing.schemas import ContractIn
from app.web.forms import layout_for, load_filing, payload_from_values
from app.web.templating import localtime, money
from tests.factories import filing
from tests.web.webtools import form_fields


def test_money_is_grouped_with_two_decimals_and_never_from_a_float():
    assert money(Decimal("1080000.5")) == "1,080,000.50"
    assert money(Decimal("0")) == "0.00" and money(None) == "—"
    assert money(Decimal("999999999999.99")) == "999,999,999,999.99"
    with pytest.raises(TypeError):
        money(1080000.5)


def test_times_are_shown_in_shanghai():
    assert localtime(datetime(2026, 3, 1, 16, 30, tzinfo=UTC)) == "2026-03-02 00:30"


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/contracts", "/contracts"),
        ("/contracts/3?x=1#attachments", "/contracts/3?x=1#attachments"),
        ("//evil.example", None),
        ("https://evil.example", None),
        ("\\\\evil.example", None),
        ("/\\evil", None),
        ("/\tevil", None),
        ("evil", None),
        ("", None),
        (None, None),
        ("///evil.example", None),
    ],
)
def test_only_paths_on_this_site_are_followed(target, expected):
    assert safe_next(target) == expected


def test_the_payload_has_exactly_the_schemas_keys_and_empty_inputs_are_none(app):
    with app.test_request_context():
        layout = layout_for("development", "commissioned")
        payload = payload_from_values({"title": " 标题 ", "amount": "", "seller.name": ""}, layout)
        assert set(payload) == {field.data_key or name for name, field in ContractIn().fields.items()}
        assert payload["title"] == "标题" and payload["amount"] is None and payload["license"] is None
        assert payload["seller"]["name"] is None and payload["deductions"] == [] and payload["ip_numbers"] == []
        data, errors = load_filing(payload)
        assert errors == [] and data["category"] == "development"


def test_a_licence_form_round_trips_through_the_schema(app):
    variant = filing(
        category="licensing",
        subtype="patent_license",
        ip_type="invention_patent",
        ip_numbers=["ZL201310699744.2", "200310102344.5"],
        license={"exclusivity": "sole", "territory": "worldwide", "years": 7},
    )
    with app.test_request_context():
        layout = layout_for("licensing", "patent_license")
        values = form_fields(variant)
        values["ip_numbers"] = "ZL201310699744.2，200310102344.5"
        data, errors = load_filing(payload_from_values(values, layout))
    assert errors == []
    assert data["license"] == {"exclusivity": "sole", "territory": "worldwide", "years": 7}
    assert data["ip_numbers"] == ["ZL201310699744.2", "200310102344.5"]
    assert data["deductions"][0]["amount"] == Decimal("170000.00")


def test_a_licence_term_that_is_not_a_number_is_a_field_error(app):
    with app.test_request_context():
        layout = layout_for("licensing", "know_how_license")
        _, errors = load_filing(payload_from_values({"license.years": "五"}, layout))
    assert [(e.field, e.code) for e in errors] == [("license.years", "type.integer")]
