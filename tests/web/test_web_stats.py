"""The statistics pages: dashboard figures agree with the registry, goals show progress, the annual tables print
as a PDF, and supervision counts each station's work as a direct SQL count does."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text, update

from app.demo import synth
from app.domain.clock import today_local
from app.extensions import db
from app.models import Contract
from app.statistics.services import stats_facts
from tests.web.webtools import csrf
from tests.web.xlsxtools import sheet_rows

YEAR = 2025


@pytest.fixture
def bureau(sign_in, make_account):
    return sign_in(make_account("bureau"))


@pytest.fixture
def synthetic(app):
    with app.app_context():
        synth.generate(240, seed=5, batch=80)
        db.session.commit()


def cells(page: str, table_id: str) -> dict[str, list[str]]:
    """A table's body rows by data-code: the text of each cell."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    rows = {}
    for code, row in re.findall(r'<tr[^>]*data-code="([^"]*)"[^>]*>(.*?)</tr>', table, re.S):
        rows[code] = [
            " ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
    return rows


def direct_count(app, condition: str, year: int = YEAR) -> int:
    with app.app_context():
        return db.session.execute(
            text(
                "SELECT count(*) FROM contracts c WHERE c.status = 'registered' "
                f"AND c.registered_on BETWEEN '{year}-01-01' AND '{year}-12-31' AND ({condition})"
            )
        ).scalar()


def test_the_dashboard_draws_every_table_and_its_figures_match_the_registry(app, bureau, synthetic):
    page = bureau.get(f"/stats?year={YEAR}")
    assert page.status_code == 200
    html = page.text
    assert html.count("<svg") >= 14 and "cdn" not in html.lower()
    categories = cells(html, "table-category")
    for code in ("development", "transfer", "licensing", "consultation", "service"):
        assert int(categories[code][1]) == direct_count(app, f"c.category = '{code}'"), code
    months = cells(html, "table-month")
    assert int(months["3"][1]) == direct_count(app, f"c.registered_on BETWEEN '{YEAR}-03-01' AND '{YEAR}-03-31'")
    stations = cells(html, "table-station")
    with app.app_context():
        station_id = db.session.execute(text("SELECT id FROM stations WHERE code = '130403'")).scalar()
    assert int(stations["130403"][1]) == direct_count(app, f"c.station_id = {station_id}")
    assert "CSV" in html and f"/stats/download?year={YEAR}&amp;group_by=category&amp;flow=output" in html


def test_a_reviewer_sees_only_their_station(app, sign_in, make_account, synthetic):
    reviewer = sign_in(make_account("reviewer", station_code="130402"))
    page = reviewer.get(f"/stats?year={YEAR}").text
    assert "table-station" not in page  # the table by station means nothing for one station
    with app.app_context():
        station_id = db.session.execute(text("SELECT id FROM stations WHERE code = '130402'")).scalar()
    total = cells(page, "table-category")
    counted = sum(int(row[1]) for row in total.values())
    assert counted == direct_count(app, f"c.station_id = {station_id}")
    assert reviewer.get(f"/stats?year={YEAR}&station=130403").status_code == 404
    assert reviewer.get("/stats?year=19x").status_code == 404


def test_the_download_is_the_api_table(bureau, synthetic):
    url = f"year={YEAR}&group_by=technical_field&flow=output&format=csv"
    page_file = bureau.get(f"/stats/download?{url}")
    assert page_file.status_code == 200 and page_file.mimetype == "text/csv"
    assert "技术领域（代码）" in page_file.data.decode("utf-8-sig")
    assert bureau.get(f"/stats/download?year={YEAR}&group_by=colour").status_code == 422


def test_goals_are_set_checked_and_measured(app, bureau, synthetic):
    today = today_local()
    with app.app_context():
        actual = db.session.execute(
            text(
                "SELECT count(*) FROM contracts WHERE status = 'registered' "
                f"AND registered_on BETWEEN '{today.year}-01-01' AND '{today.year}-12-31'"
            )
        ).scalar()
    bad = bureau.post(
        "/stats/goals",
        data={"year": today.year, "metric": "count", "target": "12.5", "csrf_token": csrf(bureau, "/stats/goals")},
    )
    assert bad.status_code == 422 and "该目标为数量，请填写整数。" in bad.text
    assert 'value="12.5"' in bad.text  # what was typed is kept
    target = actual * 2
    saved = bureau.post(
        "/stats/goals",
        data={
            "year": today.year,
            "metric": "count",
            "target": str(target),
            "note": "规划目标",
            "csrf_token": csrf(bureau, "/stats/goals"),
        },
    )
    assert saved.status_code == 302
    bureau.post(
        "/stats/goals",
        data={
            "year": today.year,
            "metric": "technical_amount",
            "target": "450000",  # 万元, as the form says
            "csrf_token": csrf(bureau, "/stats/goals"),
        },
    )
    dashboard = bureau.get("/stats").text
    goal = re.search(r'<div class="tcr-goal mb-3" data-metric="count">.*?</div>\s*</div>', dashboard, re.S).group(0)
    assert f"{actual:,}" in goal and f"{target:,}" in goal and "50.0%" in goal
    assert 'data-metric="technical_amount"' in dashboard and "450,000.00 万元" in dashboard
    listed = bureau.get("/stats/goals").text
    city = re.search(r'<section class="card tcr-panel mb-4" id="city-goals">.*?</section>', listed, re.S).group(0)
    assert "规划目标" in city and "450,000.00 万元" in city and f"{target:,}" in city


def test_the_annual_tables_print_as_a_pdf(app, bureau, synthetic, tmp_path):
    with app.app_context():  # one of the year's transfers contributed as equity, whatever day the synthesis ran
        transfer = db.session.scalars(
            select(Contract)
            .where(Contract.status == "registered", Contract.category == "transfer")
            .where(Contract.registered_on.between(date(YEAR, 1, 1), date(YEAR, 12, 31)))
            .order_by(Contract.id)
        ).first()
        transfer.contributed_as_equity = True
        stats_facts.refresh_contract(transfer)
        db.session.commit()
    page = bureau.get(f"/stats/annual?year={YEAR}").text
    assert "表1" in page and "表14" in page and "年度技术合同统计表" in page
    table = re.search(r'<section class="mb-4" id="annual-1">.*?</section>', page, re.S).group(0)
    rows = dict(re.findall(r'data-code="(\w+)"[^>]*>\s*<th[^>]*>[^<]*</th>\s*<td class="text-end">(\d+)</td>', table))
    assert int(rows["commissioned"]) == direct_count(app, "c.subtype = 'commissioned'")
    assert int(rows["development"]) == direct_count(app, "c.category = 'development'")
    equity = re.search(r'<section class="mb-4" id="annual-2">.*?</section>', page, re.S).group(0)
    assert "其中技术入股" in equity
    rows = dict(re.findall(r'data-code="(\w+)"[^>]*>\s*<th[^>]*>[^<]*</th>\s*<td class="text-end">(\d+)</td>', equity))
    assert int(rows["equity"]) == direct_count(app, "c.contributed_as_equity AND c.category = 'transfer'") > 0
    pdf = bureau.get(f"/stats/annual.pdf?year={YEAR}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    path = tmp_path / "annual.pdf"
    path.write_bytes(pdf.data)
    extracted = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert f"{YEAR} 年度技术合同统计表" in extracted and "委托开发" in extracted and "合计" in extracted


def test_supervision_counts_each_station_as_sql_does(app, bureau, make_account, api_as, file_contract):
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    registered, refused, amended, waiting = (file_contract(title=f"督导 {i}") for i in range(4))
    for contract_id in (registered, refused, amended):
        assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
    register = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
    reviewer.post(f"/api/v1/contracts/{registered}/register", json=register)
    reviewer.post(
        f"/api/v1/contracts/{refused}/refuse", json={"grounds": ["price_unclear", "other"], "note": "价款不明"}
    )
    due = (today_local() + timedelta(days=10)).isoformat()
    reviewer.post(f"/api/v1/contracts/{amended}/request-amendment", json={"reasons": ["补充附件"], "due_on": due})
    with app.app_context():
        db.session.execute(
            update(Contract).where(Contract.id == waiting).values(due_on=today_local() - timedelta(days=3))
        )
        db.session.commit()
    page = bureau.get("/stats/supervision").text
    row = cells(page, "supervision")["130402"]
    # received, decided, registered, refused, median, p90, waiting, overdue, late (statutory, commitment: none
    # promised), refusal rate, amendment rate
    assert row[1:] == ["4", "2", "1", "1", "0", "0", "2", "1", "1", "—", "50.0%", "0.0%"]
    grounds = re.search(r'<tr data-ground="price_unclear">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r"<td[^>]*>(\d+)</td>", grounds)[:2] == ["1", "1"]
    assert f'data-id="{waiting}"' in page  # the overdue list
    with app.app_context():
        undecided = db.session.scalar(
            select(func.count())
            .select_from(Contract)
            .where(Contract.status.in_(("submitted", "accepted", "amendment_requested")))
        )
    assert cells(page, "supervision")["130402"][7] == str(undecided)


def test_a_station_goal_shows_on_that_stations_dashboard_only(app, bureau, sign_in, make_account, synthetic):
    year = today_local().year
    saved = bureau.post(
        "/stats/goals",
        data={
            "year": year,
            "metric": "count",
            "target": "1000",
            "station": "130402",
            "csrf_token": csrf(bureau, "/stats/goals"),
        },
    )
    assert saved.status_code == 302
    refused = bureau.post(
        "/stats/goals",
        data={
            "year": year,
            "metric": "active_stations",
            "target": "3",
            "station": "130402",
            "csrf_token": csrf(bureau, "/stats/goals"),
        },
    )
    assert refused.status_code == 422 and "该目标只能针对全市设定。" in refused.text
    own = sign_in(make_account("reviewer", station_code="130402")).get("/stats").text
    other = sign_in(make_account("reviewer", station_code="130403")).get("/stats").text
    assert 'data-metric="count"' in own and 'data-metric="count"' not in other
    assert 'data-metric="count"' not in bureau.get("/stats").text  # the city has no such goal
    assert 'data-metric="count"' in bureau.get("/stats?station=130402").text
    listed = bureau.get(f"/stats/goals?year={year}").text
    assert 'data-station="130402"' in listed


def test_goal_amounts_are_typed_in_the_unit_they_are_shown_in(app, bureau):
    form = bureau.get("/stats/goals").text.split('id="set-goal"')[1].split("</form>")[0]
    assert '<span class="input-group-text" id="g-target-unit">万元，或数量</span>' in form
    assert "450000 即 45 亿元（4,500,000,000.00 元）" in form
    year = today_local().year
    saved = bureau.post(
        "/stats/goals",
        data={"year": year, "metric": "amount", "target": "12.5", "csrf_token": csrf(bureau, "/stats/goals")},
    )
    assert saved.status_code == 302
    with app.app_context():
        stored = db.session.execute(text("SELECT target FROM goals WHERE metric = 'amount'")).scalar()
    assert Decimal(str(stored)) == Decimal("125000.00")  # 12.5 万元, kept exactly
    listed = bureau.get(f"/stats/goals?year={year}").text
    target = re.search(r'<tr data-metric="amount">.*?data-key="target">(.*?)</td>', listed, re.S).group(1)
    assert "12.50 万元" in target and "125,000.00 元" in target
    assert "12.50 万元" in bureau.get(f"/stats?year={year}").text
    too_fine = bureau.post(
        "/stats/goals",
        data={"year": year, "metric": "amount", "target": "0.0000001", "csrf_token": csrf(bureau, "/stats/goals")},
    )
    assert too_fine.status_code == 422 and "以万元为单位时最多六位小数" in too_fine.text


def test_the_dashboard_answers_goals_standings_and_overdue_first(app, bureau, synthetic):
    year = today_local().year
    bureau.post(
        "/stats/goals",
        data={"year": year, "metric": "count", "target": "100", "csrf_token": csrf(bureau, "/stats/goals")},
    )
    page = bureau.get("/stats").text
    first = page.split('id="first-screen"')[1].split('id="panel-index"')[0]
    assert 'id="goals"' in first and 'data-metric="count"' in first and "已完成" in first
    with app.app_context():
        overdue = db.session.scalar(
            select(func.count())
            .select_from(Contract)
            .where(
                Contract.status.in_(("submitted", "accepted", "amendment_requested")), Contract.due_on < today_local()
            )
        )
        amounts = {
            code: amount
            for code, amount in db.session.execute(
                text(
                    "SELECT s.code, coalesce(sum(c.certified_technical_amount), 0) FROM stations s LEFT JOIN "
                    "contracts c ON c.station_id = s.id AND c.status = 'registered' "
                    f"AND c.registered_on BETWEEN '{year}-01-01' AND '{year}-12-31' WHERE s.active GROUP BY s.code"
                )
            )
        }
    assert f'id="overdue-total">{overdue}<' in first and 'id="overdue-link" href="/bureau/overdue"' in first
    leading = re.findall(r'data-code="(\d+)"', first.split('id="leading"')[1].split("</ol>")[0])
    lagging = re.findall(r'data-code="(\d+)"', first.split('id="lagging"')[1].split("</ol>")[0])
    assert len(leading) == 3 and len(lagging) == 3
    assert Decimal(str(amounts[leading[0]])) == max(Decimal(str(value)) for value in amounts.values())
    assert Decimal(str(amounts[lagging[0]])) == min(Decimal(str(value)) for value in amounts.values())
    index = re.findall(r'<a href="#panel-(\w+)">', page.split('id="panel-index"')[1].split("</nav>")[0])
    assert len(index) == 15 and all(f'id="panel-{key}"' in page for key in index)


def test_the_statistics_downloads_carry_a_label_beside_each_code(bureau, synthetic):
    body = bureau.get(f"/stats/download?year={YEAR}&group_by=category&format=csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][:2] == ["合同类别（代码）", "合同类别"]
    labelled = {row[0]: row[1] for row in rows[2:-1]}
    assert labelled["development"] == "技术开发" and labelled["service"] == "技术服务"
    data = bureau.get(f"/stats/download?year={YEAR}&group_by=category&format=xlsx").data
    sheet = sheet_rows(data)
    assert sheet[1][:2] == ["合同类别（代码）", "合同类别"]
    assert {row[0]: row[1] for row in sheet[2:-1]} == labelled


def test_wide_statistics_tables_scroll_inside_a_wrapper(bureau, synthetic):
    for path in (f"/stats/supervision?year={YEAR}", f"/stats/annual?year={YEAR}", f"/stats/goals?year={YEAR}"):
        page = bureau.get(path).text
        tables = page.count("<table")
        assert tables and page.count('<div class="table-responsive">') >= tables, path
