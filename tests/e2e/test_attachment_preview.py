"""The review page's preview shows an attachment in Chromium's PDF viewer even though the attachment is served
with a sandboxing Content-Security-Policy, nosniff and (without ?inline=1) as a download."""

from __future__ import annotations

import io

import pytest

from tests.api.test_uploads import pdf
from tests.e2e.conftest import sign_in_browser
from tests.factories import filing

PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"  # Chromium's built-in PDF viewer


@pytest.mark.e2e
def test_the_review_page_previews_a_sandboxed_pdf(api, make_account, live_server, browser_page):
    contract = api.post("/api/v1/contracts", json=filing()).json
    uploaded = api.post(
        f"/api/v1/contracts/{contract['id']}/attachments",
        data={"kind": "contract_text", "file": (io.BytesIO(pdf()), "合同文本.pdf")},
    )
    assert uploaded.status_code == 201
    assert api.post(f"/api/v1/contracts/{contract['id']}/submit", json={}).status_code == 200
    reviewer = make_account("reviewer", station_code="130402")
    page = browser_page
    sign_in_browser(page, live_server, reviewer)

    attachment = f"/api/v1/contracts/{contract['id']}/attachments/{uploaded.json['id']}?inline=1"
    with page.expect_response(lambda response: response.url.endswith(attachment)) as served:
        page.goto(f"{live_server}/station/contracts/{contract['id']}")
    policy = served.value.header_value("content-security-policy")
    assert policy.startswith("sandbox;") and served.value.header_value("x-content-type-options") == "nosniff"
    for _ in range(50):  # the viewer loads in a frame of its own, after the page
        if any(frame.url.startswith(PDF_VIEWER) for frame in page.frames):
            break
        page.wait_for_timeout(100)
    viewers = [frame for frame in page.frames if frame.url.startswith(PDF_VIEWER)]
    assert viewers, [frame.url for frame in page.frames]  # not an error page, not a download
    assert viewers[0].parent_frame.url.endswith(attachment)  # the viewer runs inside the preview frame
