"""Batch filing through the API: the template, a workbook of good and bad rows, and files that are not workbooks."""

from __future__ import annotations

import io
import zipfile

from app.filing.services.batch_template import CODES_SHEET, GUIDE_SHEET, SHEETS, sheet_key
from app.filing.services.xlsx_reader import read_workbook
from tests.factories import MINIMAL_PDF, filing
from tests.filing.batch_workbooks import Formula, column, workbook

BATCH = "/api/v1/contracts/batch"


def upload(api, data: bytes, name: str = "contracts.xlsx", **headers):
    return api.post(BATCH, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data", headers=headers)


def contract_count(api) -> int:
    return len(api.get("/api/v1/contracts?limit=200").json["items"])


def test_the_template_has_the_sheets_headers_and_drop_down_lists(api):
    response = api.get(f"{BATCH}/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    book = archive.read("xl/workbook.xml").decode()
    for name in [*(s.name for s in SHEETS), GUIDE_SHEET, CODES_SHEET]:
        assert f'name="{name}"' in book
    sheets = read_workbook(response.data, sheet_key, 10**7, 10)
    assert [c.value for c in sheets["contracts"][0][1].values()][:4] == [
        "合同编号 ref",
        "合同名称 title",
        "合同类别 category",
        "合同子类 subtype",
    ]
    contracts_sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert 'type="list"' in contracts_sheet and 'sqref="C2:C2002"' in contracts_sheet  # the category column
    codes = archive.read("xl/sharedStrings.xml").decode()
    assert "development 技术开发" in codes and "130402 河北省邯郸市邯山区" in codes and "150 有限责任公司" in codes


def _mixed(row_edits: dict) -> bytes:
    """Seven contracts: C001 and C007 good, each of the others broken in one way."""
    filings = [
        filing(title="好合同一"),
        filing(title="类别错误", category="nonsense"),
        filing(title="缺少卖方", seller=None),
        filing(title="信用代码错误", seller={**filing()["seller"], "credit_code": "123"}),
        filing(title="含公式"),
        filing(title="长" * 301),
        filing(title="好合同二", deductions=[], technical_amount=None),
    ]

    def edit(sheet, ref, row):
        if (sheet, ref) in row_edits:
            row_edits[(sheet, ref)](row)

    orphan = ["C999", "buyer", "无主买方", "9144030071526726XG", "", "440300", "160", ""]
    return workbook(filings, edit=edit, extra_parties=[orphan])


def _formula_amount(row):
    row[column("contracts", "amount")] = Formula("=1000000+250000", "1250000")


def test_a_mixed_workbook_creates_exactly_the_good_rows_and_answers_per_row(api):
    before = contract_count(api)
    response = upload(api, _mixed({("contracts", "C005"): _formula_amount}))
    assert response.status_code == 200, response.json
    rows = response.json["rows"]
    assert [(r["sheet"], r["row"], r["ref"], r["status"]) for r in rows] == [
        ("contracts", 2, "C001", "created"),
        ("contracts", 3, "C002", "rejected"),
        ("contracts", 4, "C003", "rejected"),
        ("contracts", 5, "C004", "rejected"),
        ("contracts", 6, "C005", "rejected"),
        ("contracts", 7, "C006", "rejected"),
        ("contracts", 8, "C007", "created"),
        ("parties", 15, None, "rejected"),
    ]
    codes = {r["ref"] or r["sheet"]: {(f["code"], f["field"]) for f in r["findings"]} for r in rows}
    assert ("code.unknown", "category") in codes["C002"]
    assert ("required", "seller.name") in codes["C003"]
    assert ("credit_code.malformed", "seller.credit_code") in codes["C004"]
    assert codes["C005"] == {("batch.formula", "amount")}
    assert ("text.too_long", "title") in codes["C006"]
    assert codes["parties"] == {("batch.unknown_contract_ref", "contract_ref")}
    # the malformed credit code is pointed at the party's own row (C004 seller is row 7 of the parties sheet)
    bad_code = next(f for f in rows[3]["findings"] if f["code"] == "credit_code.malformed")
    assert (bad_code["sheet"], bad_code["row"]) == ("parties", 7)
    # exactly the good rows are stored, whole, as drafts awaiting their contract text
    assert contract_count(api) == before + 2
    first = api.get(f"/api/v1/contracts/{rows[0]['id']}").json
    assert (first["status"], first["title"], first["amount"]) == ("draft", "好合同一", "1250000.00")
    assert first["seller"]["credit_code"] == "91330100716105852F" and first["buyer"]["area_code"] == "440300"
    assert [d["amount"] for d in first["deductions"]] == ["170000.00"]
    assert {f["code"] for f in rows[0]["findings"] if f["severity"] == "error"} == {
        "attachments.contract_text_required"
    }
    second = api.get(f"/api/v1/contracts/{rows[6]['id']}").json
    assert second["deductions"] == [] and second["technical_amount"] == "1250000.00"


def test_a_created_draft_is_submitted_once_its_contract_text_is_attached(api):
    row = upload(api, workbook([filing()])).json["rows"][0]
    url = f"/api/v1/contracts/{row['id']}"
    api.post(f"{url}/attachments", data={"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")})
    assert api.post(f"{url}/submit", json={}).json["status"] == "submitted"


def test_findings_come_in_the_requests_language(api):
    data = _mixed({})
    zh = upload(api, data).json["rows"][1]["findings"][0]["message"]
    en = upload(api, data, **{"Accept-Language": "en"}).json["rows"][1]["findings"][0]["message"]
    assert zh == "代码不在代码表中。"
    assert en == "Unknown code."
    rule_zh = upload(api, data).json["rows"][2]["findings"][0]["message"]
    rule_en = upload(api, data, **{"Accept-Language": "en"}).json["rows"][2]["findings"][0]["message"]
    assert "卖方" in rule_zh and "seller" in rule_en.lower()


def test_chinese_names_and_dates_typed_as_dates_are_read(api):
    def edit(sheet, ref, row):
        if sheet == "contracts":
            row[column("contracts", "category")] = "技术开发"
            row[column("contracts", "subtype")] = "commissioned 委托开发"
            row[column("contracts", "signed_on")] = row[column("contracts", "signed_on")].replace("-", "/")
            row[column("contracts", "amount")] = "1,250,000"

    row = upload(api, workbook([filing()], edit=edit)).json["rows"][0]
    assert row["status"] == "created", row
    got = api.get(f"/api/v1/contracts/{row['id']}").json
    assert (got["category"], got["subtype"], got["amount"]) == ("development", "commissioned", "1250000.00")


def test_a_file_that_is_not_a_workbook_is_refused_by_its_content(api):
    pdf = upload(api, MINIMAL_PDF, name="contracts.xlsx")
    assert pdf.status_code == 415
    assert pdf.mimetype == "application/problem+json"
    assert pdf.json["errors"][0]["code"] == "batch.not_xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert upload(api, buffer.getvalue()).status_code == 415
    broken = upload(api, b"PK\x03\x04" + b"\x00" * 100)
    assert broken.status_code == 415


def test_huge_row_counts_and_sizes_are_refused_and_store_nothing(app, api):
    before = contract_count(api)
    app.config["BATCH_MAX_ROWS"] = 5
    response = upload(api, workbook([filing(title=f"第{i}份") for i in range(6)]))
    assert response.status_code == 422
    assert response.json["errors"][0]["code"] == "batch.too_many_rows"
    assert contract_count(api) == before
    app.config["BATCH_MAX_ROWS"], app.config["BATCH_MAX_BYTES"] = 2000, 1024
    assert upload(api, workbook([filing()])).status_code == 413


def test_a_workbook_without_the_contracts_sheet_or_with_unknown_columns_is_refused(api):
    data = workbook([filing()])
    renamed = _rezip(data, b"\xe5\x90\x88\xe5\x90\x8c contracts", b"Sheet9")  # 合同 contracts → Sheet9
    response = upload(api, renamed)
    assert response.status_code == 422
    assert response.json["errors"][0]["code"] == "batch.no_contracts_sheet"
    unknown = upload(api, _rezip(data, "合同名称 title".encode(), "标题 headline".encode()))
    assert unknown.status_code == 422
    assert unknown.json["errors"][0]["code"] == "batch.unknown_column" and "标题 headline" in unknown.json["detail"]


def _rezip(data: bytes, old: bytes, new: bytes) -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info).replace(old, new))
    return target.getvalue()
