"""The station's pages: the queue with its deadlines, and each decision taken through the review page."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta

import pytest

from app.domain.calendar import add_working_days
from app.domain.clock import today_local
from app.extensions import db
from app.models import Contract
from tests.factories import MINIMAL_PDF, filing, through_experts
from tests.web.webtools import csrf, element, form_fields, submit, upload

DAYS_LEFT = re.compile(r"剩 \d+ (个工作日|日)")
EARLY_PILOT_CODE = "91350100M0001TGQXM"  # its check character fails: a warning to confirm (DOMAIN.md §10)
LARGE = {"amount": "12000000.00", "technical_amount": "12000000.00", "deductions": []}  # four eyes from 10,000,000


@pytest.fixture
def reviewer(sign_in, make_account):
    """A client of a reviewer of 邯山区 (130402), the default applicant's station."""
    return sign_in(make_account("reviewer", station_code="130402"))


def act(client, contract_id: int, action: str, **data):
    """Post one decision form of the review page, with the page's CSRF token."""
    token = csrf(client, f"/station/contracts/{contract_id}")
    return client.post(f"/station/contracts/{contract_id}/{action}", data={**data, "csrf_token": token})


def accepted(client, contract_id: int) -> int:
    """Accept the filing; a large one goes to the expert panel, whose opinion the bureau then records."""
    assert act(client, contract_id, "accept").status_code == 302
    through_experts(client.application, contract_id)
    return contract_id


def register(client, contract_id: int, **data):
    values = {"category": "development", "subtype": "commissioned", "certified_technical_amount": "1080000.00"}
    return act(client, contract_id, "register", **{**values, **data})


def set_due_on(app, contract_id: int, days_ago: int) -> None:
    with app.app_context():
        db.session.get(Contract, contract_id).due_on = today_local() - timedelta(days=days_ago)
        db.session.commit()


def row_of(page: str, contract_id: int) -> str:
    match = re.search(rf'<tr[^>]*data-id="{contract_id}".*?</tr>', page, re.S)
    assert match, f"#{contract_id} is not in the list"
    return match.group(0)


def timeline_item(page: str, to_status: str, action: str | None = None) -> str:
    """The text of the last history entry that moved to this status (or did this action)."""
    tags = re.findall(
        r'<li class="tcr-timeline-item" id="(history-\d+)" data-to="([a-z_]+)"'
        r'(?: data-action="(\w+)")?',
        page,
    )
    wanted = [i for i, to, done in tags if to == to_status and (action is None or done == action)]
    assert wanted, f"no {to_status} entry in the timeline"
    return element(page, wanted[-1]).text


def test_the_queue_shows_the_stations_undecided_filings_with_days_left_and_the_overdue_first(
    app, reviewer, file_contract, api_as, make_account
):
    waiting, on_time, late = file_contract(title="待受理"), file_contract(title="按期"), file_contract(title="超期")
    elsewhere = file_contract(title="他站")
    accepted(reviewer, on_time)
    accepted(reviewer, late)
    set_due_on(app, late, 3)
    bureau = api_as(make_account("bureau"))
    assert (
        bureau.post(f"/api/v1/contracts/{elsewhere}/reassign", json={"station": "130403", "reason": "属地"}).status_code
        == 200
    )

    page = reviewer.get("/station/queue").text
    ids = [int(i) for i in re.findall(r'<tr[^>]*data-id="(\d+)"', page)]
    assert ids == [late, on_time, waiting]  # by due date, the unaccepted (no due date yet) last
    assert 'data-level="overdue"' in row_of(page, late) and "已超期 3 日" in row_of(page, late)
    assert DAYS_LEFT.search(row_of(page, on_time)) and "tcr-row-overdue" not in row_of(page, on_time)
    assert "示范科技有限公司" in row_of(page, on_time) and "技术开发" in row_of(page, on_time)
    assert "已超期" not in row_of(page, waiting)

    overdue_only = reviewer.get("/station/queue?overdue=1").text
    assert re.findall(r'data-id="(\d+)"', overdue_only) == [str(late)]
    assert "已受理" in row_of(reviewer.get("/station/queue?status=accepted").text, on_time)
    assert f'data-id="{waiting}"' not in reviewer.get("/station/queue?status=accepted").text
    assert re.findall(r'data-id="(\d+)"', reviewer.get("/station/queue?q=按期").text) == [str(on_time)]
    assert re.findall(r'data-id="(\d+)"', reviewer.get(f"/station/queue?q=%23{waiting}").text) == [str(waiting)]
    assert "data-id=" not in reviewer.get("/station/queue?amount_min=2000000").text


