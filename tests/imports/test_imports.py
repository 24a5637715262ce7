"""The bureau imports another registry's registrations (a CSV in TCR's own export layout) for the absorption
statistics: Handan buyers only, idempotent by source and number, every row answered; the output tables never move."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain.clock import today_local
from app.extensions import db
from app.models import ImportedRegistration
from app.statistics.services.stats import Figures, StatsQuery, compute
from tests.imports.helpers import TIANJIN_SELLER, as_from_beijing, read_export, write_export

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
TODAY = today_local()


@pytest.fixture
def local_number(api, api_as, make_account, file_contract) -> str:
    """One local registration (seller in 130402, buyer in Shenzhen)."""
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    contract_id = file_contract(title="余热回收技术开发")
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
    return reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).json["registration_number"]


@pytest.fixture
def exported(local_number, api_as, make_account) -> list[dict]:
    """The local registry's tax export (CSV) of today, read back as rows."""
    tax = api_as(make_account("tax", area_codes=("130402",)))
    response = tax.get(f"/api/v1/tax/exports?from={TODAY.isoformat()}&to={TODAY.isoformat()}&format=csv")
    assert response.status_code == 200
    rows = read_export(response.get_data())
    assert [row["registration_number"] for row in rows] == [local_number]
    return rows


@pytest.fixture
def bureau(api_as, make_account):
    return api_as(make_account("bureau"))


def upload(client, data: bytes, source: str = "beijing", name: str = "beijing.csv"):
    return client.post(
        "/api/v1/imports/registrations",
        data={"source": source, "registry": "北京技术市场管理办公室", "file": (io.BytesIO(data), name)},
        headers={"Accept-Language": "zh-CN"},
    )


def _tables(app, year: int) -> dict:
    with app.app_context():
        return {
            "source": compute(StatsQuery(year, ("source",), "absorption")),
            "province": compute(StatsQuery(year, ("province",), "absorption")),
            "output": compute(StatsQuery(year, ("category",), "output")),
            "output_source": compute(StatsQuery(year, ("source",), "output")),
        }


def _row(table, key, code):
    return next((row.figures for row in table.rows if row.keys[key] == code), Figures())


def test_an_export_of_beijing_is_absorbed_and_the_output_tables_do_not_move(app, exported, bureau):
    before = _tables(app, TODAY.year)
    rows = [
        as_from_beijing(exported[0], "2026110108000101", "500000.00", "450000.00"),
        as_from_beijing(exported[0], "2026110108000102", "300000.00", "300000.00", buyer_area="130481"),
    ]
    response = upload(bureau, write_export(rows))
    assert response.status_code == 201, response.json
    body = response.json
    assert [(r["row"], r["status"]) for r in body["rows"]] == [(3, "imported"), (4, "imported")]
    assert (body["imported"], body["rejected"], body["source"]) == (2, 0, "beijing")

    after = _tables(app, TODAY.year)
    beijing = _row(after["source"], "source", "beijing")
    assert (beijing.count, beijing.amount, beijing.technical_amount) == (2, Decimal("800000.00"), Decimal("750000.00"))
    assert _row(after["source"], "source", "local") == _row(before["source"], "source", "local")
    hebei_gain = _row(after["province"], "province", "130000").technical_amount
    assert hebei_gain - _row(before["province"], "province", "130000").technical_amount == Decimal("750000.00")
    assert after["output"].totals == before["output"].totals  # the local registry's own tables: untouched
    assert after["output_source"].totals == before["output_source"].totals

    figures = bureau.get(f"/api/v1/imports/absorption?year={TODAY.year}").json
    by_source = {item["source"]: item for item in figures["by_source"]}
    assert by_source["beijing"]["technical_amount"] == "750000.00"
    assert figures["imported"] == {"count": 2, "amount": "800000.00", "technical_amount": "750000.00"}
    assert figures["beijing_tianjin"] == figures["imported"]
    counties = {item["area_code"]: item for item in figures["by_county"]}
    assert counties["130481"]["by_source"]["beijing"]["amount"] == "300000.00"
    assert counties["130403"]["name"] == "丛台区"


