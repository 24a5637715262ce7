"""What anyone meets: the home page, the service guide, the FAQ, the tax officers' help, the footer and the menu,
the icon, and verification by number; Chinese by default, English on request."""

import html
import re

import pytest

from app.config import build_config
from tests.web.webtools import element


def test_home_is_chinese_by_default(client):
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text
    assert "技术合同认定登记系统" in page.text
    assert "单位注册" in page.text and 'href="/signup"' in page.text and 'href="/login"' in page.text
    assert "我的合同" not in page.text


def test_home_in_english_with_lang_en_and_the_choice_is_remembered(client):
    page = client.get("/?lang=en")
    assert '<html lang="en">' in page.text
    assert "Technology Contract Registration System" in page.text
    assert "Register your organisation" in page.text
    assert "单位注册" not in page.text
    assert "Sign in" in client.get("/login").text
    assert "单位注册" in client.get("/?lang=zh").text


def test_language_switch_link_keeps_the_page_and_its_query(client):
    page = client.get("/login?next=%2Fcontracts")
    assert 'href="/login?next=%2Fcontracts&amp;lang=en"' in page.text


def test_signed_in_applicant_gets_a_link_to_their_contracts(web):
    page = web.get("/")
    assert 'href="/contracts"' in page.text and "我的合同" in page.text
    assert 'href="/signup"' not in page.text


def test_stylesheets_are_served_by_the_app_itself(client):
    page = client.get("/")
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text)
    assert len(stylesheets) >= 2 and all(href.startswith("/") for href in stylesheets)
    for href in stylesheets:
        with client.get(href) as response:
            assert response.status_code == 200
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page.text)
    assert scripts and all(src.startswith("/") for src in scripts)


# ---- issue 12: what anyone meets (service guide, FAQ, tax help, footer, menu, icon, verification by number) ----

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}


@pytest.fixture
def certificate(api, api_as, make_account, file_contract):
    """(registration number, check code) of a contract registered with its certificate."""
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    body = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).json
    return body["registration_number"], body["certificate"]["check_code"]


def text_of(page) -> str:
    return html.unescape(page.text)


def test_guide_index_lists_categories_limits_fee_and_stations_in_chinese(client):
    page = client.get("/guide")
    assert page.status_code == 200
    body = text_of(page)
    for category in ("development", "transfer", "licensing", "consultation", "service"):
        assert f'href="/guide/{category}"' in body
    limits = element(page.text, "guide-limits").text
    assert "15 个工作日" in limits and "30 个工作日" in limits and "5,000,000.00" in limits
    assert "10,000,000.00" in limits and "不收费" in limits
    stations = element(page.text, "guide-stations").text
    assert "邯山区技术合同登记站" in stations and "河北省邯郸市邯山区" in stations and "130402" in stations


def test_guide_index_in_english(client):
    body = text_of(client.get("/guide?lang=en"))
    assert "15 working days" in body and "Free of charge." in body and "Guides by contract category" in body
    assert "办事指南" not in body


def test_guide_of_a_category_takes_the_attachments_from_the_rules(client):
    page = client.get("/guide/transfer")
    assert page.status_code == 200
    rows = element(page.text, "guide-attachments").text
    assert "合同文本" in rows and "请上传合同文本（不受理口头合同）。" in rows  # the rule's own message
    assert "知识产权证书" in rows and "中外文本一致性承诺书" in rows
    assert 'data-kind="contract_text" data-required="yes"' in page.text
    assert 'data-kind="ip_certificate" data-required="no"' in page.text
    assert "让与人" in element(page.text, "guide-filer").text
    assert "专利申请权转让" in element(page.text, "guide-subtypes").text
    development = client.get("/guide/development?lang=en").text
    assert 'data-kind="ip_certificate"' not in development  # no registered right passes in development
    assert "Attach the contract text (oral contracts are not accepted)." in html.unescape(development)
    assert "Technology development" in development
    for kind in ("representative_authorisation", "funder_consent", "import_licence"):  # asked when the situation is
        assert f'data-kind="{kind}" data-required="no"' in page.text and f'data-kind="{kind}"' in development
    assert "合同由内部机构或课题组签订，请上传法定代表人授权书。" in rows and "技术进口合同登记证书" in rows
    for kind in ("technical_annex", "quotation"):  # noted by the rules for development, listed once
        assert development.count(f'data-kind="{kind}"') == 1
    assert 'data-kind="quotation"' not in page.text


def test_guide_of_an_unknown_category_is_404(client):
    assert client.get("/guide/astrology").status_code == 404


def test_faq_answers_ten_questions_in_both_languages(client):
    zh = client.get("/faq")
    assert zh.status_code == 200 and zh.text.count("<summary>") >= 10
    body = text_of(zh)
    assert "什么是核验码？" in body and "如何核验登记证明的真伪？" in body and "忘记密码怎么办？" in body
    assert "15 个工作日" in body  # the decision limit comes from the rule set in force
    en = text_of(client.get("/faq?lang=en"))
    assert "What is the check code?" in en and "How is my data protected?" in en and "15 working days" in en


def test_tax_help_explains_the_manifest_check_and_the_columns(client):
    page = client.get("/help/tax")
    assert page.status_code == 200
    body = text_of(page)
    assert "/.well-known/tcr/root-ca.pem" in body and "openssl dgst -sha256 -verify bureau.pub" in body
    assert "next_cursor" in body and "/api/v1/tax/feed?after=" in body
    assert "certified_technical_amount" in element(page.text, "help-field-dictionary").text
    assert "Checking a manifest" in text_of(client.get("/help/tax?lang=en"))


