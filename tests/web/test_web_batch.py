"""The batch-filing page without JavaScript: a plain form post answers with the per-row results."""

from __future__ import annotations

import io
import re

from tests.factories import MINIMAL_PDF, csrf_from, filing
from tests.filing.batch_workbooks import workbook


def post(web, data: bytes):
    token = csrf_from(web.get("/contracts/batch").text)
    return web.post(
        "/contracts/batch",
        data={"file": (io.BytesIO(data), "合同.xlsx"), "csrf_token": token},
        content_type="multipart/form-data",
    )


def test_the_page_offers_the_template_and_a_progress_bar_script(web):
    page = web.get("/contracts/batch").text
    assert 'href="/contracts/batch/template.xlsx"' in page
    assert "js/batch.js" in page and 'id="batch-progress"' in page
    assert web.get("/contracts/batch/template.xlsx").data.startswith(b"PK\x03\x04")


def test_a_posted_workbook_shows_each_row_with_a_link_or_its_findings(web):
    response = post(web, workbook([filing(title="页面好合同"), filing(title="页面坏合同", category="bogus")]))
    assert response.status_code == 200
    page = response.text
    assert "共 2 行，1 行已保存为草稿；1 行被拒绝（均未保存）。" in page
    created = re.search(r'href="/contracts/(\d+)">草稿 #\1</a>', page)
    assert created
    assert "页面好合同" in web.get(f"/contracts/{created.group(1)}").text
    rejected = re.search(r'<tr class="tcr-batch-rejected"[^>]*>(.*?)</tr>', page, re.S).group(1)
    assert 'data-code="code.unknown"' in rejected and "代码不在代码表中。" in rejected


def test_a_file_that_is_not_a_workbook_is_shown_as_refused(web):
    response = post(web, MINIMAL_PDF)
    assert response.status_code == 415
    assert "文件内容不是 XLSX 工作簿。" in response.text
    assert 'id="batch-rows"' not in response.text