def test_accept_amend_resubmit_accept_register_and_the_applicant_sees_every_decision(app, web, reviewer, file_contract):
    contract_id = accepted(reviewer, file_contract())
    review_page = reviewer.get(f"/station/contracts/{contract_id}").text
    assert element(review_page, "action-register") and DAYS_LEFT.search(element(review_page, "deadline").text)

    due = (today_local() + timedelta(days=10)).isoformat()
    returned = act(reviewer, contract_id, "request-amendment", reasons="补充技术附件\n 说明价款构成 \n", due_on=due)
    assert returned.status_code == 302
    own_page = web.get(f"/contracts/{contract_id}").text
    entry = timeline_item(own_page, "amendment_requested")
    assert "补充技术附件" in entry and "说明价款构成" in entry and due in entry
    assert element(own_page, "amendment-due-on").text == due

    edit = web.get(f"/contracts/{contract_id}/edit")
    assert edit.status_code == 200
    fields = {
        **form_fields(filing(summary="补正后的技术内容摘要：研究开发余热回收工艺。")),
        "csrf_token": csrf(web, f"/contracts/{contract_id}/edit"),
        "then": "view",
    }
    assert web.post(f"/contracts/{contract_id}/edit", data=fields).status_code == 302
    assert submit(web, contract_id).status_code == 302
    assert "已提交" in element(web.get(f"/contracts/{contract_id}").text, "contract-status").text

    accepted(reviewer, contract_id)
    registered = register(reviewer, contract_id, note="予以登记")
    assert registered.status_code == 302
    with app.app_context():
        number = db.session.get(Contract, contract_id).registration_number
    assert number and len(number) == 16
    assert number in reviewer.get(f"/station/contracts/{contract_id}").text

    own_page = web.get(f"/contracts/{contract_id}").text
    assert "已登记" in element(own_page, "contract-status").text
    assert number in timeline_item(own_page, "registered") and "予以登记" in timeline_item(own_page, "registered")
    assert "补充技术附件" in own_page  # the amendment's reasons stay in the history


def test_refusing_shows_未予登记_with_the_grounds_labels_and_a_missing_note_keeps_the_choices(
    web, reviewer, file_contract
):
    contract_id = file_contract()
    missing_note = act(reviewer, contract_id, "refuse", grounds=["subject_unclear", "price_unclear"], note=" ")
    assert missing_note.status_code == 422
    form = element(missing_note.text, "action-refuse")
    assert "required" in form.codes and "open" in missing_note.text.split('id="action-refuse"')[1][:20]
    assert 'value="subject_unclear" id="ground-subject_unclear" checked' in missing_note.text

    refused = act(reviewer, contract_id, "refuse", grounds=["subject_unclear", "price_unclear"], note="标的不清")
    assert refused.status_code == 302
    own_page = web.get(f"/contracts/{contract_id}").text
    assert "未予登记" in element(own_page, "contract-status").text
    entry = timeline_item(own_page, "refused")
    assert "技术标的不明确" in entry and "价款、报酬或者使用费不明确" in entry and "标的不清" in entry


