"""The OFD licence on the pages: a download link beside the PDF, and the public verification page checks an OFD."""

from __future__ import annotations

import html
import io
import re

from tests.api.test_certificates_api import REGISTER
from tests.web.webtools import csrf, element


def test_the_contract_page_links_the_ofd_and_the_verification_page_checks_it(
    app, sign_in, applicant, api, api_as, make_account, file_contract
):
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    number = reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).json["registration_number"]
    owner = sign_in(applicant)
    page = owner.get(f"/contracts/{contract_id}")
    href = f"/api/v1/contracts/{contract_id}/certificate.ofd"
    assert f'href="{href}" download id="link-ofd"' in page.text and "OFD" in element(page.text, "link-ofd").text
    response = owner.get(href)
    ofd = response.data
    response.close()

    visitor = app.test_client()
    form = visitor.get("/verify")
    assert re.search(r'id="i-file" name="file" accept="[^"]*\.ofd', form.text)
    answer = visitor.post(
        "/verify",
        data={"file": (io.BytesIO(ofd), f"{number}.ofd"), "csrf_token": csrf(visitor, "/verify")},
        content_type="multipart/form-data",
    )
    text = html.unescape(answer.text)
    assert answer.status_code == 200 and "真实有效" in text and number in text, text[:2000]
    forged = ofd.replace(b"OFD.xml", b"OFD.xmm")  # a part renamed: the package no longer opens as sealed
    refused = visitor.post(
        "/verify",
        data={"file": (io.BytesIO(forged), "forged.ofd"), "csrf_token": csrf(visitor, "/verify")},
        content_type="multipart/form-data",
    )
    assert "alert-danger" in refused.text and number not in html.unescape(refused.text)
