"""The tax office answering back, through the services: claims once per preference, claimant and year, only by an
entitled party of a registration in the officer's areas; objections the station answers through review's change
and revoke under the one four-eyes rule; every act on the timeline and in the feed."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.clock import today_local
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.filing.schemas import ContractIn
from app.filing.services import attachments, contracts
from app.models import AuditRecord, TaxEvent, User
from app.review.services import review
from app.tax.services import writeback
from tests.factories import BUYER_CODE, MINIMAL_PDF, SELLER_CODE, filing

YEAR = today_local().year


@pytest.fixture
def people(app, make_account):
    accounts = {
        "applicant": make_account("applicant"),
        "reviewer": make_account("reviewer", station_code="130402"),
        "second": make_account("reviewer", station_code="130402"),
        "officer": make_account("tax", area_codes=("130402",)),
        "colleague": make_account("tax", area_codes=("130402",)),
        "elsewhere": make_account("tax", area_codes=("130403",)),
    }
    with app.app_context():
        yield {role: db.session.get(User, account.id) for role, account in accounts.items()}


def registered(people, **overrides):
    applicant, reviewer = people["applicant"], people["reviewer"]
    contract = contracts.create_draft(applicant, ContractIn().load(filing(**overrides)))
    attachments.add_attachment(applicant, contract, io.BytesIO(MINIMAL_PDF), "c.pdf", "contract_text")
    contracts.submit(applicant, contract)
    review.accept(reviewer, contract)
    review.register(reviewer, contract, "development", "commissioned", review.certifiable_amount(contract))
    db.session.commit()
    return contract


def events(contract) -> list[str]:
    return list(db.session.scalars(select(TaxEvent.event).where(TaxEvent.contract_id == contract.id)))


def actions(contract) -> list[str]:
    return [h.details.get("action") for h in contract.history if h.details.get("action")]


def test_a_claim_is_recorded_once_and_the_second_names_the_first_recorder(people):
    contract = registered(people)
    number = contract.registration_number
    claim = writeback.record_claim(people["officer"], number, "rd_super_deduction", YEAR, BUYER_CODE)
    assert claim.claimant_name == "深圳买方股份有限公司" and "河北省邯郸市" in claim.tax_office
    assert events(contract)[-1] == "tax_claim" and actions(contract)[-1] == "tax_claim"
    feed = db.session.scalars(select(TaxEvent).where(TaxEvent.event == "tax_claim")).one()
    assert (
        feed.payload["tax_claim"]["preference"] == "rd_super_deduction"
        and feed.payload["tax_claim"]["tax_year"] == YEAR
    )
    audited = db.session.scalars(select(AuditRecord).where(AuditRecord.object_id == str(contract.id))).all()
    assert any((r.after or {}).get("action") == "tax_claim" for r in audited)
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        writeback.record_claim(people["colleague"], number, "rd_super_deduction", YEAR, BUYER_CODE.lower())
    assert people["officer"].name in refused.value.detail and people["officer"].email not in refused.value.detail
    assert refused.value.errors[0].code == "tax_claim.duplicate"
    # the seller's own preference is another claim
    writeback.record_claim(people["colleague"], number, "vat_exemption", YEAR, SELLER_CODE)


def test_the_office_is_named_by_its_city_when_every_area_is_in_it(people, make_account):
    handan = make_account("tax", area_codes=("130402", "130403", "130404"))
    mixed = make_account("tax", area_codes=("130402", "110105"))
    with_names = {a.id: db.session.get(User, a.id) for a in (handan, mixed)}
    assert writeback.tax_office_of(with_names[handan.id]) == "河北省邯郸市（3个区县）"
    assert writeback.tax_office_of(with_names[mixed.id]) == "北京市朝阳区等1个其他地区"
    assert writeback.tax_office_of(people["officer"]) == "河北省邯郸市邯山区"


def test_only_an_entitled_party_of_a_registration_in_the_officers_areas_claims(people):
    contract = registered(people)
    number = contract.registration_number
    with pytest.raises(NotFound):  # another office's registration looks like no registration at all
        writeback.record_claim(people["elsewhere"], number, "rd_super_deduction", YEAR, BUYER_CODE)
    with pytest.raises(NotFound):
        writeback.record_claim(people["officer"], "1304022026999999", "rd_super_deduction", YEAR, BUYER_CODE)
    with pytest.raises(Forbidden):
        writeback.record_claim(people["reviewer"], number, "rd_super_deduction", YEAR, BUYER_CODE)
    refusals = {
        ("rd_super_deduction", SELLER_CODE, YEAR): "claimant.not_entitled",  # the buyer's preference
        ("vat_exemption", BUYER_CODE, YEAR): "claimant.not_entitled",  # the seller's
        ("income_tax_relief", SELLER_CODE, YEAR): "preference.not_eligible",  # a development contract: no relief
        ("vat_exemption", "91330100716105852A", YEAR): "credit_code.invalid",
        ("vat_exemption", SELLER_CODE, YEAR + 1): "tax_year.range",
    }
    for (preference, code, year), expected in refusals.items():
        with pytest.raises(ValidationFailed) as refused:
            writeback.record_claim(people["officer"], number, preference, year, code)
        assert refused.value.errors[0].code == expected, (preference, code)


def test_an_objection_upheld_changes_nothing_and_reaches_timeline_and_feed(people):
    contract = registered(people)
    objection = writeback.raise_objection(people["officer"], contract.registration_number, "研发内容存疑")
    with pytest.raises(Conflict):  # one open objection per registration
        writeback.raise_objection(people["colleague"], contract.registration_number, "再次异议")
    assert writeback.list_objections(people["reviewer"], status="open") == [objection]
    assert writeback.list_objections(people["elsewhere"]) == []
    with pytest.raises(ValidationFailed):
        writeback.answer(people["reviewer"], objection.id, "upheld", " ")
    writeback.answer(people["reviewer"], objection.id, "upheld", "经复核，登记无误")
    assert (objection.status, objection.outcome, objection.answered_by_id) == (
        "answered",
        "upheld",
        people["reviewer"].id,
    )
    assert contract.version == 1 and contract.status == "registered"
    assert actions(contract)[-2:] == ["objection_raised", "objection_answered"]
    assert events(contract)[-2:] == ["objection", "objection_answered"]
    with pytest.raises(Conflict):
        writeback.answer(people["second"], objection.id, "revoked", "再答")


def test_a_correction_issues_a_new_certificate_version(people):
    contract = registered(people)
    objection = writeback.raise_objection(people["officer"], contract.registration_number, "认定金额偏高")
    changes = {"certified_technical_amount": Decimal("900000.00")}
    writeback.answer(people["reviewer"], objection.id, "corrected", "核减认定金额", changes)
    assert (objection.status, objection.outcome, objection.version) == ("answered", "corrected", 2)
    assert contract.certified_technical_amount == Decimal("900000.00")
    assert [c.version for c in contract.certificates] == [1, 2]
    assert events(contract)[-2:] == ["changed", "objection_answered"]


def test_a_correction_needing_four_eyes_is_answered_when_the_second_reviewer_approves(people):
    contract = registered(people)
    objection = writeback.raise_objection(people["officer"], contract.registration_number, "类别有误")
    writeback.answer(
        people["reviewer"],
        objection.id,
        "corrected",
        "应为技术服务",
        {"category": "service", "subtype": "technical_service"},
    )
    assert objection.status == "open" and objection.awaits_second_approval and contract.version == 1
    with pytest.raises(Forbidden):  # the proposer cannot approve it
        writeback.answer(people["reviewer"], objection.id, "corrected", "应为技术服务")
    review.approve(people["second"], contract)
    assert (objection.status, objection.outcome, objection.answered_by_id, objection.proposed_by_id) == (
        "answered",
        "corrected",
        people["second"].id,
        people["reviewer"].id,
    )
    assert contract.category == "service" and contract.version == 2


def test_a_revocation_ends_the_registration(people):
    contract = registered(people)
    objection = writeback.raise_objection(people["officer"], contract.registration_number, "材料虚假")
    writeback.answer(people["reviewer"], objection.id, "revoked", "以虚假材料取得登记")
    assert (objection.status, objection.outcome, contract.status) == ("answered", "revoked", "revoked")
    assert events(contract)[-2:] == ["objection_answered", "revoked"]
    with pytest.raises(Conflict):  # nothing more is claimed on a revoked registration
        writeback.record_claim(people["officer"], contract.registration_number, "vat_exemption", YEAR, SELLER_CODE)


@pytest.mark.parametrize("end", ["cancelled", "revoked"])
def test_a_registration_ended_by_another_path_answers_its_open_objection(people, end):
    """Cancelled at the applicant's request or revoked by the station without answering: the objection does not
    wait for ever; it ends with the registration, on the timeline and in the feed, and its correction is dropped."""
    contract = registered(people)
    objection = writeback.raise_objection(people["officer"], contract.registration_number, "类别有误")
    change = {"category": "service", "subtype": "technical_service"}  # a class change: a second reviewer approves
    writeback.answer(people["reviewer"], objection.id, "corrected", "应为技术服务", change)
    assert objection.status == "open" and objection.awaits_second_approval
    act = review.cancel if end == "cancelled" else review.revoke
    act(people["second"], contract, "合同提前终止")
    assert (objection.status, objection.outcome, objection.answer_note) == ("answered", end, "合同提前终止")
    assert objection.proposal is None and contract.pending_change is None and contract.status == end
    assert events(contract)[-2:] == ["objection_answered", end]
    assert writeback.list_objections(people["officer"], status="open") == []


def test_the_bureau_sees_preferences_used_per_year(people):
    first, second = registered(people), registered(people, title="第二份合同")
    for contract in (first, second):
        writeback.record_claim(people["officer"], contract.registration_number, "rd_super_deduction", YEAR, BUYER_CODE)
    writeback.record_claim(people["officer"], first.registration_number, "vat_exemption", YEAR, SELLER_CODE)
    rows = {(r["tax_year"], r["preference"]): r for r in writeback.preferences_used()}
    rd = rows[(YEAR, "rd_super_deduction")]
    assert (rd["claims"], rd["registrations"]) == (2, 2)
    assert rd["certified_technical_amount"] == first.certified_technical_amount + second.certified_technical_amount
    assert (rows[(YEAR, "vat_exemption")]["claims"], rows[(YEAR, "vat_exemption")]["registrations"]) == (1, 1)


def test_the_demo_seeds_two_claims_and_an_open_objection_once(people):
    from app.demo import seed as demo

    first, second = registered(people), registered(people, title="第二份合同")
    demo.seed()  # the demo tax officer serves every Handan area
    claims = writeback.list_claims(people["officer"])
    objections = writeback.list_objections(people["reviewer"], status="open")
    assert sorted(c.preference for c in claims) == ["rd_super_deduction", "vat_exemption"]
    assert [o.contract for o in objections] == [first] and {c.contract for c in claims} == {second}
    assert demo.seed_tax_answers() == 0  # seeded once
