"""The county assessment pages: the bureau sets every county's target on one form (errors beside their fields,
nothing saved), reads the ranking against the registry's figures, and prints it as a PDF."""

from __future__ import annotations

import subprocess

import pytest

from app.demo import synth
from app.domain.clock import today_local
from app.extensions import db
from app.models import AuditRecord
from app.statistics.services import assessment
from tests.web.test_web_stats import cells
from tests.web.webtools import csrf

YEAR = 2025


@pytest.fixture
def bureau(sign_in, make_account):
    return sign_in(make_account("bureau"))


@pytest.fixture
def synthetic(app):
    with app.app_context():
        synth.generate(240, seed=5, batch=120)
        db.session.commit()


def test_the_bureau_sets_targets_and_reads_the_ranking(app, bureau, synthetic):
    with app.app_context():
        before = {s.area.code: s for s in assessment.assess(YEAR, today_local()).standings}
    growth = before["130426"].growth_rate
    token = csrf(bureau, f"/bureau/assessment/targets?year={YEAR}")
    data = {"csrf_token": token, "year": str(YEAR), "130426-growth_rate": str(growth), "130402-growth_rate": "1000"}
    saved = bureau.post("/bureau/assessment/targets", data=data)
    assert saved.status_code == 302 and f"/bureau/assessment?year={YEAR}" in saved.headers["Location"]
    page = bureau.get(f"/bureau/assessment?year={YEAR}").text
    rows = cells(page, "ranking")
    assert len(rows) == 18
    assert rows["130426"][7] in ("Met", "达标")
    assert rows["130402"][7] in ("Missed", "未达标")
    assert rows["130403"][7] in ("No target set", "未设目标")
    ranks = [int(row[0]) for row in rows.values()]
    assert ranks == sorted(ranks) == list(range(1, 19))  # the table is in rank order
    assert rows["130426"][2] == f"{before['130426'].amount / 10000:,.2f}"
    form = bureau.get(f"/bureau/assessment/targets?year={YEAR}").text
    assert f'value="{growth:.2f}"' in form and 'value="1000.00"' in form


def test_invalid_targets_come_back_beside_their_fields_and_nothing_is_saved(app, bureau):
    token = csrf(bureau, "/bureau/assessment/targets?year=2026")
    data = {
        "csrf_token": token,
        "year": "2026",
        "130402-growth_rate": "15",
        "130403-growth_rate": "2000",
        "130404-growth_rate": "10",
        "130404-target_amount": "-5",
    }
    refused = bureau.post("/bureau/assessment/targets", data=data)
    assert refused.status_code == 422
    assert 'id="130403-growth_rate" name="130403-growth_rate" inputmode="decimal" value="2000"' in refused.text
    assert 'data-code="growth_rate.range"' in refused.text and 'data-code="target_amount.range"' in refused.text
    assert "is-invalid" in refused.text
    with app.app_context():
        assert assessment.targets_for(2026) == {}
        assert not db.session.query(AuditRecord).filter(AuditRecord.object_type == "county_target").count()


def test_the_assessment_prints_as_a_pdf_report(app, bureau, synthetic, tmp_path):
    with app.app_context():
        bureau_user = synth.synth_user()
        assessment.set_targets(bureau_user, YEAR, {"130402": {"growth_rate": "20", "target_amount": "1000000"}})
        db.session.commit()
    page = bureau.get(f"/bureau/assessment?year={YEAR}").text
    assert f"/bureau/assessment/report.pdf?year={YEAR}" in page
    pdf = bureau.get(f"/bureau/assessment/report.pdf?year={YEAR}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    path = tmp_path / "assessment.pdf"
    path.write_bytes(pdf.data)
    extracted = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "邯山区" in extracted and "武安市" in extracted and "20.00%" in extracted


def test_a_nonsense_year_is_not_found(bureau):
    assert bureau.get("/bureau/assessment?year=1800").status_code == 404
    assert bureau.get("/bureau/assessment/targets?year=abc").status_code == 404