def test_a_correction_without_its_reason_is_shown_on_the_page_with_the_values_entered(web, reviewer, file_contract):
    contract_id = accepted(reviewer, file_contract())
    response = register(reviewer, contract_id, certified_technical_amount="900,000.00")
    assert response.status_code == 422
    form = element(response.text, "action-register")
    assert form.codes == ["correction.reason_required"]
    assert form.inputs["certified_technical_amount"] == "900,000.00"

    corrected = register(
        reviewer,
        contract_id,
        certified_technical_amount="900,000.00",
        **{"correction_reasons.certified_technical_amount": "扣除设备费"},
    )
    assert corrected.status_code == 302
    entry = timeline_item(web.get(f"/contracts/{contract_id}").text, "registered")
    assert "1,080,000.00" in entry and "900,000.00" in entry and "扣除设备费" in entry


def test_an_unreadable_amount_or_date_is_a_field_error(reviewer, file_contract):
    contract_id = accepted(reviewer, file_contract())
    bad_amount = register(reviewer, contract_id, certified_technical_amount="一百万")
    assert bad_amount.status_code == 422 and element(bad_amount.text, "action-register").codes == ["amount.format"]
    bad_date = act(reviewer, contract_id, "request-amendment", reasons="补充", due_on="明天")
    assert bad_date.status_code == 422 and "date.format" in element(bad_date.text, "action-request_amendment").codes
    no_reason = act(reviewer, contract_id, "request-amendment", reasons="", due_on="2099-01-01")
    assert no_reason.status_code == 422 and element(no_reason.text, "action-request_amendment").codes == ["required"]


def test_four_eyes_the_proposer_cannot_approve_and_another_reviewer_registers(
    app, reviewer, sign_in, make_account, file_contract
):
    contract_id = accepted(reviewer, file_contract(**LARGE))
    proposed = register(reviewer, contract_id, certified_technical_amount="12000000.00")
    assert proposed.status_code == 302
    page = reviewer.get(f"/station/contracts/{contract_id}").text
    assert element(page, "proposal") and element(page, "approve-blocked") and not element(page, "approve-button")
    assert "已受理" in element(page, "contract-status").text
    assert act(reviewer, contract_id, "approve").status_code == 403

    second = sign_in(make_account("reviewer", station_code="130402"))
    page = second.get(f"/station/contracts/{contract_id}").text
    assert "12,000,000.00" in element(page, "proposal").text and element(page, "approve-button")
    assert act(second, contract_id, "approve").status_code == 302
    page = second.get(f"/station/contracts/{contract_id}").text
    assert "已登记" in element(page, "contract-status").text and element(page, "registration-number")


def test_change_cancel_and_revoke_a_registration(web, reviewer, file_contract):
    first, second = (accepted(reviewer, file_contract(title=f"合同{i}")) for i in (1, 2))
    assert register(reviewer, first).status_code == 302 and register(reviewer, second).status_code == 302

    without_reason = act(
        reviewer,
        first,
        "change",
        title="新名称",
        category="development",
        subtype="commissioned",
        certified_technical_amount="1080000.00",
        reason="",
    )
    assert without_reason.status_code == 422 and element(without_reason.text, "action-change").codes == ["required"]
    assert element(without_reason.text, "action-change").inputs["title"] == "新名称"
    changed = act(
        reviewer,
        first,
        "change",
        title="新名称",
        category="development",
        subtype="commissioned",
        certified_technical_amount="1080000.00",
        reason="双方补充协议更名",
    )
    assert changed.status_code == 302
    entry = timeline_item(web.get(f"/contracts/{first}").text, "registered", "change")
    assert "合同1" in entry and "新名称" in entry and "双方补充协议更名" in entry

    assert act(reviewer, first, "cancel", reason="合同已解除").status_code == 302
    assert "已注销" in element(web.get(f"/contracts/{first}").text, "contract-status").text
    assert act(reviewer, second, "revoke", reason="提供虚假材料").status_code == 302
    own_page = web.get(f"/contracts/{second}").text
    assert "已撤销" in element(own_page, "contract-status").text and "提供虚假材料" in timeline_item(
        own_page, "revoked"
    )
    assert act(reviewer, second, "cancel", reason="再注销").status_code == 409


