"""The tax office's pages: recent endings on its home page, and a look-up of one registration in its areas."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from app.domain.clock import today_local
from app.tax.services.exports import KEYS
from tests.factories import filing
from tests.web.xlsxtools import sheet_rows

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


def test_the_home_page_lists_a_revocation(numbers, officer):
    page = officer.get("/tax")
    assert page.status_code == 200
    endings = page.text.split('id="endings"')[1].split("</table>")[0]
    assert numbers[0] in endings and "以虚假材料骗取登记" in endings and 'data-status="revoked"' in endings
    assert numbers[1] not in endings and numbers[2] not in endings
    assert 'href="/tax"' in page.text  # the navbar link


def test_the_period_is_labelled_start_and_end_date(officer):
    form = officer.get("/tax").text.split('id="export-form"')[1].split("</form>")[0]
    assert '<label class="form-label" for="from">起始日期</label>' in form
    assert '<label class="form-label" for="to">截止日期</label>' in form and ">原<" not in form
    english = officer.get("/tax?lang=en").text.split('id="export-form"')[1].split("</form>")[0]
    assert 'for="from">From</label>' in english and 'for="to">To</label>' in english


def test_the_downloads_send_the_dates_shown_never_a_prepared_link(officer):
    """Both downloads are submit buttons of the form holding the dates: whatever the officer typed last is what
    the browser sends; no link on the page carries a period that could have gone stale."""
    page = officer.get("/tax?from=2026-01-01&to=2026-01-31").text
    form = page.split('id="export-form"')[1].split("</form>")[0]
    assert 'action="/tax/export"' in page.split('id="export-form"')[0].rsplit("<form", 1)[1]
    assert '<button class="btn btn-primary btn-sm" type="submit" id="download-file">' in form
    assert 'formaction="/tax/manifest"' in form and 'id="download-manifest"' in form
    assert 'name="from" value="2026-01-01"' in form and 'name="to" value="2026-01-31"' in form
    for prepared in ("/tax/export?", "/tax/manifest?", "/tax/manifest.json?", "exports?", "manifest?"):
        assert prepared not in page  # no download link with a period that could go stale


def test_the_form_downloads_the_file_of_the_dates_sent(numbers, officer):
    today = today_local().isoformat()
    response = officer.get(f"/tax/export?from={today}&to={today}&format=json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == f'attachment; filename="tcr-export-{today}-{today}.json"'
    assert {row["registration_number"] for row in response.get_json()} == {numbers[0], numbers[1]}
    earlier = officer.get("/tax/export?from=2020-01-01&to=2020-12-31&format=json")
    assert earlier.get_json() == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2025-01-01&to=2026-02-04", "期间最长 366 天"),  # 400 days
        ("from=2026-13-01&to=2026-12-31", "请按 YYYY-MM-DD 格式填写日期"),
        ("from=2026-05-01&to=2026-04-01", "起始日期晚于截止日期"),
    ],
)
@pytest.mark.parametrize("path", ["/tax/export", "/tax/manifest", "/tax/manifest.json"])
def test_a_refused_period_is_a_page_in_the_officers_language(officer, path, query, message):
    response = officer.get(f"{path}?{query}&format=csv", headers={"Accept": "text/html"})
    assert response.status_code == 422 and response.mimetype == "text/html"
    error = response.text.split('id="export-error"')[1].split("</div>")[0]
    assert message in error and "\\u" not in response.text
    assert 'id="export-form"' in response.text  # the way back: the form again, with the dates as typed
    assert f'value="{query.split("&")[0].removeprefix("from=")}"' in response.text
    english = officer.get(f"{path}?{query}&format=csv&lang=en", headers={"Accept": "text/html"})
    assert english.status_code == 422 and "The period is invalid." in english.text


def test_the_manifest_page_describes_the_signed_file_and_how_to_verify_it(numbers, officer, pki_dir):
    today = today_local().isoformat()
    query = f"from={today}&to={today}&format=csv"
    page = officer.get(f"/tax/manifest?{query}")
    assert page.status_code == 200 and page.mimetype == "text/html"
    shown = {key: page.text.split(f'data-key="{key}">')[1].split("</dd>")[0] for key in ("rows", "sha256")}
    export = officer.get(f"/tax/export?{query}").get_data()
    assert shown == {"rows": "2", "sha256": hashlib.sha256(export).hexdigest()}
    assert "openssl dgst -sha256 -verify bureau.pub -signature signature.der" in page.text
    assert "ecdsa-with-SHA256" in page.text and 'href="/.well-known/tcr/root-ca.pem"' in page.text

    saved = officer.get(f"/tax/manifest.json?{query}")
    assert saved.headers["Content-Disposition"].startswith("attachment;")
    assert saved.content_type == "application/json; charset=utf-8"
    assert b"\\u" not in saved.data
    manifest = json.loads(saved.data.decode("utf-8"))
    assert manifest["sha256"] == shown["sha256"] and manifest["rows"] == 2
    assert any("\u4e00" <= char <= "\u9fff" for char in manifest["signed_by"])  # the signer's name, readable
    root = x509.load_pem_x509_certificate((pki_dir / "root-ca.pem").read_bytes())
    root.public_key().verify(base64.b64decode(manifest["signature"]), export, ec.ECDSA(hashes.SHA256()))


def test_the_csv_export_has_a_chinese_label_beside_each_code(numbers, officer):
    today = today_local().isoformat()
    body = officer.get(f"/tax/export?from={today}&to={today}&format=csv").get_data().decode("utf-8-sig")
    headers, keys, *rows = list(csv.reader(io.StringIO(body)))
    assert (
        keys[keys.index("category") + 1] == "category_label" and headers[keys.index("category_label")] == "合同类别名称"
    )
    for coded in ("status", "subtype", "seller_area", "buyer_area", "vat_exemption", "rd_super_deduction"):
        assert keys[keys.index(coded) + 1] == f"{coded}_label"
    records = {row[0]: dict(zip(keys, row)) for row in rows}
    revoked = records[numbers[0]]
    assert (revoked["status"], revoked["status_label"]) == ("revoked", "已撤销")
    assert (revoked["category"], revoked["category_label"]) == ("development", "技术开发")
    assert revoked["subtype_label"] == "委托开发" and revoked["seller_area_label"] == "河北省邯郸市邯山区"
    assert (revoked["vat_exemption"], revoked["vat_exemption_label"]) == ("eligible", "符合")


def test_the_xlsx_export_has_the_same_label_columns(numbers, officer):
    today = today_local().isoformat()
    data = officer.get(f"/tax/export?from={today}&to={today}&format=xlsx").get_data()
    headers, keys, *rows = sheet_rows(data, 1)
    assert keys == KEYS and headers[keys.index("subtype_label")] == "合同子类名称"
    labels = {row[keys.index("registration_number")]: row[keys.index("category_label")] for row in rows}
    assert labels == {numbers[0]: "技术开发", numbers[1]: "技术开发"}
    dictionary = [row[0] for row in sheet_rows(data, 2)[1:]]
    assert "category_label" in dictionary and "buyer_area_label" in dictionary


def test_the_field_dictionary_on_the_page_lists_the_label_columns(officer):
    fields = officer.get("/tax").text.split('id="field-dictionary"')[1].split("</table>")[0]
    assert "category_label" in fields and "合同类别名称" in fields


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
