"""API tokens from the web page: created and shown once, listed by prefix, usable on the API, revocable."""

import re

from tests.factories import csrf_from, filing


def new_token(html: str) -> str:
    """The plain token shown on the page right after creation."""
    return re.search(r'id="new-token" readonly value="([^"]+)"', html).group(1)


def create_token(client, name="ERP 系统"):
    token = csrf_from(client.get("/account/tokens").text)
    return client.post("/account/tokens", data={"name": name, "csrf_token": token})


def test_a_new_token_is_shown_once_and_works_on_the_api(web, app):
    response = create_token(web)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    plain = new_token(response.text)
    assert plain.startswith("tcr_")
    listing = web.get("/account/tokens")
    assert plain not in listing.text
    assert plain[:10] in listing.text and "ERP 系统" in listing.text and "从未使用" in listing.text

    api = app.test_client()
    headers = {"Authorization": f"Bearer {plain}"}
    assert api.get("/api/v1/contracts", headers=headers).json["items"] == []
    created = api.post("/api/v1/contracts", json=filing(), headers=headers)
    assert created.status_code == 201
    assert f'href="/contracts/{created.json["id"]}"' in web.get("/contracts").text
    assert "从未使用" not in web.get("/account/tokens").text  # the use is recorded


def test_a_revoked_token_no_longer_works(web, app):
    page = create_token(web, "临时")
    plain = new_token(page.text)
    token_id = re.search(r"/account/tokens/(\d+)/revoke", page.text).group(1)
    response = web.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 302
    assert "已吊销" in web.get("/account/tokens").text
    assert app.test_client().get("/api/v1/contracts", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


def test_a_token_needs_a_name(web):
    response = create_token(web, "  ")
    assert response.status_code == 422 and "请为令牌填写名称" in response.text
    assert 'id="new-token"' not in response.text


def test_another_users_token_cannot_be_revoked(web, sign_in, make_account):
    other = sign_in(make_account("applicant"))
    page = create_token(other, "他人")
    token_id = re.search(r"/account/tokens/(\d+)/revoke", page.text).group(1)
    response = web.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_from(web.get("/").text)})
    assert response.status_code == 404
    assert "已吊销" not in other.get("/account/tokens").text
