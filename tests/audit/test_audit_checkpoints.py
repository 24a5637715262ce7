"""Anchored audit chain: signed checkpoints outside the table expose a chain rewritten after an edit and rows cut
off its end, which the chain alone cannot; a clean chain passes; anchoring never fails the user's request."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.audit.services import audit
from app.extensions import db
from app.models import AuditRecord
from tests.factories import MINIMAL_PDF, filing


def _activity(api, contracts: int = 2) -> None:
    """Drafts with an attachment added and removed: three audit rows each."""
    for _ in range(contracts):
        contract = api.post("/api/v1/contracts", json=filing()).json
        added = api.post(
            f"/api/v1/contracts/{contract['id']}/attachments",
            data={"kind": "contract_text", "file": (io.BytesIO(MINIMAL_PDF), "c.pdf")},
        ).json
        url = f"/api/v1/contracts/{contract['id']}/attachments/{added['id']}"
        assert api.delete(url).status_code == 204


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _checkpoints(app) -> list[dict]:
    path = Path(app.config["AUDIT_CHECKPOINT_PATH"])
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _rechain(app, edit_id: int) -> None:
    """What an intruder with write access would do: alter a row, then recompute every hash after it."""
    with app.app_context():
        rows = db.session.scalars(select(AuditRecord).order_by(AuditRecord.id)).all()
        prev = audit.GENESIS
        for row in rows:
            if row.id == edit_id:
                row.actor_role = "bureau"
            new_hash = audit._digest(prev, row)
            db.session.execute(
                text("UPDATE audit_log SET actor_role = :role, prev_hash = :prev, hash = :hash WHERE id = :id"),
                {"role": row.actor_role, "prev": prev, "hash": new_hash, "id": row.id},
            )
            prev = new_hash
        db.session.commit()


@pytest.fixture
def anchored(app, api) -> list[int]:
    """Audit activity, then an on-demand checkpoint; the ids of the rows."""
    _activity(api)
    result = _cli(app, "audit", "checkpoint")
    assert result.exit_code == 0, result.output
    with app.app_context():
        return list(db.session.scalars(select(AuditRecord.id).order_by(AuditRecord.id)))


def test_a_clean_chain_and_its_checkpoints_pass(app, anchored):
    last = _checkpoints(app)[-1]
    assert last["last_id"] == anchored[-1] and last["rows"] == len(anchored) and last["signature"]
    result = _cli(app, "audit", "verify")
    assert result.exit_code == 0, result.output
    assert "intact" in result.output and "checkpoint(s) verified" in result.output


def test_an_edit_hidden_by_recomputing_the_whole_chain_is_detected(app, anchored):
    _rechain(app, edit_id=anchored[2])
    with app.app_context():
        assert audit.verify_chain().ok  # the chain alone no longer shows anything
    result = _cli(app, "audit", "verify")
    assert result.exit_code == 1
    assert f"row {anchored[-1]} no longer has the signed hash" in result.output and "rewritten" in result.output


def test_deleting_the_last_rows_is_detected(app, anchored):
    with app.app_context():
        db.session.execute(text("DELETE FROM audit_log WHERE id >= :id"), {"id": anchored[-2]})
        db.session.commit()
        assert audit.verify_chain().ok  # a shorter chain is still a valid chain
    result = _cli(app, "audit", "verify")
    assert result.exit_code == 1 and f"row {anchored[-1]} is gone" in result.output


def test_deleting_rows_and_renumbering_is_detected(app, anchored):
    with app.app_context():
        db.session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": anchored[0]})
        db.session.commit()
    _rechain(app, edit_id=-1)  # re-link the chain over the gap
    result = _cli(app, "audit", "verify")
    assert result.exit_code == 1 and "rows deleted" in result.output and "rewritten" in result.output


def test_an_edited_checkpoint_fails_its_signature(app, anchored):
    path = Path(app.config["AUDIT_CHECKPOINT_PATH"])
    lines = path.read_text().splitlines()
    forged = json.loads(lines[-1]) | {"rows": 1}
    path.write_text("\n".join(lines[:-1] + [json.dumps(forged)]) + "\n")
    result = _cli(app, "audit", "verify")
    assert result.exit_code == 1 and "signature does not verify" in result.output


def test_the_app_anchors_by_itself_every_n_records(app, api, caplog):
    app.config.update(AUDIT_CHECKPOINT_EVERY=5, AUDIT_CHECKPOINT_MINUTES=0)
    with caplog.at_level(logging.INFO):
        _activity(api, contracts=4)  # 3 rows per contract
    checkpoints = _checkpoints(app)
    assert len(checkpoints) >= 3
    assert all(b["last_id"] - a["last_id"] >= 5 for a, b in zip(checkpoints, checkpoints[1:]))
    assert any(record.getMessage().startswith("audit checkpoint {") for record in caplog.records)
    assert _cli(app, "audit", "verify").exit_code == 0


def test_anchoring_never_fails_the_users_request(app, api, caplog):
    app.config.update(CERTS_PASSPHRASE="not-the-passphrase")
    with caplog.at_level(logging.ERROR):
        response = api.post("/api/v1/contracts", json=filing())
    assert response.status_code == 201
    assert _checkpoints(app) == [] and "audit checkpoint not written" in caplog.text


def test_the_app_anchors_by_itself_when_the_last_checkpoint_is_old(app, api, monkeypatch):
    from datetime import timedelta

    from app.audit.services import checkpoints as audit_checkpoints
    from app.models.base import utcnow

    app.config.update(AUDIT_CHECKPOINT_EVERY=1000, AUDIT_CHECKPOINT_MINUTES=15)
    _activity(api, contracts=1)
    assert len(_checkpoints(app)) == 1  # the first rows are anchored at once
    _activity(api, contracts=1)
    assert len(_checkpoints(app)) == 1  # neither 1000 rows nor 15 minutes yet
    monkeypatch.setattr(audit_checkpoints, "utcnow", lambda: utcnow() + timedelta(minutes=16))
    _activity(api, contracts=1)
    assert len(_checkpoints(app)) == 2
