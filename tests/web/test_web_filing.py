"""Filing through the pages: the form of each kind of contract, findings beside fields, attachments, submission."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from app.domain.rules import find_rule_set
from app.extensions import db
from app.models import Contract, ContractFinding
from tests.factories import CATEGORY_VARIANTS, MINIMAL_PDF, SELLER_CODE, filing
from tests.web.webtools import contract_id_of, csrf, element, form_fields, input_names, save_new, submit, upload

EARLY_PILOT_CODE = "91350100M0001TGQXM"  # a real early code whose check character fails (DOMAIN.md §10)


def contract_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Contract))


def test_step_one_offers_every_sub_type_of_every_category(web):
    page = web.get("/contracts/new")
    assert page.status_code == 200 and "第 1 步" in page.text
    for category, subtype in [
        ("development", "cooperative"),
        ("transfer", "other_transfer"),
        ("licensing", "know_how_license"),
        ("consultation", "consultation"),
        ("service", "intermediary"),
    ]:
        assert f"/contracts/new?category={category}&amp;subtype={subtype}" in page.text
    assert "第 1 步" in web.get("/contracts/new?category=development&subtype=patent_license").text


@pytest.mark.parametrize(
    "category, subtype, licence",
    [
        ("development", "commissioned", False),
        ("transfer", "patent_right", False),
        ("licensing", "patent_license", True),
        ("consultation", "consultation", False),
        ("service", "training", False),
    ],
)
def test_the_form_shows_only_the_fields_the_kind_of_contract_needs(web, category, subtype, licence):
    page = web.get(f"/contracts/new?category={category}&subtype={subtype}")
    names = input_names(page.text)
    assert {
        "title",
        "signed_on",
        "seller.credit_code",
        "buyer.area_code",
        "amount",
        "technical_amount",
        "deductions.0.amount",
        "deductions.4.kind",
        "ip_type",
        "ip_numbers",
        "summary",
    } <= names
    assert "deductions.5.kind" not in names
    licence_fields = {"license.exclusivity", "license.territory", "license.years"}
    assert (licence_fields <= names) if licence else not (licence_fields & names)
    required_ip = element(page.text, "f-ip_type").text
    assert ("*" in required_ip) == (category in ("transfer", "licensing"))


@pytest.mark.parametrize("category, subtype", [("transfer", "know_how"), ("development", "commissioned")])
def test_the_form_asks_the_situation_and_equity_only_of_transfers(web, category, subtype):
    page = web.get(f"/contracts/new?category={category}&subtype={subtype}").text
    situation = element(page, "f-situation")
    assert {"signed_by_internal_unit", "government_funded"} <= set(situation.inputs)
    assert "内部机构或课题组签订" in situation.text and "政府资助项目" in situation.text
    assert ("equity" in situation.inputs) == (category == "transfer")
    assert ("技术入股" in situation.text) == (category == "transfer")
    offered = dict(web_subtypes(web))  # technology as equity is no longer a sub-type to choose
    assert set(offered) == {"patent_right", "patent_application_right", "know_how", "other_transfer"}
    assert not any("技术入股" in text for text in offered.values())


def web_subtypes(web) -> list[tuple[str, str]]:
    """(sub-type code, link text) pairs the first step offers for transfers."""
    page = web.get("/contracts/new").text
    return re.findall(r'category=transfer&amp;subtype=(\w+)"[^>]*>\s*([^<]*)<', page)


def test_a_transfer_filed_as_equity_by_an_internal_unit_keeps_the_flags_and_asks_for_the_authorisation(web, app):
    variant = filing(**CATEGORY_VARIANTS["transfer"], equity=True, signed_by_internal_unit=True)
    contract_id = contract_id_of(save_new(web, variant))
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert (contract.contributed_as_equity, contract.signed_by_internal_unit, contract.government_funded) == (
            True,
            True,
            False,
        )
    edit = web.get(f"/contracts/{contract_id}/edit").text
    ticked = {
        name: " checked" in re.search(rf'<input[^>]*name="{name}"[^>]*>', edit).group(0)
        for name in ("equity", "signed_by_internal_unit", "government_funded")
    }
    assert ticked == {"equity": True, "signed_by_internal_unit": True, "government_funded": False}
    page = web.get(f"/contracts/{contract_id}").text
    assert "技术入股" in element(page, "f-equity").text
    assert "合同由内部机构或课题组签订，请上传法定代表人授权书。" in page
    upload(web, contract_id)
    upload(web, contract_id, "ip_certificate", filename="专利证书.pdf")
    refused = submit(web, contract_id)
    assert "法定代表人授权书" in element(refused.text, "submit-errors").text
    assert upload(web, contract_id, "representative_authorisation", filename="授权书.pdf").status_code == 302
    assert submit(web, contract_id).status_code == 302
    with app.app_context():
        assert db.session.get(Contract, contract_id).status == "submitted"


def test_a_new_draft_has_the_seller_filled_in_from_the_applicants_organisation(web):
    page = web.get("/contracts/new?category=service&subtype=technical_service")
    assert element(page.text, "f-seller.credit_code").inputs["seller.credit_code"] == SELLER_CODE
    assert element(page.text, "f-seller.name").inputs["seller.name"] == "示范科技有限公司"
    assert element(page.text, "f-buyer.name").inputs["buyer.name"] == ""


def test_form_limits_and_hints_reach_the_browser_as_attributes(web, client):
    page = web.get("/contracts/new?category=development&subtype=commissioned").text
    assert 'maxlength="300"' in page and 'list="area-codes"' in page and 'inputmode="decimal"' in page
    assert "&#34;" not in page and "&quot;" not in page  # no attribute value arrives escaped into another
    signup = client.get("/signup").text
    assert 'autocomplete="username"' in signup and 'pattern="[0-9]{6}"' in signup and "&#34;" not in signup


@pytest.mark.parametrize("category", sorted(CATEGORY_VARIANTS))
def test_each_category_filed_through_the_pages_ends_submitted(web, app, category):
    variant = filing(**CATEGORY_VARIANTS[category])
    saved = save_new(web, variant)
    assert saved.status_code == 302, saved.text
    contract_id = contract_id_of(saved)
    assert upload(web, contract_id).status_code == 302
    if category in ("transfer", "licensing"):
        assert upload(web, contract_id, "ip_certificate", filename="专利证书.pdf").status_code == 302
    response = submit(web, contract_id)
    assert response.status_code == 302, element(response.text, "submit-errors")
    page = web.get(f"/contracts/{contract_id}")
    assert element(page.text, "contract-status").statuses == ["submitted"]
    assert "已提交" in element(page.text, "contract-status").text
    assert "邯山区技术合同登记站" in page.text
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract.status == "submitted" and contract.category == category
        assert contract.subtype == variant["subtype"] and str(contract.amount) == variant["amount"]
        assert [d.description for d in contract.deductions] == ["换热器两台"]
        assert list(contract.ip_numbers) == variant["ip_numbers"]
        licence = variant["license"] or {}
        assert (contract.license_exclusivity, contract.license_years) == (
            licence.get("exclusivity"),
            licence.get("years"),
        )


def test_the_contract_page_shows_every_field_with_labels_and_money_grouped(web):
    contract_id = contract_id_of(save_new(web, filing(**CATEGORY_VARIANTS["licensing"])))
    page = web.get(f"/contracts/{contract_id}").text
    for text in (
        "钢铁冶炼余热回收技术开发",
        "技术许可",
        "专利实施许可",
        "深圳买方股份有限公司",
        "9144030071526726XG",
        "1,250,000.00",
        "170,000.00",
        "1,080,000.00",
        "换热器两台",
        "新能源与高效节能",
        "发明专利",
        "ZL201310699744.2",
        "普通",
        "中国境内",
        "5 年",
        "分期支付",
        "130402",
        "河北省邯郸市邯山区",
    ):
        assert text in page, text


def test_a_wrong_technical_amount_is_shown_beside_its_field(web):
    saved = save_new(web, filing(technical_amount="1000000.00"), then="edit")
    assert saved.status_code == 302
    page = web.get(saved.headers["Location"])
    field = element(page.text, "f-technical_amount")
    assert "amount.technical_mismatch" in field.codes
    assert "1,080,000.00" in field.text and field.inputs["technical_amount"] == "1000000.00"
    assert "amount.technical_mismatch" in element(page.text, "findings").codes
    detail = web.get(f"/contracts/{contract_id_of(saved)}")
    assert "amount.technical_mismatch" in element(detail.text, "f-technical_amount").codes


def test_malformed_input_is_refused_beside_the_field_and_nothing_is_saved(web, app):
    data = filing(amount="12.345", signed_on="2026-13-40")
    response = save_new(web, data)
    assert response.status_code == 422
    assert "money.format" in element(response.text, "f-amount").codes
    assert element(response.text, "f-amount").inputs["amount"] == "12.345"
    assert "date.invalid" in element(response.text, "f-signed_on").codes
    assert element(response.text, "f-title").inputs["title"] == data["title"]
    assert contract_count(app) == 0


def test_amounts_may_be_typed_with_separators_or_whole_yuan(web, app):
    saved = save_new(web, filing(amount="1,250,000", technical_amount="1080000.0"))
    assert saved.status_code == 302
    with app.app_context():
        contract = db.session.get(Contract, contract_id_of(saved))
        assert str(contract.amount) == "1250000.00" and str(contract.technical_amount) == "1080000.00"


def test_a_draft_with_errors_can_be_saved_and_cannot_be_submitted(web):
    contract_id = contract_id_of(save_new(web, filing(title="", buyer={"name": "买方"})))
    response = submit(web, contract_id)
    assert response.status_code == 422
    errors = element(response.text, "submit-errors")
    assert "required" in errors.codes and "attachments.contract_text_required" in errors.codes
    assert element(web.get(f"/contracts/{contract_id}").text, "contract-status").statuses == ["draft"]


def test_editing_keeps_the_values_and_can_switch_the_kind(web, app):
    contract_id = contract_id_of(save_new(web, filing()))
    page = web.get(f"/contracts/{contract_id}/edit")
    assert element(page.text, "f-deductions.0.description").inputs["deductions.0.description"] == "换热器两台"
    page = web.get(f"/contracts/{contract_id}/edit?category=licensing&subtype=know_how_license")
    assert "license.years" in input_names(page.text)
    fields = {
        **form_fields(filing(**CATEGORY_VARIANTS["licensing"])),
        "subtype": "know_how_license",
        "ip_type": "know_how",
        "ip_numbers": "",
        "csrf_token": csrf(web),
    }
    response = web.post(f"/contracts/{contract_id}/edit", data=fields)
    assert response.status_code == 302
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert (contract.category, contract.subtype, contract.license_territory) == (
            "licensing",
            "know_how_license",
            "china",
        )


def test_a_warning_must_be_acknowledged_before_submission(make_account, sign_in, app):
    account = make_account("applicant", credit_code=EARLY_PILOT_CODE, org_name="早期试点科技有限公司")
    client = sign_in(account)
    data = filing(
        seller={"name": "早期试点科技有限公司", "credit_code": EARLY_PILOT_CODE, "area_code": "130402", "nature": "150"}
    )
    contract_id = contract_id_of(save_new(client, data))
    upload(client, contract_id)
    page = client.get(f"/contracts/{contract_id}")
    assert "credit_code.check_digit" in element(page.text, "f-seller.credit_code").codes
    assert 'name="acknowledge" value="credit_code.check_digit"' in page.text

    refused = submit(client, contract_id)
    assert refused.status_code == 422
    assert element(refused.text, "submit-errors").codes == ["credit_code.check_digit"]
    assert element(client.get(f"/contracts/{contract_id}").text, "contract-status").statuses == ["draft"]

    accepted = submit(client, contract_id, acknowledge=("credit_code.check_digit",))
    assert accepted.status_code == 302
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract.status == "submitted" and contract.acknowledged_warnings == ["credit_code.check_digit"]


def test_a_file_that_is_not_a_pdf_is_refused_even_when_named_pdf(web, app):
    contract_id = contract_id_of(save_new(web, filing()))
    response = upload(web, contract_id, content=b"MZ\x90\x00 this is not a PDF at all", filename="contract.pdf")
    assert response.status_code == 422
    message = element(response.text, "upload-error")
    assert message.codes == ["attachment.type"] and "不是 PDF" in message.text
    with app.app_context():
        assert db.session.get(Contract, contract_id).attachments == []


def test_attachments_are_listed_viewable_and_removable_from_a_draft(web):
    contract_id = contract_id_of(save_new(web, filing()))
    upload(web, contract_id, filename="合同文本.pdf")
    page = web.get(f"/contracts/{contract_id}")
    attachments = element(page.text, "attachments")
    assert "合同文本.pdf" in attachments.text and "合同文本" in attachments.text
    href = f"/api/v1/contracts/{contract_id}/attachments/"
    assert href in page.text
    attachment_id, query = page.text.split(href)[1].split('"')[0].split("?")
    assert query == "inline=1"  # the link opens the file in the browser; the plain URL downloads it
    with web.get(href + attachment_id + "?inline=1") as viewed:  # with the session cookie
        assert viewed.status_code == 200 and viewed.data == MINIMAL_PDF
        assert viewed.headers["Content-Disposition"].startswith("inline")
    removed = web.post(f"/contracts/{contract_id}/attachments/{attachment_id}/delete", data={"csrf_token": csrf(web)})
    assert removed.status_code == 302
    assert "合同文本.pdf" not in element(web.get(f"/contracts/{contract_id}").text, "attachments").text


def test_another_organisations_contract_is_not_found(web, make_account, sign_in):
    contract_id = contract_id_of(save_new(web, filing()))
    other = sign_in(make_account("applicant", credit_code="9144030071526726XG", org_name="另一家公司"))
    assert other.get(f"/contracts/{contract_id}").status_code == 404
    assert "页面不存在" in other.get(f"/contracts/{contract_id}").text
    assert other.get(f"/contracts/{contract_id}/edit").status_code == 404
    token = csrf(other)
    assert other.post(f"/contracts/{contract_id}/submit", data={"csrf_token": token}).status_code == 404
    assert other.post(f"/contracts/{contract_id}/withdraw", data={"csrf_token": token}).status_code == 404
    assert f'href="/contracts/{contract_id}"' not in other.get("/contracts").text


def test_the_timeline_shows_the_submission(web):
    data = filing()
    contract_id = contract_id_of(save_new(web, data))
    upload(web, contract_id)
    submit(web, contract_id)
    timeline = element(web.get(f"/contracts/{contract_id}").text, "timeline")
    assert "草稿 → 已提交" in " ".join(timeline.text.split())
    assert "测试applicant" in timeline.text and "申请人" in timeline.text
    assert timeline.text.count("→") == 1


def test_withdrawal_is_recorded(web):
    contract_id = contract_id_of(save_new(web, filing()))
    response = web.post(f"/contracts/{contract_id}/withdraw", data={"csrf_token": csrf(web), "note": "合同已解除"})
    assert response.status_code == 302
    page = web.get(f"/contracts/{contract_id}")
    assert element(page.text, "contract-status").statuses == ["withdrawn"]
    assert "合同已解除" in element(page.text, "timeline").text
    assert web.get(f"/contracts/{contract_id}/edit").status_code == 409


def test_the_list_filters_and_pages(web, app):
    for index in range(22):
        save_new(web, filing(title=f"检索合同{index:02d}", **CATEGORY_VARIANTS["consultation"]))
    save_new(web, filing(title="另一份合同"))
    first = web.get("/contracts?category=consultation")
    table = element(first.text, "contracts")
    assert "检索合同21" in table.text and "另一份合同" not in table.text and "检索合同01" not in table.text
    assert "技术咨询" in table.text and "草稿" in table.text and "1,250,000.00" in table.text
    next_link = first.text.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = element(web.get(next_link).text, "contracts")
    assert "检索合同01" in second.text and "检索合同21" not in second.text
    assert "另一份合同" in element(web.get("/contracts?q=另一份").text, "contracts").text
    assert "检索合同" not in element(web.get("/contracts?status=submitted").text, "contracts").text


def test_a_reviewer_sees_the_stations_filings_but_no_filing_buttons(web, make_account, sign_in):
    draft_id = contract_id_of(save_new(web, filing(title="仍是草稿")))
    submitted_id = contract_id_of(save_new(web, filing()))
    upload(web, submitted_id)
    assert submit(web, submitted_id).status_code == 302
    reviewer = sign_in(make_account("reviewer"))
    listing = reviewer.get("/contracts")
    assert listing.status_code == 200 and 'href="/contracts/new"' not in listing.text
    # staff rows open the station's review page
    assert f'href="/station/contracts/{submitted_id}"' in listing.text and f'/contracts/{draft_id}"' not in listing.text
    page = reviewer.get(f"/contracts/{submitted_id}")
    assert page.status_code == 200 and "钢铁冶炼余热回收技术开发" in page.text
    assert "/submit" not in page.text and "/withdraw" not in page.text and "/edit" not in page.text
    assert 'name="file"' not in page.text
    assert reviewer.get(f"/contracts/{draft_id}").status_code == 404
    assert reviewer.get("/contracts/new").status_code == 403


def test_pages_are_in_english_with_lang_en(web):
    contract_id = contract_id_of(save_new(web, filing(technical_amount="1000000.00")))
    page = web.get(f"/contracts/{contract_id}?lang=en")
    assert "Technology development" in page.text and "Draft" in page.text
    assert "The technical transaction amount should be" in element(page.text, "f-technical_amount").text


def _stored_findings(app, contract_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(ContractFinding.code)
                .where(ContractFinding.contract_id == contract_id)
                .order_by(ContractFinding.position)
            )
        )


def _forget_findings(app, contract_id: int) -> None:
    with app.app_context():
        db.session.execute(ContractFinding.__table__.delete().where(ContractFinding.contract_id == contract_id))
        db.session.commit()


@pytest.mark.parametrize("face", ["api", "page"])
def test_a_refused_submission_keeps_its_findings_on_both_faces(app, api, web, face):
    """The applicant reads the findings of the check that refused the submission, whichever face submitted."""
    contract_id = api.post("/api/v1/contracts", json=filing(title="")).json["id"]
    _forget_findings(app, contract_id)  # what the draft's save stored is gone: only the submission can bring it back
    if face == "api":
        response = api.post(f"/api/v1/contracts/{contract_id}/submit", json={})
    else:
        response = submit(web, contract_id)
    assert response.status_code == 422
    stored = _stored_findings(app, contract_id)
    assert "required" in stored and "attachments.contract_text_required" in stored
    assert api.get(f"/api/v1/contracts/{contract_id}").json["status"] == "draft"


# ---- issue 12: the applicant's working day -------------------------------------------------------------


class _Attributes(HTMLParser):
    """The attributes of every input of a page, by the input's id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("id"):
            self.by_id[attrs["id"]] = attrs


