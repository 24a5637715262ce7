"""The bureau's pages: stations and their reviewers, the city-wide overdue list, and reassignment."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from app.demo import synth
from app.domain.clock import today_local
from app.extensions import db
from app.models import Contract, Station, User
from tests.conftest import login
from tests.web.webtools import csrf, element


@pytest.fixture
def bureau(sign_in, make_account):
    return sign_in(make_account("bureau"))


def post(client, url: str, page: str, **data):
    return client.post(url, data={**data, "csrf_token": csrf(client, page)})


def test_the_stations_list_shows_areas_by_name_reviewers_and_workload(bureau, make_account, file_contract):
    make_account("reviewer", station_code="130402")
    file_contract()
    page = bureau.get("/bureau/stations").text
    row = re.search(r'<tr data-code="130402".*?</tr>', page, re.S).group(0)
    cells = [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    # reviewer accounts (active / all), decisions in the last 12 months, undecided, overdue
    assert "河北省邯郸市邯山区 130402" in cells[2] and cells[4:] == ["1 / 1", "0", "1", "0"]
    assert len(re.findall(r"<tr data-code=", page)) == 19  # the city station and Handan's 18 districts and counties


def test_create_a_station_and_a_refused_code_keeps_what_was_entered(bureau):
    bad = post(bureau, "/bureau/stations", "/bureau/stations", code="13100", name="安次区站", areas="131002")
    assert bad.status_code == 422 and element(bad.text, "new-station").codes == ["station.format"]
    assert element(bad.text, "new-station").inputs["name"] == "安次区站"

    created = post(
        bureau,
        "/bureau/stations",
        "/bureau/stations",
        code="131002",
        name="安次区技术合同登记站",
        areas="131002，131003",
    )
    assert created.status_code == 302 and created.headers["Location"].endswith("/bureau/stations/131002")
    page = bureau.get("/bureau/stations/131002").text
    assert "安次区技术合同登记站" in page and "河北省廊坊市安次区" in page and "河北省廊坊市广阳区" in page
    taken = post(bureau, "/bureau/stations", "/bureau/stations", code="131002", name="重复", areas="")
    assert taken.status_code == 409 and element(taken.text, "new-station").codes == ["station.taken"]


def test_change_the_areas_and_an_area_another_station_serves_is_refused(bureau):
    taken = post(
        bureau,
        "/bureau/stations/130402",
        "/bureau/stations/130402",
        name="邯山区技术合同登记站",
        areas="130402, 130403",
    )
    assert taken.status_code == 422
    form = element(taken.text, "station-form")
    assert form.codes == ["area_code.taken"] and "130403" in form.text and form.inputs["areas"] == "130402, 130403"

    saved = post(
        bureau, "/bureau/stations/130402", "/bureau/stations/130402", name="邯山区登记站", areas="130402, 131002"
    )
    assert saved.status_code == 302
    page = bureau.get("/bureau/stations/130402").text
    assert "邯山区登记站" in page and "河北省廊坊市安次区" in page

    off = post(bureau, "/bureau/stations/130402/active", "/bureau/stations/130402", active="0")
    assert (
        off.status_code == 302 and "停用" in element(bureau.get("/bureau/stations/130402").text, "station-active").text
    )


def test_add_a_reviewer_who_signs_in_then_disable_them_and_they_cannot(app, bureau):
    weak = post(
        bureau,
        "/bureau/stations/130402/reviewers",
        "/bureau/stations/130402",
        email="new.reviewer@example.cn",
        name="新审核员",
        password="short",
    )
    assert weak.status_code == 422 and element(weak.text, "add-reviewer").codes == ["password.too_short"]
    assert element(weak.text, "add-reviewer").inputs["email"] == "new.reviewer@example.cn"

    added = post(
        bureau,
        "/bureau/stations/130402/reviewers",
        "/bureau/stations/130402",
        email="new.reviewer@example.cn",
        name="新审核员",
        password="Reviewer-2026-pw",
    )
    assert added.status_code == 302
    reviewer = app.test_client()
    assert login(reviewer, "new.reviewer@example.cn", "Reviewer-2026-pw").status_code == 302
    # the bureau chose the password: the reviewer's first page is the password page (tests/messages/)
    assert reviewer.get("/station/queue").headers["Location"] == "/account/password"
    assert reviewer.get("/account/password").status_code == 200

    page = bureau.get("/bureau/stations/130402").text
    user_id = re.search(r"/bureau/stations/130402/reviewers/(\d+)/active", page).group(1)
    disabled = post(
        bureau, f"/bureau/stations/130402/reviewers/{user_id}/active", "/bureau/stations/130402", active="0"
    )
    assert disabled.status_code == 302
    assert 'data-status="disabled"' in bureau.get("/bureau/stations/130402").text
    assert reviewer.get("/station/queue").status_code == 302  # the open session ends too
    assert login(app.test_client(), "new.reviewer@example.cn", "Reviewer-2026-pw").status_code == 200
    assert (
        post(
            bureau, f"/bureau/stations/130403/reviewers/{user_id}/active", "/bureau/stations/130403", active="1"
        ).status_code
        == 404
    )  # not this station's reviewer


def test_the_overdue_list_and_reassigning_a_filing_from_the_review_page(
    app, bureau, sign_in, make_account, file_contract, api_as
):
    own_reviewer = make_account("reviewer", station_code="130402")
    late, on_time = file_contract(title="超期合同"), file_contract(title="按期合同")
    reviewer_api = api_as(own_reviewer)
    for contract_id in (late, on_time):
        assert reviewer_api.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
    with app.app_context():
        db.session.get(Contract, late).due_on = today_local() - timedelta(days=4)
        db.session.commit()

    overdue = bureau.get("/bureau/overdue").text
    assert re.findall(r'<tr[^>]*data-id="(\d+)"', overdue) == [str(late)]
    row = element(overdue, "overdue").text
    assert "邯山区技术合同登记站" in row and "超期合同" in row and "4" in row
    assert f'href="/station/contracts/{late}"' in overdue

    review_page = bureau.get(f"/station/contracts/{late}").text
    assert element(review_page, "reassign") and element(review_page, "read-only") and not element(review_page, "decide")
    no_reason = post(
        bureau, f"/bureau/contracts/{late}/reassign", f"/station/contracts/{late}", station="130403", reason=""
    )
    assert no_reason.status_code == 422 and element(no_reason.text, "reassign").codes == ["required"]
    assert 'value="130403" selected' in no_reason.text

    moved = post(
        bureau,
        f"/bureau/contracts/{late}/reassign",
        f"/station/contracts/{late}",
        station="130403",
        reason="卖方实际经营地在丛台区",
    )
    assert moved.status_code == 302
    history = element(bureau.get(f"/station/contracts/{late}").text, "timeline").text
    assert "邯山区技术合同登记站 130402" in history and "丛台区技术合同登记站 130403" in history
    assert "卖方实际经营地在丛台区" in history
    assert sign_in(own_reviewer).get(f"/station/contracts/{late}").status_code == 404
    other_station = sign_in(make_account("reviewer", station_code="130403"))
    assert f'data-id="{late}"' in other_station.get("/station/queue").text


def _station_row(page: str, code: str) -> dict[str, str]:
    row = re.search(rf'<tr data-code="{code}".*?</tr>', page, re.S).group(0)
    return {
        key: " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for key, cell in re.findall(r'<td[^>]*data-key="(\w+)"[^>]*>(.*?)</td>', row, re.S)
    }


def test_the_stations_list_counts_accounts_and_decisions_on_demo_like_data(app, bureau, make_account):
    """The demo's decisions come from the synthetic loader, with no reviewer account behind them: the list shows
    the station's decisions anyway, and its reviewer accounts as active / all."""
    with app.app_context():
        synth.generate(240, seed=5, batch=80)
        db.session.commit()
    make_account("reviewer", station_code="130402")
    disabled = make_account("reviewer", station_code="130402")
    with app.app_context():
        db.session.execute(update(User).where(User.email == disabled.email).values(active=False))
        db.session.commit()
        since = datetime.now(UTC) - timedelta(days=365)
        decided = {
            code: count
            for code, count in db.session.execute(
                select(Station.code, func.count())
                .join(Contract, Contract.station_id == Station.id)
                .where(
                    Contract.status.in_(("registered", "refused", "cancelled", "revoked")),
                    Contract.decided_at >= since,
                )
                .group_by(Station.code)
            )
        }
    page = bureau.get("/bureau/stations").text
    assert max(decided.values()) > 10  # the synthetic data decided many filings
    for code, count in decided.items():
        assert _station_row(page, code)["decided"] == str(count), code
    assert _station_row(page, "130402")["reviewers"] == "1 / 2"
    assert _station_row(page, "130403")["reviewers"] == "0 / 0"


def test_deactivating_a_station_or_disabling_a_reviewer_asks_first(bureau, make_account):
    reviewer = make_account("reviewer", station_code="130402")
    page = bureau.get("/bureau/stations/130402").text
    station_form = re.search(r'<form[^>]*action="/bureau/stations/130402/active"[^>]*>', page).group(0)
    assert 'data-confirm="停用邯山区技术合同登记站？重新启用之前，该登记站不再接收新的申请。"' in station_form
    reviewer_form = re.search(r'<form[^>]*action="/bureau/stations/130402/reviewers/\d+/active"[^>]*>', page).group(0)
    assert "data-confirm=" in reviewer_form and "不能再登录" in reviewer_form
    english = bureau.get("/bureau/stations/130402?lang=en").text
    assert "will receive no new filings until it is activated again" in english
    post(bureau, "/bureau/stations/130402/active", "/bureau/stations/130402", active="0")
    inactive = bureau.get("/bureau/stations/130402").text
    assert "data-confirm" not in re.search(r'<form[^>]*action="/bureau/stations/130402/active"[^>]*>', inactive).group(
        0
    )
    assert reviewer.email in inactive  # activating again needs no confirmation; the reviewer is still listed
