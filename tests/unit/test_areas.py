"""GB/T 2260 division list and app.domain.areas (DOMAIN.md §11)."""

import csv
from collections import Counter

import pytest

from app.domain import areas
from app.domain.areas import Area

HANDAN_CURRENT = {
    "130402": "邯山区",
    "130403": "丛台区",
    "130404": "复兴区",
    "130406": "峰峰矿区",
    "130407": "肥乡区",
    "130408": "永年区",
    "130423": "临漳县",
    "130424": "成安县",
    "130425": "大名县",
    "130426": "涉县",
    "130427": "磁县",
    "130430": "邱县",
    "130431": "鸡泽县",
    "130432": "广平县",
    "130433": "馆陶县",
    "130434": "魏县",
    "130435": "曲周县",
    "130481": "武安市",
}
HANDAN_STATISTICAL = {"130471": "经济技术开发区", "130473": "冀南新区"}
HANDAN_RETIRED = {"130421": "邯郸县", "130428": "肥乡县", "130429": "永年县"}
LANGFANG = {
    "131002": "安次区",
    "131003": "广阳区",
    "131022": "固安县",
    "131023": "永清县",
    "131024": "香河县",
    "131025": "大城县",
    "131026": "文安县",
    "131028": "大厂回族自治县",
    "131081": "霸州市",
    "131082": "三河市",
}
OTHER_CURRENT = {
    "110000": "北京市",
    "120000": "天津市",
    "130000": "河北省",
    "130100": "石家庄市",
    "130400": "邯郸市",
    "131000": "廊坊市",
    "130181": "辛集市",
    "620403": "平川区",
}
DOMAIN_CURRENT = {**HANDAN_CURRENT, **LANGFANG, **OTHER_CURRENT}


def _rows():
    with areas.DATA_FILE.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["code", "name", "parent", "level", "status"]
        return list(reader)


# --- the data file -----------------------------------------------------------


def test_row_count_and_statuses():
    rows = _rows()
    assert len(rows) > 3000
    by_status = Counter(r["status"] for r in rows)
    assert set(by_status) == {"current", "statistical", "retired"}
    assert by_status["current"] > 3000
    by_level = Counter(r["level"] for r in rows if r["status"] == "current")
    assert by_level["province"] == 34
    assert 300 < by_level["city"] < 400
    assert by_level["county"] > 2800


def test_codes_six_digits_unique_sorted():
    codes = [r["code"] for r in _rows()]
    assert all(len(c) == 6 and c.isascii() and c.isdigit() for c in codes)
    assert len(codes) == len(set(codes))
    assert codes == sorted(codes)


def test_every_parent_exists_and_levels_consistent():
    rows = {r["code"]: r for r in _rows()}
    for code, r in rows.items():
        assert r["name"].strip() == r["name"] and r["name"], code
        if r["level"] == "province":
            assert code.endswith("0000") and r["parent"] == "", code
            continue
        parent = rows.get(r["parent"])
        assert parent is not None, code
        assert r["parent"][:2] == code[:2], code
        if r["level"] == "city":
            assert code.endswith("00") and parent["level"] == "province", code
        else:
            assert r["level"] == "county", code
            assert parent["level"] in ("province", "city"), code


def test_municipality_districts_hang_off_the_province():
    assert areas.area("110101").parent == "110000"
    assert areas.area("120116").parent == "120000"
    assert areas.area("110100") is None  # no placeholder city level


# --- DOMAIN §11 ----------------------------------------------------------------


@pytest.mark.parametrize("code,name", sorted(DOMAIN_CURRENT.items()))
def test_domain_current_codes(code, name):
    a = areas.area(code)
    assert a is not None and a.name == name and a.status == "current"
    assert areas.is_known(code) and areas.is_current(code)


@pytest.mark.parametrize("code,name", sorted(HANDAN_STATISTICAL.items()))
def test_domain_statistical_codes(code, name):
    a = areas.area(code)
    assert a == Area(code, name, "130400", "county", "statistical")
    assert areas.is_known(code) and not areas.is_current(code)


