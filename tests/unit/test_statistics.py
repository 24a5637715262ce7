"""The statistics' pure rules: regions, bands, nature groups, comparison periods, percentages; and the charts."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from app.domain.statistics import (
    band_of,
    cents_to_yuan,
    change_percent,
    comparison_cutoff,
    nature_group_of,
    region_of,
    share_percent,
)
from app.statistics import charts


@pytest.mark.parametrize(
    "area, country, region",
    [
        ("130402", "156", "city"),
        ("130471", "156", "city"),
        ("130102", "156", "province"),
        ("110108", "156", "beijing"),
        ("120116", "156", "tianjin"),
        ("440305", "156", "other_province"),
        ("110108", "840", "abroad"),
        (None, "156", "unknown"),
        (None, "392", "abroad"),
    ],
)
def test_regions_seen_from_handan(area, country, region):
    assert region_of(area, country) == region


@pytest.mark.parametrize(
    "amount, band",
    [
        ("0.01", "under_100k"),
        ("99999.99", "under_100k"),
        ("100000.00", "100k_1m"),
        ("999999.99", "100k_1m"),
        ("1000000.00", "1m_10m"),
        ("9999999.99", "1m_10m"),
        ("10000000.00", "major"),
        ("500000000.00", "major"),
    ],
)
def test_amount_bands_put_ten_million_among_the_major_contracts(amount, band):
    assert band_of(Decimal(amount)) == band


def test_nature_groups_follow_the_national_subtotals():
    assert [nature_group_of(c) for c in ("010", "021", "024", "110", "150", "180", "200", "310", "340", "400")] == [
        "010",
        "020",
        "020",
        "100",
        "100",
        "100",
        "200",
        "300",
        "300",
        "400",
    ]
    assert nature_group_of(None) is None


def test_a_year_in_progress_is_compared_with_the_same_period():
    assert comparison_cutoff(2026, date(2026, 11, 29)) == date(2025, 11, 29)
    assert comparison_cutoff(2028, date(2028, 2, 29)) == date(2027, 2, 28)
    assert comparison_cutoff(2025, date(2026, 11, 29)) is None  # a past year: the whole year before


def test_percentages():
    assert change_percent(Decimal("110"), Decimal("100")) == Decimal("10.0")
    assert change_percent(2, 3) == Decimal("-33.3")
    assert change_percent(5, 0) is None
    assert share_percent(1, 3) == Decimal("33.3") and share_percent(1, 0) is None
    assert cents_to_yuan(123456789) == Decimal("1234567.89") and cents_to_yuan(None) == Decimal("0.00")


def test_charts_escape_names_and_scale_to_the_largest_value():
    items = [charts.Item("<script>alert(1)</script>", Decimal("50"), Decimal("100")), charts.Item("乙", Decimal("25"))]
    svg = str(charts.bars(items, "标题 & 说明", "万元", ("2026", "2025")))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "标题 &amp; 说明" in svg
    widths = [float(w) for w in re.findall(r'<rect x="190" y="\d+" width="([\d.]+)"', svg)]
    assert widths == [180.0, 90.0]  # 50 and 25 against last year's 100 over a 360-unit span
    assert str(charts.columns([charts.Item("1月", Decimal(0))], "t", "u", ("a", "b"))).count("<rect") >= 2
    empty = str(charts.share([], "t", "u"))
    assert 'fill="#eef1f5"' in empty  # an empty share bar is drawn grey, not left blank


def test_hong_kong_macao_taiwan_and_wholly_foreign_natures_fold_into_their_groups():
    assert [nature_group_of(c) for c in ("210", "220", "230", "240", "330")] == ["200", "200", "200", "200", "300"]
