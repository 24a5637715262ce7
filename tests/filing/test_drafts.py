"""Filing services: deleting a draft, and the technical amount computed when the applicant leaves it empty."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.errors import Conflict, Forbidden
from app.extensions import db
from app.files.storage import get_storage
from app.filing.schemas import ContractIn
from app.filing.services import attachments, contracts, drafts
from app.models import Attachment, AuditRecord, Contract, ContractFinding, StatusChange, User
from tests.factories import MINIMAL_PDF, filing


def _draft(user: User, **overrides) -> Contract:
    return contracts.create_draft(user, ContractIn().load(filing(**overrides)))


def count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def test_deleting_a_draft_removes_it_with_its_findings_attachments_history_and_file(app, applicant):
    with app.app_context():
        user = db.session.get(User, applicant.id)
        contract = _draft(user, technical_amount="1.00")  # a finding to delete along
        pdf = MINIMAL_PDF + b"%unique-to-this-test"
        attachment = attachments.add_attachment(user, contract, io.BytesIO(pdf), "c.pdf", "contract_text")
        db.session.commit()
        contract_id, sha256 = contract.id, attachment.sha256
        assert count(ContractFinding, contract_id=contract_id) and get_storage().exists(sha256)

        drafts.delete_draft(user, contract)
        db.session.commit()

        assert db.session.get(Contract, contract_id) is None
        for model in (ContractFinding, StatusChange, Attachment):
            assert count(model, contract_id=contract_id) == 0
        assert not get_storage().exists(sha256)
        record = db.session.scalars(select(AuditRecord).where(AuditRecord.action == "contract.delete")).one()
        assert record.object_id == str(contract_id) and record.actor_id == user.id


def test_a_file_another_contract_holds_is_kept(app, applicant):
    with app.app_context():
        user = db.session.get(User, applicant.id)
        first, second = _draft(user), _draft(user, title="另一份合同")
        attachment = attachments.add_attachment(user, first, io.BytesIO(MINIMAL_PDF), "a.pdf", "contract_text")
        attachments.add_attachment(user, second, io.BytesIO(MINIMAL_PDF), "b.pdf", "contract_text")
        db.session.commit()
        drafts.delete_draft(user, first)
        db.session.commit()
        assert get_storage().exists(attachment.sha256)


def test_a_rolled_back_deletion_keeps_the_file(app, applicant):
    with app.app_context():
        user = db.session.get(User, applicant.id)
        contract = _draft(user)
        pdf = MINIMAL_PDF + b"%rolled-back"
        attachment = attachments.add_attachment(user, contract, io.BytesIO(pdf), "c.pdf", "contract_text")
        db.session.commit()
        drafts.delete_draft(user, contract)
        db.session.rollback()
        db.session.commit()
        assert get_storage().exists(attachment.sha256) and db.session.get(Contract, contract.id) is not None


def test_only_a_draft_of_ones_own_organisation_can_be_deleted(app, applicant, make_account):
    with app.app_context():
        user = db.session.get(User, applicant.id)
        contract = _draft(user)
        attachments.add_attachment(user, contract, io.BytesIO(MINIMAL_PDF), "c.pdf", "contract_text")
        db.session.commit()
        bureau = db.session.get(User, make_account("bureau").id)
        with pytest.raises(Forbidden):
            drafts.delete_draft(bureau, contract)
        contracts.submit(user, contract)
        db.session.commit()
        with pytest.raises(Conflict):
            drafts.delete_draft(user, contract)
        assert db.session.get(Contract, contract.id).status == "submitted"


@pytest.mark.parametrize(
    "deductions, expected",
    [
        ([{"kind": "equipment", "description": "换热器", "amount": "170000.00"}], Decimal("1080000.00")),
        ([], Decimal("1250000.00")),
        (  # 1250000.00 − 0.10 − 0.20, exactly: Decimal, never floating point
            [
                {"kind": "equipment", "description": "甲", "amount": "0.10"},
                {"kind": "equipment", "description": "乙", "amount": "0.20"},
            ],
            Decimal("1249999.70"),
        ),
    ],
)
def test_an_empty_technical_amount_is_computed_from_the_amount_and_the_deductions(app, applicant, deductions, expected):
    with app.app_context():
        user = db.session.get(User, applicant.id)
        contract = _draft(user, technical_amount=None, deductions=deductions)
        assert contract.technical_amount == expected
        assert "amount.technical_mismatch" not in {f.code for f in contract.findings}


def test_a_declared_technical_amount_is_kept_and_checked(app, applicant):
    with app.app_context():
        contract = _draft(db.session.get(User, applicant.id), technical_amount="1000000.00")
        assert contract.technical_amount == Decimal("1000000.00")
        assert "amount.technical_mismatch" in {f.code for f in contract.findings}