@pytest.mark.parametrize("code,name", sorted(HANDAN_RETIRED.items()))
def test_domain_retired_codes(code, name):
    a = areas.area(code)
    assert a == Area(code, name, "130400", "county", "retired")
    assert areas.is_known(code) and not areas.is_current(code)


def test_levels_and_parents_of_domain_codes():
    assert areas.area("130000") == Area("130000", "河北省", None, "province", "current")
    assert areas.area("130400") == Area("130400", "邯郸市", "130000", "city", "current")
    assert areas.area("130402").parent == "130400"
    assert areas.area("131082").parent == "131000"
    assert areas.area("130181").parent == "130100"
    assert areas.area("620403").parent == "620400"


# --- API -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "code,expected",
    [
        ("130402", "河北省邯郸市邯山区"),
        ("130481", "河北省邯郸市武安市"),
        ("130471", "河北省邯郸市经济技术开发区"),
        ("130421", "河北省邯郸市邯郸县"),
        ("131028", "河北省廊坊市大厂回族自治县"),
        ("130181", "河北省石家庄市辛集市"),
        ("620403", "甘肃省白银市平川区"),
        ("130400", "河北省邯郸市"),
        ("130000", "河北省"),
        ("110101", "北京市东城区"),
        ("120116", "天津市滨海新区"),
        ("429004", "湖北省仙桃市"),
        ("999999", "999999"),
        ("abc", "abc"),
    ],
)
def test_full_name(code, expected):
    assert areas.full_name(code) == expected


def test_children_of_handan():
    kids = areas.children(areas.HANDAN)
    codes = [a.code for a in kids]
    assert codes == sorted(set(HANDAN_CURRENT) | set(HANDAN_STATISTICAL))
    assert all(a.parent == "130400" and a.level == "county" for a in kids)
    with_retired = {a.code for a in areas.children("130400", include_retired=True)}
    assert with_retired == set(codes) | set(HANDAN_RETIRED)


def test_handan_counties():
    hc = areas.handan_counties()
    assert areas.HANDAN == "130400"
    assert {a.code: a.name for a in hc if a.status == "current"} == HANDAN_CURRENT
    assert {a.code: a.name for a in hc if a.status == "statistical"} == HANDAN_STATISTICAL
    assert len(hc) == 20 and not any(a.status == "retired" for a in hc)


def test_children_of_province_and_municipality():
    hebei = {a.code for a in areas.children("130000")}
    assert {"130100", "130400", "131000"} <= hebei
    assert all(a.level == "city" for a in areas.children("130000") if a.code != "133100")
    beijing = areas.children("110000")
    assert len(beijing) == 16 and all(a.level == "county" for a in beijing)
    assert {a.code for a in areas.children("131000") if a.status == "current"} == set(LANGFANG)


@pytest.mark.parametrize("code", ["999999", "130499", "000000", "", "13040", "1304000", "13O400", None, 130400])
def test_unknown_codes(code):
    assert areas.area(code) is None
    assert not areas.is_known(code)
    assert not areas.is_current(code)
    assert areas.children(code) == []


def test_province_of():
    assert areas.province_of("130402") == "130000"
    assert areas.province_of("110101") == "110000"
    assert areas.province_of("130000") == "130000"
    assert areas.province_of("999999") == "990000"
    with pytest.raises(ValueError):
        areas.province_of("1304")


def test_is_beijing_tianjin():
    assert areas.is_beijing_tianjin("110000")
    assert areas.is_beijing_tianjin("110105")
    assert areas.is_beijing_tianjin("120116")
    assert not areas.is_beijing_tianjin("130402")
    assert not areas.is_beijing_tianjin("131082")
    assert not areas.is_beijing_tianjin("11")
    assert not areas.is_beijing_tianjin(None)


def test_in_province():
    assert areas.in_province("130402", "130000")
    assert areas.in_province("130421", "130000")
    assert not areas.in_province("620403", "130000")
    assert not areas.in_province("bogus", "130000")
    with pytest.raises(ValueError):
        areas.in_province("130402", "130400")


def test_area_is_frozen_and_cached():
    a = areas.area("130402")
    with pytest.raises(AttributeError):
        a.name = "x"  # type: ignore[misc]
    assert areas.area("130402") is a
    assert areas.area(" 130402 ") is a