def test_a_decision_taken_in_the_wrong_status_is_a_conflict_shown_on_the_page(reviewer, file_contract):
    contract_id = file_contract()
    response = register(reviewer, contract_id)
    assert response.status_code == 409 and element(response.text, "action-errors")


def test_the_review_page_shows_the_filing_its_warnings_as_confirmed_the_attachments_and_the_deadline(api, reviewer):
    buyer = {**filing()["buyer"], "credit_code": EARLY_PILOT_CODE}
    contract_id = api.post("/api/v1/contracts", json=filing(buyer=buyer)).json["id"]
    api.post(
        f"/api/v1/contracts/{contract_id}/attachments",
        data={"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")},
    )
    warnings = [e["code"] for e in api.post(f"/api/v1/contracts/{contract_id}/submit", json={}).json["errors"]]
    assert api.post(f"/api/v1/contracts/{contract_id}/submit", json={"acknowledge": warnings}).status_code == 200
    accepted(reviewer, contract_id)

    page = reviewer.get(f"/station/contracts/{contract_id}").text
    assert "钢铁冶炼余热回收技术开发" in page and EARLY_PILOT_CODE in page and "换热器两台" in page
    findings = element(page, "findings")
    assert set(warnings) <= set(findings.codes) and "申请人已确认" in findings.text
    assert "c.pdf" in element(page, "attachments").text and element(page, "preview")
    assert DAYS_LEFT.search(element(page, "deadline").text)
    preview = reviewer.get(
        f"/api/v1/contracts/{contract_id}/attachments/"
        + re.search(r'id="preview"[^>]*/attachments/(\d+)', page, re.S).group(1)
    )
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    preview.close()


def named_reviewer(app, sign_in, make_account, name: str):
    """A signed-in reviewer of 130402 with a name of its own (to tell proposer from approver on the page)."""
    from app.models import User

    account = make_account("reviewer", station_code="130402")
    with app.app_context():
        db.session.get(User, account.id).name = name
        db.session.commit()
    return sign_in(account)


def test_a_change_above_the_threshold_is_proposed_and_another_reviewer_approves_it(
    app, web, sign_in, make_account, file_contract
):
    proposer = named_reviewer(app, sign_in, make_account, "王复核")
    approver = named_reviewer(app, sign_in, make_account, "李批准")
    contract_id = accepted(proposer, file_contract(**LARGE))
    assert (
        register(proposer, contract_id, certified_technical_amount="9999999.99", note="扣除非技术部分").status_code
        == 302
    )

    proposed = act(proposer, contract_id, "change", certified_technical_amount="12,000,000.00", reason="补充协议")
    assert proposed.status_code == 302
    page = proposer.get(f"/station/contracts/{contract_id}").text
    proposal = element(page, "proposal")
    assert "待复核的变更意见" in proposal.text and "王复核" in element(page, "proposal-by").text
    assert "9,999,999.99" in proposal.text and "12,000,000.00" in proposal.text and "补充协议" in proposal.text
    assert proposal.codes == ["certified_technical_amount", "amount.threshold"]
    assert element(page, "approve-blocked") and not element(page, "approve-button")
    assert "9,999,999.99" in element(page, "f-certified_technical_amount").text  # not applied yet
    assert act(proposer, contract_id, "approve").status_code == 403

    queue = approver.get("/station/queue?status=approval").text  # where the second reviewer finds it
    assert element(queue, "count-awaiting-approval").text.split()[0] == "1" and row_of(queue, contract_id)
    assert re.findall(r'<tr[^>]*data-id="(\d+)"', approver.get("/station/queue").text) == []  # not undecided
    page = approver.get(f"/station/contracts/{contract_id}").text
    assert "复核通过并变更" in element(page, "approve-button").text
    assert act(approver, contract_id, "approve").status_code == 302
    own_page = web.get(f"/contracts/{contract_id}").text  # the applicant follows it on its own page
    assert "12,000,000.00" in timeline_item(own_page, "registered", "change")
    assert "提议：王复核 · 复核：李批准" in timeline_item(own_page, "registered", "change")
    assert "王复核" in timeline_item(own_page, "registered", "change_proposed")
    assert "data-id=" not in approver.get("/station/queue?status=approval").text
    page = approver.get(f"/station/contracts/{contract_id}").text
    assert not element(page, "proposal") and "12,000,000.00" in element(page, "f-certified_technical_amount").text


