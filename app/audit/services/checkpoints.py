"""Anchors for the audit chain: the chain's head signed with the bureau's key and kept outside the table (a file
and the log), so that rewriting the chain or cutting rows off its end no longer goes unnoticed."""

from __future__ import annotations

import base64
import fcntl
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask, current_app
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.certificates.pki import ROOT_CERT_FILE, ROOT_KEY_FILE, load_root
from app.extensions import db
from app.models import AuditRecord
from app.models.base import utcnow

ALGORITHM = "ecdsa-with-SHA256"
SIGNED_FIELDS = ("last_id", "hash", "rows", "at")
TAIL_BYTES = 8192  # enough to hold the file's last line


@dataclass
class Checkpoint:
    """One signed head of the chain: the last row's id and hash, how many rows up to it, when."""

    last_id: int
    hash: str
    rows: int
    at: str
    signature: str = ""
    signed_by: str = ""
    algorithm: str = ALGORITHM

    def signed_bytes(self) -> bytes:
        """What the signature covers: the four facts as canonical JSON."""
        facts = {name: getattr(self, name) for name in SIGNED_FIELDS}
        return json.dumps(facts, sort_keys=True, separators=(",", ":")).encode("ascii")

    def line(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True, separators=(",", ":"))


def checkpoint_path() -> Path:
    """The append-only file of checkpoints (TCR_AUDIT_CHECKPOINT_PATH)."""
    return Path(current_app.config["AUDIT_CHECKPOINT_PATH"])


def take_checkpoint() -> Checkpoint | None:
    """Sign the chain's current head with the bureau root's key, append it to the file and write it to the log;
    None when the log is still empty."""
    head = db.session.execute(select(AuditRecord.id, AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)).first()
    if head is None:
        return None
    rows = db.session.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.id <= head.id))
    key, certificate = load_root(Path(current_app.config["CERTS_DIR"]), current_app.config["CERTS_PASSPHRASE"])
    checkpoint = Checkpoint(
        last_id=head.id,
        hash=head.hash,
        rows=rows,
        at=utcnow().isoformat(),
        signed_by=certificate.subject.rfc4514_string(),
    )
    checkpoint.signature = base64.b64encode(key.sign(checkpoint.signed_bytes(), ec.ECDSA(hashes.SHA256()))).decode()
    _append(checkpoint_path(), checkpoint.line())
    current_app.logger.info("audit checkpoint %s", checkpoint.line())
    return checkpoint


def _append(path: Path, line: str) -> None:
    """One line, appended under an exclusive lock (workers and the timer may write at the same moment)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="ascii") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_checkpoints(path: Path) -> list[Checkpoint | str]:
    """Every checkpoint in the file, in order; a line that does not parse is kept as its text."""
    if not path.exists():
        return []
    entries: list[Checkpoint | str] = []
    for text in path.read_text(encoding="ascii", errors="replace").splitlines():
        if text.strip():
            entries.append(_parse(text))
    return entries


def _parse(text: str) -> Checkpoint | str:
    try:
        return Checkpoint(**json.loads(text))
    except (ValueError, TypeError):
        return text


def _last_checkpoint(path: Path) -> Checkpoint | None:
    """The file's last checkpoint, read from its tail (the file only grows)."""
    if not path.exists():
        return None
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - TAIL_BYTES))
        lines = handle.read().decode("ascii", errors="replace").strip().splitlines()
    last = _parse(lines[-1]) if lines else None
    return last if isinstance(last, Checkpoint) else None


def checkpoint_if_due() -> None:
    """After a commit that added audit rows: a checkpoint when AUDIT_CHECKPOINT_EVERY rows or
    AUDIT_CHECKPOINT_MINUTES minutes have passed since the last one. Never fails the request: a problem is logged."""
    every, minutes = current_app.config["AUDIT_CHECKPOINT_EVERY"], current_app.config["AUDIT_CHECKPOINT_MINUTES"]
    if not every and not minutes:
        return
    if not (Path(current_app.config["CERTS_DIR"]) / ROOT_KEY_FILE).exists():
        return  # no bureau key yet (`flask certs init`): nothing can be signed
    try:
        last = _last_checkpoint(checkpoint_path())
        head_id = db.session.scalar(select(func.max(AuditRecord.id)))
        if head_id is None or (last is not None and head_id <= last.last_id):
            return
        if (
            last is None
            or (every and head_id - last.last_id >= every)
            or (minutes and utcnow() - datetime.fromisoformat(last.at) >= timedelta(minutes=minutes))
        ):
            take_checkpoint()
    except Exception:  # noqa: BLE001 - the user's action is committed; a missed anchor must not turn it into an error
        current_app.logger.exception("audit checkpoint not written")


def init_checkpoints(app: Flask) -> None:
    """After a request whose transaction committed audit rows, anchor the chain if a checkpoint is due."""

    @app.after_request
    def _anchor(response):
        if db.session.info.pop("audit_committed", False):
            checkpoint_if_due()
        return response


@event.listens_for(Session, "after_commit")
def _mark_committed(session: Session) -> None:
    if session.info.pop("audit_pending", False):
        session.info["audit_committed"] = True


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop("audit_pending", None)


@dataclass
class CheckpointReport:
    """What the checkpoints say about the table: how many were verified, the problems found, the last anchor."""

    checked: int
    problems: list[str]
    last: Checkpoint | None


def verify_checkpoints() -> CheckpointReport:
    """Each checkpoint: its signature verifies with the bureau's certificate, the row at its id still has the
    signed hash, and the table still holds at least the signed number of rows up to it."""
    entries = read_checkpoints(checkpoint_path())
    if not entries:
        return CheckpointReport(0, [], None)
    certificate = x509.load_pem_x509_certificate((Path(current_app.config["CERTS_DIR"]) / ROOT_CERT_FILE).read_bytes())
    problems, checked, last = [], 0, None
    for number, entry in enumerate(entries, 1):
        if isinstance(entry, str):
            problems.append(f"checkpoint {number}: unreadable line")
            continue
        checked, last = checked + 1, entry
        problems += [
            f"checkpoint {number} (row {entry.last_id}, {entry.at}): {problem}"
            for problem in _check(entry, certificate)
        ]
    return CheckpointReport(checked, problems, last)


def _check(entry: Checkpoint, certificate: x509.Certificate) -> list[str]:
    """The problems of one checkpoint (none: it holds)."""
    try:
        certificate.public_key().verify(
            base64.b64decode(entry.signature), entry.signed_bytes(), ec.ECDSA(hashes.SHA256())
        )
    except (InvalidSignature, ValueError):
        return ["signature does not verify with the bureau's certificate (the checkpoint was forged or edited)"]
    row_hash = db.session.scalar(select(AuditRecord.hash).where(AuditRecord.id == entry.last_id))
    if row_hash is None:
        return [f"row {entry.last_id} is gone (the log was truncated or rows were deleted)"]
    problems = []
    if row_hash != entry.hash:
        problems.append(f"row {entry.last_id} no longer has the signed hash (the chain was rewritten)")
    rows = db.session.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.id <= entry.last_id))
    if rows < entry.rows:
        problems.append(f"{entry.rows - rows} of the {entry.rows} signed rows up to it are missing (rows deleted)")
    return problems
