"""The bureau's reports page: it freezes a year through the form, shows the signed snapshot and the reconciliation,
the annual page says the year is frozen, and an upload batch is prepared and downloaded."""

from __future__ import annotations

import csv
import io

from app.domain.clock import today_local
from tests.factories import csrf_from

REGISTER = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}


def test_the_bureau_freezes_a_year_and_prepares_an_upload_batch(sign_in, make_account, api_as, file_contract):
    reviewer = api_as(make_account("reviewer", station_code="130402"))
    contract_id = file_contract()
    reviewer.post(f"/api/v1/contracts/{contract_id}/accept", json={})
    assert reviewer.post(f"/api/v1/contracts/{contract_id}/register", json=REGISTER).status_code == 200
    bureau = sign_in(make_account("bureau"))
    year = today_local().year

    page = bureau.get(f"/stats/reports?year={year}")
    assert page.status_code == 200 and 'id="freeze-button"' in page.text and "data-confirm" in page.text
    token = csrf_from(page.text)
    frozen = bureau.post("/stats/reports/freeze", data={"year": str(year), "csrf_token": token}, follow_redirects=True)
    assert 'id="snapshot-frozen"' in frozen.text and 'id="freeze-button"' not in frozen.text
    again = bureau.post("/stats/reports/freeze", data={"year": str(year), "csrf_token": token}, follow_redirects=True)
    assert f"{year}年度已冻结。" in again.text  # the refusal, as a message

    reviewer.post(f"/api/v1/contracts/{contract_id}/cancel", json={"reason": "合同提前终止"})
    page = bureau.get(f"/stats/reports?year={year}")
    assert 'id="reconciliation"' in page.text and "注销" in page.text
    annual = bureau.get(f"/stats/annual?year={year}")
    assert 'id="annual-frozen"' in annual.text

    made = bureau.post(
        "/stats/reports/upload/batches", data={"receiver": "national", "csrf_token": token}, follow_redirects=True
    )
    assert 'id="upload-batches"' in made.text
    batch_url = made.text.split('href="/stats/reports/upload/batches/')[1].split('"')[0]
    file = bureau.get(f"/stats/reports/upload/batches/{batch_url.replace('.xlsx', '.csv')}")
    rows = list(csv.reader(io.StringIO(file.data.decode("utf-8-sig"))))
    assert rows[1][:3] == ["seq", "event", "event_label"]
    assert [row[1] for row in rows[2:]] == ["registered", "cancelled"]
    nothing = bureau.post(
        "/stats/reports/upload/batches", data={"receiver": "national", "csrf_token": token}, follow_redirects=True
    )
    assert nothing.text.count('href="/stats/reports/upload/batches/') == 2  # one batch (XLSX, CSV), no empty one