def test_the_change_form_changes_amount_and_validity_at_once_and_shows_field_errors(reviewer, file_contract):
    contract_id = accepted(reviewer, file_contract())
    assert register(reviewer, contract_id).status_code == 302
    bad_date = act(reviewer, contract_id, "change", valid_until="下个月", reason="延期")
    assert bad_date.status_code == 422 and element(bad_date.text, "action-change").codes == ["date.format"]
    too_low = act(reviewer, contract_id, "change", amount="1000000.00", reason="降价")
    assert too_low.status_code == 422 and element(too_low.text, "action-change").codes == ["amount.certified_range"]
    assert element(too_low.text, "action-change").inputs["amount"] == "1000000.00"

    changed = act(reviewer, contract_id, "change", amount="1,500,000.00", valid_until="2099-12-31", reason="补充协议")
    assert changed.status_code == 302
    page = reviewer.get(f"/station/contracts/{contract_id}").text
    entry = timeline_item(page, "registered", "change")
    assert "1,250,000.00" in entry and "1,500,000.00" in entry and "2099-12-31" in entry
    assert not element(page, "proposal")


def test_a_category_change_on_the_page_waits_for_approval(reviewer, file_contract):
    contract_id = accepted(reviewer, file_contract())
    assert register(reviewer, contract_id).status_code == 302
    proposed = act(reviewer, contract_id, "change", category="service", subtype="technical_service", reason="实为服务")
    assert proposed.status_code == 302
    page = reviewer.get(f"/station/contracts/{contract_id}").text
    assert "category.changed" in element(page, "proposal-reasons").codes
    assert "技术开发" in element(page, "f-category").text and "技术服务" in element(page, "proposal").text


def test_the_register_form_takes_the_note_as_the_reason_for_a_correction(web, reviewer, file_contract):
    contract_id = accepted(reviewer, file_contract())
    done = register(reviewer, contract_id, certified_technical_amount="900,000.00", note="扣除设备费")
    assert done.status_code == 302
    entry = timeline_item(web.get(f"/contracts/{contract_id}").text, "registered")
    assert "900,000.00" in entry and "扣除设备费" in entry


# ---- issue 12: the reviewer's day ---------------------------------------------------------------------------

EXPERT = {"amount": "6000000.00", "technical_amount": "6000000.00", "deductions": []}  # expert review from 5,000,000


def confirmation(page: str, form_id: str) -> str:
    """The consequence a form's confirmation states (its data-confirm), or "" when it asks nothing."""
    tag = re.search(rf'<form[^>]*id="{form_id}"[^>]*>', page)
    assert tag, f"no form {form_id} on the page"
    found = re.search(r'data-confirm="([^"]*)"', tag.group(0))
    return html.unescape(found.group(1)) if found else ""


def test_the_accept_hint_states_the_limit_that_will_apply_and_the_date_acceptance_gives(app, reviewer, file_contract):
    small, large = file_contract(), file_contract(**EXPERT)
    fifteen = add_working_days(today_local(), 15)[0].isoformat()
    thirty = add_working_days(today_local(), 30)[0].isoformat()

    hint = element(reviewer.get(f"/station/contracts/{small}").text, "accept-hint").text
    assert "15 个工作日" in hint and fifteen in hint and "专家评审" not in hint
    hint = element(reviewer.get(f"/station/contracts/{large}").text, "accept-hint").text
    assert "30 个工作日" in hint and thirty in hint and "专家评审限额" in hint and "5,000,000.00" in hint
    assert "转交专家评审" in hint  # acceptance hands it to the panel
    english = element(reviewer.get(f"/station/contracts/{large}?lang=en").text, "accept-hint").text
    assert "30 working days" in english and "expert-review threshold" in english and "expert panel" in english

    for contract_id, date in ((small, fifteen), (large, thirty)):  # the hint said what acceptance does
        accepted(reviewer, contract_id)
        with app.app_context():
            assert db.session.get(Contract, contract_id).due_on.isoformat() == date


