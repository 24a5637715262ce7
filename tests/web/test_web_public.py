"""The home page: Chinese by default, English on request, and what it offers to whom."""

import re


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
