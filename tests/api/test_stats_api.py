"""GET /api/v1/stats: decisions show up at once, stations see their own, CSV and XLSX carry the same table."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from app.domain.clock import today_local


@pytest.fixture
def reviewer(make_account, api_as):
    return api_as(make_account("reviewer", station_code="130402"))


@pytest.fixture
def bureau(make_account, api_as):
    return api_as(make_account("bureau"))


def act(client, contract_id, action, body):
    response = client.post(f"/api/v1/contracts/{contract_id}/{action}", json=body)
    assert response.status_code == 200, response.json
    return response


def register(reviewer, contract_id, amount="1080000.00"):
    act(reviewer, contract_id, "accept", {})
    act(
        reviewer,
        contract_id,
        "register",
        {"category": "development", "subtype": "commissioned", "certified_technical_amount": amount},
    )


def by_code(document, dimension):
    return {row[dimension]: row for row in document["rows"]}


def test_registration_change_and_revocation_show_at_once(reviewer, bureau, file_contract):
    year = today_local().year
    first, second = file_contract(), file_contract(title="第二份合同")
    register(reviewer, first)
    register(reviewer, second)
    url = f"/api/v1/stats?year={year}&group_by=category"
    development = by_code(bureau.get(url).json, "category")["development"]
    assert development["count"] == 2 and development["labels"]["category"] == "技术开发"
    assert development["amount"] == "2500000.00" and development["technical_amount"] == "2160000.00"

    act(reviewer, first, "change", {"certified_technical_amount": "900000.00", "reason": "核减"})
    assert by_code(bureau.get(url).json, "category")["development"]["technical_amount"] == "1980000.00"

    act(reviewer, second, "revoke", {"reason": "提供虚假材料"})
    document = bureau.get(url).json
    assert by_code(document, "category")["development"]["count"] == 1
    assert document["totals"]["count"] == 1 and document["totals"]["technical_amount"] == "900000.00"
    assert by_code(document, "category")["service"]["count"] == 0  # every category is listed


def test_flows_read_the_seller_or_the_buyer(reviewer, bureau, file_contract):
    register(reviewer, file_contract())
    year = today_local().year
    output = bureau.get(f"/api/v1/stats?year={year}&group_by=area&flow=output").json
    absorption = bureau.get(f"/api/v1/stats?year={year}&group_by=province,nature&flow=absorption").json
    assert [row["area"] for row in output["rows"]] == ["130402"]
    assert output["rows"][0]["labels"]["area"] == "河北省邯郸市邯山区"
    assert [(row["province"], row["nature"]) for row in absorption["rows"]] == [("440000", "160")]
    assert absorption["rows"][0]["labels"] == {"province": "广东省", "nature": "股份有限公司"}


def test_stations_see_their_own(make_account, api_as, reviewer, bureau, file_contract):
    register(reviewer, file_contract())
    year = today_local().year
    other = api_as(make_account("reviewer", station_code="130403"))
    assert reviewer.get(f"/api/v1/stats?year={year}").json["totals"]["count"] == 1
    assert reviewer.get(f"/api/v1/stats?year={year}").json["station"] == "130402"
    assert other.get(f"/api/v1/stats?year={year}").json["totals"]["count"] == 0
    assert other.get(f"/api/v1/stats?year={year}&station=130402").status_code == 404
    assert bureau.get(f"/api/v1/stats?year={year}&station=130403").json["totals"]["count"] == 0
    assert (
        bureau.get(f"/api/v1/stats?year={year}&station=130402&group_by=station").json["rows"][0]["station"] == "130402"
    )
    assert bureau.get(f"/api/v1/stats?year={year}&station=999999").status_code == 404


def test_csv_and_xlsx_carry_the_same_table(reviewer, bureau, file_contract):
    register(reviewer, file_contract())
    year = today_local().year
    response = bureau.get(f"/api/v1/stats?year={year}&group_by=category&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f"tcr-stats-{year}-output-category.csv" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[1][:4] == ["合同类别（代码）", "合同类别", "登记数", "成交额（元）"]
    assert rows[2][:5] == ["development", "技术开发", "1", "1250000.00", "1080000.00"]
    assert rows[-1][0] == "合计" and rows[-1][2:5] == ["1", "1250000.00", "1080000.00"]

    workbook = bureau.get(f"/api/v1/stats?year={year}&group_by=category&format=xlsx")
    assert workbook.status_code == 200 and workbook.mimetype.endswith("spreadsheetml.sheet")
    with zipfile.ZipFile(io.BytesIO(workbook.data)) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode("utf-8")
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "技术开发" in strings and "合计" in strings
    assert "<v>1250000</v>" in sheet and "<v>1080000</v>" in sheet


def test_bad_queries_are_refused_with_field_errors(bureau):
    unknown = bureau.get("/api/v1/stats?group_by=colour")
    assert unknown.status_code == 422 and unknown.json["errors"][0]["field"] == "group_by"
    assert bureau.get("/api/v1/stats?year=1800").status_code == 422
    assert bureau.get("/api/v1/stats?flow=inward").status_code == 422
    assert bureau.get("/api/v1/stats?format=pdf").status_code == 422
    assert bureau.get("/api/v1/stats?colour=red").status_code == 422
    assert bureau.get("/api/v1/stats?group_by=month,category,station,area").status_code == 422


def test_english_labels_on_request(reviewer, bureau, file_contract):
    register(reviewer, file_contract())
    response = bureau.get("/api/v1/stats?group_by=category", headers={"Accept-Language": "en"})
    assert by_code(response.json, "category")["development"]["labels"]["category"] == "Technology development"
