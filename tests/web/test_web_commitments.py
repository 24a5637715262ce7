"""The bureau sets a station's service commitment and the institutions it serves on the station page; the queue
shows both due dates and the supervision page counts the breaches of each."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.demo.seed import complete_credit_code
from app.domain.calendar import add_working_days
from app.domain.clock import today_local
from app.extensions import db
from app.models import Contract
from tests.factories import SELLER_CODE
from tests.web.webtools import csrf, element

PAGE = "/bureau/stations/130402"


@pytest.fixture
def bureau(sign_in, make_account):
    return sign_in(make_account("bureau"))


def post(client, url: str, **data):
    return client.post(url, data={**data, "csrf_token": csrf(client, PAGE)})


def test_the_commitment_is_checked_against_the_statutory_limit_and_shown_beside_it(
    app, bureau, sign_in, make_account, file_contract
):
    too_long = post(bureau, f"{PAGE}/commitment", commitment_days="20")
    assert too_long.status_code == 422
    form = element(too_long.text, "commitment")
    assert form.codes == ["commitment.range"] and form.inputs["commitment_days"] == "20"
    assert "15 个工作日" in form.text
    assert post(bureau, f"{PAGE}/commitment", commitment_days="abc").status_code == 422
    assert post(bureau, f"{PAGE}/commitment", commitment_days="5").status_code == 302
    assert element(bureau.get(PAGE).text, "commitment").inputs["commitment_days"] == "5"

    reviewer = sign_in(make_account("reviewer", station_code="130402"))
    contract_id = file_contract()
    token = csrf(reviewer, f"/station/contracts/{contract_id}")
    reviewer.post(f"/station/contracts/{contract_id}/accept", data={"csrf_token": token})
    promised = add_working_days(today_local(), 5)[0].isoformat()
    statutory = add_working_days(today_local(), 15)[0].isoformat()
    row = re.search(rf'<tr[^>]*data-id="{contract_id}".*?</tr>', reviewer.get("/station/queue").text, re.S).group(0)
    assert statutory in row and f"承诺 {promised}" in row and "超出承诺" not in row
    page = reviewer.get(f"/station/contracts/{contract_id}").text
    assert element(page, "promised-due-on").text == promised and element(page, "due-on").text.strip() == statutory

    with app.app_context():  # the promise is missed, the statutory limit not yet
        contract = db.session.get(Contract, contract_id)
        contract.clock_started_on = today_local() - timedelta(days=14)
        contract.due_on = add_working_days(contract.clock_started_on, 15)[0]
        db.session.commit()
        late_by_promise = contract.due_on >= today_local()
    row = re.search(rf'<tr[^>]*data-id="{contract_id}".*?</tr>', reviewer.get("/station/queue").text, re.S).group(0)
    assert "超出承诺" in row
    supervision = bureau.get("/stats/supervision").text
    station_row = re.search(r'<tr data-code="130402">.*?</tr>', supervision, re.S).group(0)
    late = re.search(r'data-breach="late">(\d+)<', station_row).group(1)
    promised_late = re.search(r'data-breach="late_on_commitment">(\d+)', station_row).group(1)
    assert (late, promised_late) == ("0" if late_by_promise else "1", "1")


def test_institutions_are_added_with_a_checked_code_and_removed(bureau):
    wrong = post(bureau, f"{PAGE}/institutions", credit_code=SELLER_CODE[:-1] + "0", institution_name="")
    assert wrong.status_code == 422
    form = element(wrong.text, "add-institution")
    assert (
        form.codes == ["credit_code.check_digit", "required"] and form.inputs["credit_code"] == SELLER_CODE[:-1] + "0"
    )
    code = complete_credit_code("12130400MB1600001")
    assert post(bureau, f"{PAGE}/institutions", credit_code=code, institution_name="河北工程大学").status_code == 302
    taken = post(bureau, "/bureau/stations/130403/institutions", credit_code=code, institution_name="河北工程大学")
    assert taken.status_code == 409 and element(taken.text, "add-institution").codes == ["credit_code.taken"]
    page = bureau.get(PAGE).text
    assert "河北工程大学" in element(page, "institution-list").text
    removal = re.search(r'action="(/bureau/stations/130402/institutions/\d+/remove)"[^>]*data-confirm=', page).group(1)
    assert post(bureau, removal).status_code == 302
    assert "河北工程大学" not in element(bureau.get(PAGE).text, "institution-list").text
    assert post(bureau, removal).status_code == 404