def test_every_decision_with_legal_effect_asks_first_and_says_its_consequence(
    app, reviewer, sign_in, make_account, file_contract
):
    contract_id, undecided = file_contract(), file_contract(title="另一份技术开发合同")
    page = reviewer.get(f"/station/contracts/{contract_id}").text
    assert add_working_days(today_local(), 15)[0].isoformat() in confirmation(page, "form-accept")
    assert "受理" in confirmation(page, "form-accept")
    assert 'data-confirm-ok="确认"' in page and 'data-confirm-cancel="取消"' in page
    accepted(reviewer, contract_id)
    page = reviewer.get(f"/station/contracts/{contract_id}").text
    assert "示范科技有限公司" in confirmation(page, "form-register") and "登记证明" in confirmation(
        page, "form-register"
    )
    assert "补正" in confirmation(page, "form-request_amendment")
    assert "不予登记" in confirmation(page, "form-refuse")
    assert register(reviewer, contract_id).status_code == 302
    with app.app_context():
        number = db.session.get(Contract, contract_id).registration_number
    page = reviewer.get(f"/station/contracts/{contract_id}").text
    assert number in confirmation(page, "form-change") and "新版本登记证明" in confirmation(page, "form-change")
    assert number in confirmation(page, "form-cancel") and "注销" in confirmation(page, "form-cancel")
    assert number in confirmation(page, "form-revoke") and "撤销" in confirmation(page, "form-revoke")
    english = reviewer.get(f"/station/contracts/{contract_id}?lang=en").text
    assert (
        confirmation(english, "form-cancel").startswith("Cancel registration")
        and 'data-confirm-ok="Confirm"' in english
    )

    large = accepted(reviewer, file_contract(**LARGE))
    page = reviewer.get(f"/station/contracts/{large}?lang=zh").text
    assert "第二位审核人" in confirmation(page, "form-register")  # four eyes: it waits
    assert register(reviewer, large, certified_technical_amount="12000000.00").status_code == 302
    second = sign_in(make_account("reviewer", station_code="130402"))
    assert "登记编号" in confirmation(second.get(f"/station/contracts/{large}").text, "form-approve")

    bureau = sign_in(make_account("bureau"))
    assert "移交" in confirmation(bureau.get(f"/station/contracts/{undecided}").text, "form-reassign")


def test_after_a_resubmission_the_station_sees_what_changed_and_which_request_it_answers(web, reviewer, file_contract):
    contract_id = accepted(reviewer, file_contract())
    assert not element(reviewer.get(f"/station/contracts/{contract_id}").text, "changed")  # a first submission
    due = (today_local() + timedelta(days=10)).isoformat()
    assert (
        act(reviewer, contract_id, "request-amendment", reasons="补充技术附件\n说明价款构成", due_on=due).status_code
        == 302
    )

    fields = {
        **form_fields(
            filing(
                summary="补正后的技术内容摘要：研究开发余热回收工艺。",
                amount="1300000.00",
                technical_amount="1130000.00",
            )
        ),
        "csrf_token": csrf(web, f"/contracts/{contract_id}/edit"),
        "then": "view",
    }
    assert web.post(f"/contracts/{contract_id}/edit", data=fields).status_code == 302
    assert upload(web, contract_id, kind="other", filename="价款说明.pdf").status_code == 302
    assert submit(web, contract_id).status_code == 302

    page = reviewer.get(f"/station/contracts/{contract_id}").text
    panel = element(page, "changed")
    assert "自上次提交以来的变更" in panel.text
    assert "补充技术附件" in element(page, "changed-reasons").text and "说明价款构成" in panel.text
    rows = dict(re.findall(r'<tr data-field="([\w.]+)">(.*?)</tr>', page, re.S))
    assert "summary" in rows and "补正后的技术内容摘要" in rows["summary"] and "技术内容摘要" in rows["summary"]
    assert "1,250,000.00" in rows["amount"] and "1,300,000.00" in rows["amount"] and "成交额" in rows["amount"]
    assert "title" not in rows  # unchanged fields are not listed
    attachments = element(page, "changed-attachments").text
    assert "新增附件" in attachments and "价款说明.pdf" in attachments and "删除附件" not in attachments