def test_the_tax_home_links_to_the_help(make_account, sign_in):
    officer = sign_in(make_account("tax", area_codes=("130402",)))
    assert 'href="/help/tax"' in officer.get("/tax").text


def test_the_tax_lookup_explains_a_mistyped_number_on_its_page(make_account, sign_in):
    officer = sign_in(make_account("tax", area_codes=("130402",)))
    page = officer.get("/tax/lookup?number=130402202600001")
    assert page.status_code == 404
    assert "130402202600001" in element(page.text, "lookup-not-found").text
    assert 'id="lookup-form"' in page.text and 'value="130402202600001"' in page.text


def test_footer_names_the_organiser_the_contact_and_the_links(client):
    page = client.get("/")
    footer = page.text.split('id="site-footer"')[1]
    assert "主办单位" in footer and "邯郸市科学技术局" in footer and "演示" in footer
    for href in ("/guide", "/faq", "/verify", "/.well-known/tcr/root-ca.pem", "/api/v1/docs"):
        assert f'href="{href}"' in footer
    assert "页面时间均为北京时间" in footer
    english = client.get("/faq?lang=en").text.split('id="site-footer"')[1]
    assert "Handan Municipal Science and Technology Bureau" in english and "Organiser" in english


def test_the_organiser_and_contact_come_from_the_configuration(app):
    app.config.update(ORGANISER_NAME="某市科学技术局", CONTACT_PHONE="0310-7654321")
    footer = app.test_client().get("/guide").text.split('id="site-footer"')[1]
    assert "某市科学技术局" in footer and "0310-7654321" in footer and "邯郸市科学技术局" not in footer


def test_the_menu_collapses_behind_a_toggler_and_offers_the_guide(client):
    page = client.get("/")
    assert "navbar-expand-lg" in page.text and 'data-bs-target="#tcr-nav-items"' in page.text
    assert '<div class="collapse navbar-collapse" id="tcr-nav-items">' in page.text
    menu = page.text.split('id="tcr-nav-items"')[1].split("</nav>")[0]
    assert 'href="/guide"' in menu and 'href="/verify"' in menu and 'href="/login"' in menu


def test_the_guide_is_in_every_signed_in_menu(web):
    menu = web.get("/contracts").text.split('id="tcr-nav-items"')[1].split("</nav>")[0]
    assert 'href="/guide"' in menu and 'href="/contracts"' in menu


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.headers["Location"].endswith("/static/favicon.svg")
    with client.get(response.headers["Location"]) as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def test_verify_page_offers_the_number_form_beside_the_upload(client):
    page = client.get("/verify")
    assert 'id="verify-number-form"' in page.text and 'id="verify-upload-form"' in page.text
    assert 'action="/verify/by-number"' in page.text and 'name="number"' in page.text and 'name="c"' in page.text


def test_verify_by_number_with_the_right_code_shows_the_registration(client, certificate):
    number, code = certificate
    response = client.get("/verify/by-number", query_string={"number": number, "c": code})
    assert response.status_code == 302 and response.headers["Location"] == f"/verify/{number}?c={code}"
    page = client.get(response.headers["Location"])
    assert "有效" in page.text and "示范**有限公司" in page.text


def test_verify_by_number_accepts_what_people_type(client, certificate):
    number, code = certificate
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number[:6])  # "１３０４０２"
    messy = f" {full_width} {number[6:10]}-{number[10:]} "
    response = client.get("/verify/by-number", query_string={"number": messy, "c": f" {code.lower()[:4]} {code[4:]}"})
    assert response.headers["Location"] == f"/verify/{number}?c={code}"


def test_verify_by_number_with_a_wrong_code_reveals_only_that_the_number_exists(client, certificate):
    number, code = certificate
    wrong = "22222222" if code != "22222222" else "33333333"
    page = client.get("/verify/by-number", query_string={"number": number, "c": wrong}, follow_redirects=True)
    assert page.status_code == 200
    assert "该登记编号存在" in page.text and "核验码不匹配" in page.text
    assert "示范**有限公司" not in page.text and "1,080,000.00" not in page.text


def test_verify_by_number_of_an_unknown_number_says_so(client, certificate):
    number, code = certificate
    unknown = number[:-6] + "999999"
    page = client.get("/verify/by-number", query_string={"number": unknown, "c": code}, follow_redirects=True)
    assert page.status_code == 200 and unknown in page.text and "不存在该登记编号" in page.text
    assert "示范**有限公司" not in page.text


def test_verify_by_number_explains_a_mistyped_number_and_code(client):
    page = client.get("/verify/by-number", query_string={"number": "13040220260001", "c": "ab1"})
    assert page.status_code == 400
    body = text_of(page)
    assert "登记编号为 16 位数字" in element(page.text, "v-number-error").text and "14 位" in body
    assert "核验码为 8 位" in element(page.text, "v-code-error").text
    assert 'value="13040220260001"' in page.text and 'value="AB1"' in page.text  # what was typed, kept
    empty = text_of(client.get("/verify/by-number?lang=en"))
    assert "Enter the registration number printed on the certificate." in empty
    assert "Enter the check code printed beside the QR code." in empty


def test_links_follow_the_port_the_server_is_told(monkeypatch):
    monkeypatch.delenv("TCR_PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("TCR_PORT", "5123")
    assert build_config()["PUBLIC_BASE_URL"] == "http://127.0.0.1:5123"
    monkeypatch.setenv("TCR_HOST", "0.0.0.0")
    assert build_config()["PUBLIC_BASE_URL"] == "http://127.0.0.1:5123"
    monkeypatch.setenv("TCR_PUBLIC_BASE_URL", "https://tcr.example.cn")
    assert build_config()["PUBLIC_BASE_URL"] == "https://tcr.example.cn"