def attributes(html: str) -> dict[str, dict[str, str]]:
    parser = _Attributes()
    parser.feed(html)
    return parser.by_id


def test_limits_and_autofill_hints_are_real_attributes_on_the_sign_up_log_in_and_filing_forms(web, client):
    signup = attributes(client.get("/signup").text)
    assert signup["i-email"]["autocomplete"] == "username"
    assert (signup["i-name"]["autocomplete"], signup["i-name"]["maxlength"]) == ("name", "100")
    assert signup["i-password"]["autocomplete"] == "new-password" and signup["i-password"]["minlength"] == "10"
    assert signup["i-org_name"]["maxlength"] == "200" and signup["i-credit_code"]["maxlength"] == "18"
    area = signup["i-area_code"]
    assert (area["inputmode"], area["maxlength"], area["pattern"]) == ("numeric", "6", "[0-9]{6}")
    login_page = attributes(client.get("/login").text)
    assert login_page["i-email"]["autocomplete"] == "username"
    assert login_page["i-password"]["autocomplete"] == "current-password"
    form = attributes(web.get("/contracts/new?category=licensing&subtype=patent_license").text)
    assert form["i-title"]["maxlength"] == "300" and form["i-amount"]["inputmode"] == "decimal"
    assert form["i-technical_amount"]["inputmode"] == "decimal"
    buyer_area = form["i-buyer.area_code"]
    assert (buyer_area["inputmode"], buyer_area["maxlength"], buyer_area["list"]) == ("numeric", "6", "area-codes")
    assert form["i-buyer.country"]["maxlength"] == "3"
    assert (form["i-license.years"]["min"], form["i-license.years"]["max"]) == ("1", "99")


