"""Expert review as a hand-over: the station sends an accepted filing to the expert panel that the bureau
organises (by itself at acceptance above the rule set's threshold, by hand with a reason for a disputed one); the
bureau records the panel's opinion and the file returns to the station, which then decides as usual."""

from __future__ import annotations

from app import mail
from app.auth.permissions import Permission, can_review, has_permission
from app.domain import workflow
from app.domain.catalogue import EXPERT_OUTCOMES
from app.errors import Conflict, FieldError, Forbidden, ValidationFailed
from app.filing.services import deadlines
from app.filing.services.attachments import accept_upload, clean_filename
from app.filing.services.history import transition
from app.i18n import t
from app.models import Contract

MAX_TEXT = 4000
PDF = "application/pdf"


def _invalid(code: str, field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError(code, field, message)])


def _text(value: str | None, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise _invalid("required", field, message)
    if len(text) > MAX_TEXT:
        raise _invalid("too_long", field, t("At most %(count)s characters.", count=MAX_TEXT))
    return text


def hand_over(actor, contract: Contract, reason: str, automatic: bool) -> Contract:
    """Move the accepted filing to the expert panel; the longer time limit of the rule set applies."""
    for proposal in contract.proposals:  # a registration waiting for approval is judged after the opinion
        if proposal.status == "pending":
            proposal.status = "withdrawn"
    deadlines.on_expert_review(contract)
    transition(
        contract,
        actor,
        "expert_review",
        note=reason,
        details={"action": "send_to_experts", "automatic": automatic, "due_on": contract.due_on},
    )
    mail.notify_applicant(contract, "sent_to_experts")
    return contract


def send_to_experts(actor, contract: Contract, reason: str | None) -> Contract:
    """A reviewer of the responsible station sends an accepted filing to the expert panel, with the reason."""
    if not can_review(actor, contract):
        raise Forbidden(t("Only a reviewer of the responsible station may decide on this filing."))
    if not workflow.allows("send_to_experts", contract.status):
        raise Conflict(t("This action is not possible in status %(status)s.", status=contract.status))
    return hand_over(actor, contract, _text(reason, "reason", t("Give a reason.")), automatic=False)


def auto_reason() -> str:
    return t("The technical amount reaches the expert-review threshold of the rule set.")


def record_opinion(actor, contract: Contract, outcome: str | None, opinion: str | None, upload=None) -> Contract:
    """The bureau records the panel's opinion (an outcome, its text and, optionally, the signed opinion as a PDF,
    checked like every upload); the file returns to the station, which decides."""
    if not has_permission(actor, Permission.EXPERT_OPINION_RECORD):
        raise Forbidden(t("Only the bureau records the expert panel's opinion."))
    if not workflow.allows("record_expert_opinion", contract.status):
        raise Conflict(t("This action is not possible in status %(status)s.", status=contract.status))
    if outcome not in EXPERT_OUTCOMES:
        raise _invalid("expert_outcome.unknown", "outcome", t("Choose the panel's outcome."))
    text = _text(opinion, "opinion", t("Write the panel's opinion."))
    details: dict = {"action": "expert_opinion", "outcome": outcome}
    if upload is not None:
        sha256, size, media_type = accept_upload(upload.stream, field="file")
        if media_type != PDF:
            raise _invalid("attachment.type", "file", t("The opinion must be a PDF."))
        details["file"] = {"filename": clean_filename(upload.filename), "sha256": sha256, "size": size}
    contract.expert_outcome = outcome
    transition(contract, actor, "accepted", note=text, details=details)
    label = EXPERT_OUTCOMES[outcome]
    mail.notify_station(contract, "expert_opinion", outcome_zh=label.zh, outcome_en=label.en)
    return contract


def latest_opinion(contract: Contract):
    """The history entry of the panel's latest opinion, if any."""
    entries = [h for h in contract.history if (h.details or {}).get("action") == "expert_opinion"]
    return entries[-1] if entries else None
