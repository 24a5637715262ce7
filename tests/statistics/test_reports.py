"""Reports upward: the national tables agree with the annual tables and with direct counts; a frozen year keeps its
signed figures while the registry moves on, and lists what changed; the upload file resumes by cursor."""

from __future__ import annotations

import base64
import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select, text, update

from app.demo import synth
from app.domain.clock import today_local
from app.extensions import db
from app.models import Contract
from app.statistics.services import freeze, reports, stats_facts
from app.statistics.services.annual import annual_tables
from tests.factories import filing

YEAR = 2025
REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}


@pytest.fixture
def registry(app):
    """Synthetic registrations over 2024–2026, a few of them cancelled (not counted)."""
    with app.app_context():
        synth.generate(240, seed=5, batch=120)
        ids = db.session.scalars(select(Contract.id).order_by(Contract.id)).all()
        db.session.execute(update(Contract).where(Contract.id.in_(ids[4::23])).values(status="cancelled"))
        stats_facts.rebuild()
        db.session.commit()
    return app


def _direct(condition: str, last: date) -> tuple[int, Decimal]:
    row = db.session.execute(
        text(f"""SELECT count(*), sum(round(c.amount * 100)) FROM contracts c
                 WHERE c.status = 'registered' AND c.registered_on BETWEEN :first AND :last AND ({condition})"""),
        {"first": date(YEAR, 1, 1), "last": last},
    ).one()
    return row[0], Decimal(int(row[1] or 0)) / 100


def test_the_report_holds_the_annual_tables_and_a_quarter_is_cumulative(registry):
    with registry.app_context():
        report = freeze.report_for(YEAR, None)
        expected = annual_tables(YEAR, None)
        assert [t["number"] for t in report.tables] == [t.number for t in expected] and len(expected) >= 10
        for doc, table in zip(report.tables, expected):
            assert doc["totals"]["count"] == table.table.totals.count
            assert Decimal(doc["totals"]["technical_amount"]) == table.table.totals.technical_amount
            top = [row for row in doc["rows"] if row["level"] == 0]
            assert [(r["code"], r["count"], Decimal(r["amount"])) for r in top] == [
                (row.keys[table.spec.dimension], row.figures.count, row.figures.amount) for row in table.table.rows
            ]
        by_category = {r["code"]: r for r in report.tables[0]["rows"] if r["level"] == 0}
        for code, row in by_category.items():
            assert (row["count"], Decimal(row["amount"])) == _direct(f"c.category = '{code}'", date(YEAR, 12, 31))
        subtypes = [r for r in report.tables[0]["rows"] if r["parent"] == "development"]
        assert {r["code"] for r in subtypes} <= {"commissioned", "cooperative"} and subtypes

        half = freeze.report_for(YEAR, 2)
        assert half.tables[0]["totals"]["count"] == _direct("1 = 1", date(YEAR, 6, 30))[0]
        assert 0 < half.tables[0]["totals"]["count"] < report.tables[0]["totals"]["count"]
        document = reports.document(half)
        assert document["period"] == {"from": "2025-01-01", "to": "2025-06-30"} and document["source"] == "live"


@pytest.fixture
def registered(api_as, make_account, file_contract):
    """Two registrations today: one sold to a Japanese buyer, one to a domestic one; the reviewer's client."""
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    ids = []
    for title, buyer in (
        ("焦化废水处理技术开发", {**filing()["buyer"], "country": "392", "area_code": None}),
        ("余热回收技术开发", filing()["buyer"]),
    ):
        contract_id = file_contract(title=title, buyer=buyer)
        assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
        response = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER)
        assert response.status_code == 200, response.json
        ids.append(contract_id)
    return ids, reviewer


@pytest.fixture
def bureau(api_as, make_account):
    return api_as(make_account("bureau"))


def _verify(document: dict, pki_dir) -> None:
    root = x509.load_pem_x509_certificate((pki_dir / "root-ca.pem").read_bytes())
    content = reports.signed_content(document["year"], document["quarter"], document["tables"])
    signature = base64.b64decode(document["snapshot"]["signature"])
    root.public_key().verify(signature, content, ec.ECDSA(hashes.SHA256()))