def test_a_second_reviewer_finds_what_awaits_their_approval_at_the_top_of_the_queue(
    app, sign_in, make_account, file_contract
):
    proposer = named_reviewer(app, sign_in, make_account, "王复核")
    second = named_reviewer(app, sign_in, make_account, "李批准")
    contract_id = accepted(proposer, file_contract(**LARGE, title="大额技术开发合同"))
    assert register(proposer, contract_id, certified_technical_amount="12000000.00").status_code == 302

    queue = second.get("/station/queue").text
    callout = element(queue, "to-approve")
    assert callout and element(queue, "to-approve-count").text == "1" and "件待您复核" in callout.text
    assert "大额技术开发合同" in callout.text and "王复核" in callout.text and "12,000,000.00" in callout.text
    assert f"/station/contracts/{contract_id}#proposal" in queue
    assert queue.index('id="to-approve"') < queue.index('id="queue"')  # the first thing on the page
    assert re.findall(r'<tr[^>]*data-id="(\d+)"', second.get("/station/queue?status=to_approve").text) == [
        str(contract_id)
    ]

    own = proposer.get("/station/queue").text  # the proposer cannot approve their own proposal
    assert not element(own, "to-approve")
    assert re.findall(r'<tr[^>]*data-id="(\d+)"', proposer.get("/station/queue?status=to_approve").text) == []

    page = second.get(f"/station/contracts/{contract_id}").text
    banner = element(page, "pending-banner")
    assert "等待第二位审核人复核" in banner.text and "12,000,000.00" in banner.text
    assert "王复核" in element(page, "pending-proposer").text and "查看并复核" in banner.text
    assert (
        "须由本站另一位审核人复核"
        in element(proposer.get(f"/station/contracts/{contract_id}").text, "pending-banner").text
    )

    assert act(second, contract_id, "approve").status_code == 302
    assert not element(second.get("/station/queue").text, "to-approve")
    assert not element(second.get(f"/station/contracts/{contract_id}").text, "pending-banner")


def test_the_timeline_credits_the_proposer_and_the_approver_of_a_registration(
    app, web, sign_in, make_account, file_contract
):
    proposer = named_reviewer(app, sign_in, make_account, "王复核")
    second = named_reviewer(app, sign_in, make_account, "李批准")
    contract_id = accepted(proposer, file_contract(**LARGE))
    assert register(proposer, contract_id, certified_technical_amount="12000000.00").status_code == 302
    assert act(second, contract_id, "approve").status_code == 302
    for page in (web.get(f"/contracts/{contract_id}").text, second.get(f"/station/contracts/{contract_id}").text):
        assert "提议：王复核 · 复核：李批准" in timeline_item(page, "registered")
    english = web.get(f"/contracts/{contract_id}?lang=en").text
    assert "Proposed: 王复核 · Approved: 李批准" in timeline_item(english, "registered")
    web.get("/contracts?lang=zh")  # the language chosen is remembered: back to Chinese

    alone = accepted(proposer, file_contract())  # one reviewer alone: credited as the actor, no pair
    assert register(proposer, alone).status_code == 302
    entry = timeline_item(web.get(f"/contracts/{alone}").text, "registered")
    assert "王复核" in entry and "提议：" not in entry