def test_importing_again_keeps_or_updates_and_never_duplicates(app, exported, bureau):
    first = write_export([as_from_beijing(exported[0], "2026110108000101", "500000.00", "450000.00")])
    assert upload(bureau, first).json["rows"][0]["status"] == "imported"
    assert upload(bureau, first).json["rows"][0]["status"] == "unchanged"
    changed = write_export([as_from_beijing(exported[0], "2026110108000101", "600000.00", "450000.00")])
    assert upload(bureau, changed).json["rows"][0]["status"] == "updated"
    # the same number from another registry is another registration
    assert upload(bureau, changed, source="tianjin").json["rows"][0]["status"] == "imported"
    with app.app_context():
        stored = db.session.scalars(select(ImportedRegistration).order_by(ImportedRegistration.source)).all()
        assert [(r.source, r.amount) for r in stored] == [
            ("beijing", Decimal("600000.00")),
            ("tianjin", Decimal("600000.00")),
        ]
    batches = bureau.get("/api/v1/imports/batches").json["items"]
    assert [(b["imported"], b["updated"], b["unchanged"]) for b in batches] == [
        (1, 0, 0),
        (0, 1, 0),
        (0, 0, 1),
        (1, 0, 0),
    ]


def test_bad_rows_are_rejected_with_their_findings_and_store_nothing(app, exported, local_number, bureau):
    good = as_from_beijing(exported[0], "2026120116000001", "200000.00", "150000.00")
    good["seller_credit_code"], good["seller_area"] = TIANJIN_SELLER, "120116"
    rows = [
        {**good, "registration_number": "2026110108000201", "seller_credit_code": "91110108MA00000000"},
        {**good, "registration_number": "2026110108000202", "buyer_area": "110105"},
        {**good, "registration_number": local_number},
        {**good, "registration_number": "2026110108000204", "certified_technical_amount": "200000.01"},
        {**good, "registration_number": "2026110108000205", "category": "research"},
        {**good, "registration_number": "2026110108000206", "registered_on": "2026-13-01", "amount": "-5.00"},
        good,
    ]
    body = upload(bureau, write_export(rows)).json
    outcome = {r["registration_number"]: (r["status"], [f["code"] for f in r["findings"]]) for r in body["rows"]}
    assert outcome == {
        "2026110108000201": ("rejected", ["credit_code.invalid"]),
        "2026110108000202": ("rejected", ["buyer.not_home_city"]),
        local_number: ("rejected", ["registration_number.local"]),
        "2026110108000204": ("rejected", ["amount.technical_exceeds"]),
        "2026110108000205": ("rejected", ["category.unknown"]),
        "2026110108000206": ("rejected", ["date.format", "amount.range"]),
        "2026120116000001": ("imported", []),
    }
    buyer = next(r for r in body["rows"] if r["registration_number"] == "2026110108000202")
    assert buyer["findings"][0]["message"] == "买方不在邯郸市。"
    with app.app_context():
        assert db.session.scalars(select(ImportedRegistration.registration_number)).all() == ["2026120116000001"]
    figures = bureau.get(f"/api/v1/imports/absorption?year={TODAY.year}").json
    assert figures["beijing_tianjin"]["technical_amount"] == "150000.00"  # a Tianjin seller counts too


def test_gb18030_files_and_files_with_only_the_key_header_are_read(app, exported, bureau):
    record = as_from_beijing(exported[0], "2026110108000301", "100000.00", "100000.00")
    text = write_export([record], headers=False).decode("utf-8-sig")
    response = upload(bureau, text.encode("gb18030"))
    assert response.status_code == 201, response.json
    assert response.json["rows"][0]["status"] == "imported"
    with app.app_context():
        assert db.session.scalar(select(ImportedRegistration.buyer_name)) == "邯郸某钢铁有限公司"


def test_whole_file_refusals(app, bureau):
    assert upload(bureau, b"\xff\xfe\x00garbage\x81").status_code == 422
    missing = upload(bureau, b"registration_number,status\r\n2026110108000101,registered\r\n")
    assert missing.status_code == 422
    assert missing.json["errors"][0]["code"] == "file.columns"
    app.config.update(MAX_UPLOAD_BYTES=1024)  # the import's limit is the smaller of 5 MiB and the upload limit
    assert upload(bureau, b"x" * 1025).status_code == 413
    assert upload(bureau, write_export([]), source="mars").status_code == 422


def test_absorption_counts_equal_direct_counts(app, exported, bureau):
    """The union query against sums taken directly from the two tables."""
    rows = [as_from_beijing(exported[0], f"20261101080004{i:02d}", f"{i}0000.00", f"{i}0000.00") for i in range(1, 6)]
    rows[1]["status"] = "cancelled"
    assert upload(bureau, write_export(rows)).status_code == 201
    with app.app_context():
        table = compute(StatsQuery(TODAY.year, ("source", "category"), "absorption"))
        imported = db.session.execute(
            select(func.count(), func.sum(ImportedRegistration.amount)).where(
                ImportedRegistration.status == "registered"
            )
        ).one()
        figures = [row.figures for row in table.rows if row.keys["source"] == "beijing"]
        assert sum(f.count for f in figures) == imported[0] == 4
        assert sum(f.amount for f in figures) == Decimal(imported[1]) == Decimal("130000.00")
