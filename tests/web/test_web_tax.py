"""The tax office's pages: recent endings on its home page, and a look-up of one registration in its areas."""

from __future__ import annotations

import pytest

from tests.factories import filing

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}


@pytest.fixture
def numbers(api, api_as, make_account, file_contract):
    """A registration in 130402 that was revoked, one still registered there, and one in 130403."""
    reviewers = {code: api_as(make_account("reviewer", station_code=code)) for code in ("130402", "130403")}
    made = []
    for title, area in (("撤销的合同", "130402"), ("有效的合同", "130402"), ("外区合同", "130403")):
        contract_id = file_contract(title=title, seller={**filing()["seller"], "area_code": area})
        reviewer = reviewers[api.get(f"/api/v1/contracts/{contract_id}").json["station"]["code"]]
        reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
        made.append(reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).json)
    assert (
        reviewers["130402"]
        .post(f"/api/v1/contracts/{made[0]['id']}/revoke", json={"reason": "以虚假材料骗取登记"})
        .status_code
        == 200
    )
    return [body["registration_number"] for body in made]


@pytest.fixture
def officer(make_account, sign_in):
    return sign_in(make_account("tax", area_codes=("130402",)))


def test_the_home_page_lists_a_revocation_and_the_export_links(numbers, officer):
    page = officer.get("/tax")
    assert page.status_code == 200
    endings = page.text.split('id="endings"')[1].split("</table>")[0]
    assert numbers[0] in endings and "以虚假材料骗取登记" in endings and 'data-status="revoked"' in endings
    assert numbers[1] not in endings and numbers[2] not in endings
    assert "/api/v1/tax/exports?" in page.text and "/api/v1/tax/exports/manifest?" in page.text
    assert 'href="/tax"' in page.text  # the navbar link


def test_the_export_link_downloads_the_file(numbers, officer):
    page = officer.get("/tax?format=json")
    link = page.text.split('id="download-file"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    response = officer.get(link)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert {row["registration_number"] for row in response.get_json()} == set(numbers[:2])


def test_lookup_in_scope_shows_status_and_eligibility(numbers, officer):
    page = officer.get(f"/tax/lookup?number={numbers[1]}")
    assert page.status_code == 200 and numbers[1] in page.text
    eligibility = page.text.split('id="eligibility"')[1].split("</dl>")[0]
    assert 'data-key="vat_exemption" data-status="eligible"' in eligibility
    assert 'data-key="rd_super_deduction" data-status="eligible"' in eligibility
    assert "财税〔2016〕36号" in eligibility
    revoked = officer.get(f"/tax/lookup?number={numbers[0]}")
    assert (
        revoked.status_code == 200 and 'data-status="revoked"' in revoked.text and "以虚假材料骗取登记" in revoked.text
    )


def test_lookup_out_of_scope_or_unknown_is_404(numbers, officer):
    assert officer.get(f"/tax/lookup?number={numbers[2]}").status_code == 404
    assert officer.get("/tax/lookup?number=1304022026999999").status_code == 404


def test_other_roles_do_not_see_the_tax_pages(numbers, make_account, sign_in):
    reviewer = sign_in(make_account("reviewer", station_code="130402"))
    assert reviewer.get("/tax").status_code == 403
    assert reviewer.get(f"/tax/lookup?number={numbers[1]}").status_code == 403


def test_the_home_page_shows_the_officers_feed_pulls(make_account, api_as, sign_in, numbers):
    account = make_account("tax", area_codes=("130402",))
    feed = api_as(account)
    first = feed.get("/api/v1/tax/feed?limit=1").json
    feed.get(f"/api/v1/tax/feed?after={first['next_cursor']}&limit=50")
    other = api_as(make_account("tax", area_codes=("130403",)))
    other.get("/api/v1/tax/feed")
    page = sign_in(account).get("/tax")
    pulls = page.text.split('id="pulls"')[1].split("</table>")[0]
    assert pulls.count("<tr>") == 3  # the header and this officer's two pulls, not the other officer's
    rows = pulls.split("<tbody>")[1]
    assert ">1</td>" in rows  # the first pull's one item
    assert "最近的数据订阅拉取记录" in page.text or "Your latest feed pulls" in page.text


def test_lookup_shows_eligibility_labels_not_codes(numbers, officer):
    page = officer.get(f"/tax/lookup?number={numbers[1]}")
    eligibility = page.text.split('id="eligibility"')[1].split("</dl>")[0]
    assert "符合" in eligibility and "财税〔2016〕36号" in eligibility
    assert ">eligible<" not in eligibility and ">not_eligible<" not in eligibility