def test_a_refused_upload_lands_on_the_attachments_section_with_its_message(web):
    contract_id = contract_id_of(save_new(web, filing()))
    page = web.get(f"/contracts/{contract_id}").text
    assert f'action="/contracts/{contract_id}/attachments#attachments"' in page  # the answer scrolls there
    refused = upload(web, contract_id, content=b"MZ\x90\x00 not a document", filename="virus.pdf")
    assert refused.status_code == 422
    alert = element(refused.text, "upload-alert")
    assert alert is not None and "PDF" in alert.text and 'href="#attachments"' in refused.text
    assert refused.text.index('id="upload-alert"') < refused.text.index('id="findings"')  # at the top
    assert "PDF" in element(element_html(refused.text, "attachments"), "upload-error").text


def element_html(html: str, element_id: str) -> str:
    """The page from the element with this id on (enough to find what lies inside it first)."""
    return html[html.index(f'id="{element_id}"') - 5 :]


def test_an_empty_technical_amount_is_computed_on_saving_and_the_form_explains_the_formula(web, app):
    form = web.get("/contracts/new?category=development&subtype=commissioned").text
    assert 'id="technical-formula"' in form and "/static/js/filing.js" in form
    saved = save_new(web, filing(technical_amount=""))
    assert saved.status_code == 302
    page = web.get(saved.headers["Location"]).text
    assert "1,080,000.00" in element(page, "f-technical_amount").text
    with app.app_context():
        assert str(db.session.get(Contract, contract_id_of(saved)).technical_amount) == "1080000.00"