def test_a_frozen_year_answers_its_signed_figures_and_lists_later_changes(registered, bureau, app, pki_dir):
    (first, second), reviewer = registered
    year = today_local().year
    frozen = bureau.post(f"/api/v1/reports/annual/{year}/freeze")
    assert frozen.status_code == 201, frozen.json
    assert len(frozen.json["sha256"]) == 64 and frozen.json["frozen_by"].startswith("bureau")
    assert bureau.post(f"/api/v1/reports/annual/{year}/freeze").status_code == 409

    assert reviewer.post(f"/api/v1/contracts/{first}/cancel", json={"reason": "合同提前终止"}).status_code == 200
    changed = reviewer.post(f"/api/v1/contracts/{second}/change", json={"reason": "金额调整", "amount": "1300000.00"})
    assert changed.status_code == 200, changed.json

    report = bureau.get(f"/api/v1/reports/annual?year={year}").json
    assert report["source"] == "snapshot" and report["snapshot"]["sha256"] == frozen.json["sha256"]
    totals = report["tables"][0]["totals"]
    assert totals["count"] == 2 and totals["amount"] == "2500000.00"  # as frozen, not 1 and 1,300,000.00
    assert [(i["event"], i["amount"]) for i in report["reconciliation"]] == [
        ("cancelled", "1250000.00"),
        ("changed", "1300000.00"),
    ]
    _verify(report, pki_dir)
    tampered = {**report, "tables": [{**report["tables"][0], "totals": {**totals, "count": 3}}, *report["tables"][1:]]}
    with pytest.raises(InvalidSignature):
        _verify(tampered, pki_dir)

    with app.app_context():
        tables, snapshot = freeze.annual_tables_for(year, None)  # the annual page and its PDF
        assert snapshot is not None and tables[0].table.totals.count == 2
        assert annual_tables(year, None)[0].table.totals.count == 1  # the live registry moved on

    workbook = bureau.get(f"/api/v1/reports/annual?year={year}&format=xlsx")
    assert workbook.status_code == 200 and workbook.mimetype.endswith("sheet")
    with zipfile.ZipFile(io.BytesIO(workbook.data)) as book:
        names = book.read("xl/workbook.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "对账" in names and "表1" in names and "技术开发" in strings and "合同数（项）" in strings
    lines = list(csv.reader(io.StringIO(bureau.get(f"/api/v1/reports/annual?year={year}&format=csv").text)))
    assert lines[1][:5] == ["table", "title", "dimension", "flow", "level"]
    assert any(line[:2] == ["reconciliation", report["reconciliation"][0]["registration_number"]] for line in lines)


def test_a_future_year_cannot_be_frozen_and_others_may_not_freeze(bureau, api_as, make_account):
    assert bureau.post(f"/api/v1/reports/annual/{today_local().year + 1}/freeze").status_code == 422
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    assert reviewer.post(f"/api/v1/reports/annual/{YEAR}/freeze").status_code == 403
    assert reviewer.get(f"/api/v1/reports/annual?year={YEAR}").status_code == 403


def test_the_upload_file_resumes_and_carries_changes_with_customs_codes(registered, bureau):
    (first, _second), reviewer = registered
    page = bureau.get("/api/v1/reports/upload?limit=1").json
    assert [item["event"] for item in page["items"]] == ["registered"]
    item = page["items"][0]
    assert item["buyer_country"] == "116" and item["seller_country"] == "142"  # Japan and China, customs codes
    assert item["category_code"] == "1" and item["subtype_name"] == "委托开发" and item["equity"] == "否"
    assert reviewer.post(f"/api/v1/contracts/{first}/cancel", json={"reason": "合同提前终止"}).status_code == 200
    rest = bureau.get(f"/api/v1/reports/upload?after={page['next_cursor']}").json
    assert [i["event"] for i in rest["items"]] == ["registered", "cancelled"]
    assert rest["items"][1]["registration_number"] == item["registration_number"]
    assert bureau.get(f"/api/v1/reports/upload?after={rest['next_cursor']}").json["items"] == []
    assert bureau.get("/api/v1/reports/upload?after=nonsense").status_code == 422
