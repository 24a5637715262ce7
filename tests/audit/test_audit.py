"""The audit log: every state change is recorded, and the hash chain exposes an altered or deleted row."""

from __future__ import annotations

import io

from sqlalchemy import select, text

from app.extensions import db
from app.models import AuditRecord
from tests.factories import MINIMAL_PDF, filing


def _file_and_submit(api) -> int:
    contract = api.post("/api/v1/contracts", json=filing()).json
    api.post(
        f"/api/v1/contracts/{contract['id']}/attachments",
        data={"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")},
    )
    assert api.post(f"/api/v1/contracts/{contract['id']}/submit", json={}).status_code == 200
    return contract["id"]


def test_state_changes_are_recorded_with_actor_and_before_after(app, api, applicant):
    contract_id = _file_and_submit(api)
    with app.app_context():
        rows = db.session.scalars(
            select(AuditRecord).where(AuditRecord.object_type == "contract", AuditRecord.object_id == str(contract_id))
        ).all()
        actions = [r.action for r in rows]
        assert actions == ["contract.draft", "attachment.add", "contract.submitted"]
        submitted = rows[-1]
        assert submitted.actor_id == applicant.id and submitted.actor_role == "applicant"
        assert submitted.before == {"status": "draft"} and submitted.after["status"] == "submitted"


def test_audit_verify_passes_on_an_intact_chain(app, api):
    _file_and_submit(api)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output


def test_audit_verify_detects_an_altered_row(app, api):
    _file_and_submit(api)
    with app.app_context():
        target = db.session.scalars(select(AuditRecord).where(AuditRecord.action == "contract.submitted")).one()
        db.session.execute(text("UPDATE audit_log SET actor_role = 'bureau' WHERE id = :id"), {"id": target.id})
        db.session.commit()
        target_id = target.id
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"row {target_id}" in result.output and "altered" in result.output


def test_audit_verify_detects_a_deleted_row(app, api):
    _file_and_submit(api)
    with app.app_context():
        target = db.session.scalars(select(AuditRecord).where(AuditRecord.action == "attachment.add")).one()
        db.session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": target.id})
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "deleted" in result.output