def test_the_contract_page_names_the_rule_set_and_the_kind_once(web, app):
    contract_id = contract_id_of(save_new(web, filing(**CATEGORY_VARIANTS["service"])))
    page = web.get(f"/contracts/{contract_id}").text
    with app.app_context():
        rule_set = find_rule_set(db.session.get(Contract, contract_id).rule_set)
    assert element(page, "rule-set-name").text == rule_set.name.zh
    assert rule_set.code not in page
    assert "技术服务 · 技术服务" not in page and "技术服务" in page


def steps_of(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-step="(\w+)" data-state="(\w+)"', html))


def test_a_draft_offers_deletion_not_withdrawal_and_deleting_it_leaves_the_list(web, app):
    contract_id = contract_id_of(save_new(web, filing(title="要删除的草稿")))
    upload(web, contract_id)
    page = web.get(f"/contracts/{contract_id}").text
    assert steps_of(page) == {"apply": "current", "accept": "todo", "review": "todo", "decide": "todo"}
    assert "删除草稿" in page and "撤回登记申请" not in page and f"/contracts/{contract_id}/withdraw" not in page
    delete_form = re.search(rf'<form[^>]*action="/contracts/{contract_id}/delete"[^>]*>', page).group(0)
    assert 'data-confirm="' in delete_form
    deleted = web.post(f"/contracts/{contract_id}/delete", data={"csrf_token": csrf(web)})
    assert deleted.status_code == 302 and deleted.headers["Location"].endswith("/contracts")
    listing = web.get("/contracts").text
    assert "草稿已删除" in listing and "要删除的草稿" not in listing
    assert web.get(f"/contracts/{contract_id}").status_code == 404
    with app.app_context():
        assert db.session.get(Contract, contract_id) is None


def test_a_submitted_filing_shows_its_step_a_tentative_date_and_offers_withdrawal(web, file_contract):
    contract_id = file_contract()
    page = web.get(f"/contracts/{contract_id}").text
    assert steps_of(page) == {"apply": "done", "accept": "current", "review": "todo", "decide": "todo"}
    expected = element(page, "expected-decision").text
    assert "预计办结日期" in expected and "暂定" in expected
    assert f"/contracts/{contract_id}/withdraw" in page and f"/contracts/{contract_id}/delete" not in page
    assert web.post(f"/contracts/{contract_id}/delete", data={"csrf_token": csrf(web)}).status_code == 302
    assert "只能删除草稿" in web.get(f"/contracts/{contract_id}").text


def test_an_amendment_request_is_a_banner_at_the_top_and_a_registration_ends_the_steps(
    web, file_contract, api_as, make_account
):
    contract_id = file_contract()
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={}).status_code == 200
    accepted = web.get(f"/contracts/{contract_id}").text
    assert "暂定" not in element(accepted, "expected-decision").text
    body = {"reasons": ["补充技术附件", "核对成交额"], "due_on": "2099-12-31"}
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/request-amendment", json=body).status_code == 200
    page = web.get(f"/contracts/{contract_id}").text
    banner = element(page, "amendment-banner")
    assert "补充技术附件" in banner.text and "核对成交额" in banner.text and "2099-12-31" in banner.text
    assert page.index('id="amendment-banner"') < page.index('id="findings"' if 'id="findings"' in page else "s-basic")
    assert steps_of(page)["review"] == "current"
    assert submit(web, contract_id).status_code == 302
    assert element(web.get(f"/contracts/{contract_id}").text, "amendment-banner") is None
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    register = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=register).status_code == 200
    done = web.get(f"/contracts/{contract_id}").text
    assert steps_of(done) == {"apply": "done", "accept": "done", "review": "done", "decide": "done"}
    assert element(done, "step-end").text == "已登记"
    assert element(done, "expected-decision") is None and "暂定" not in done


def test_a_refused_filing_ends_on_the_refusal(web, file_contract, api_as, make_account):
    contract_id = file_contract()
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    refusal = {"grounds": ["other"], "note": "测试"}
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/refuse", json=refusal).status_code == 200
    page = web.get(f"/contracts/{contract_id}").text
    assert steps_of(page)["decide"] == "refused" and element(page, "step-end").text == "未予登记"
