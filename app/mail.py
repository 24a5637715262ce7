"""E-mail through the outbox: queued with the decision, delivered only after the transaction commits.

Every notice queued here for a user is also written to that user's message centre (app/messages), so that nothing
depends on e-mail delivery; only the notices that carry a one-time link to get into an account stay e-mail only."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from pathlib import Path

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app import transaction
from app.extensions import db
from app.i18n import DEFAULT_LOCALE
from app.messages import services as messages
from app.models import Contract, OutboxMessage
from app.models.base import utcnow

MAX_ATTEMPTS = 5


def queue(recipient: str, subject: str, body: str, contract_id: int | None = None) -> OutboxMessage:
    """Add a message to the outbox in the current transaction."""
    message = OutboxMessage(recipient=recipient, subject=subject[:300], body=body, contract_id=contract_id)
    db.session.add(message)
    db.session.info["outbox_pending"] = True
    return message


# Notices about getting into an account (activation, a password reset, ...) carry a one-time link in the context
# as `token`: they stay e-mail only, since the user cannot sign in to read them and the link must not be kept twice.
SECRET_CONTEXT = "token"
# Where a message about an account (not a contract) points the reader.
ACCOUNT_LINKS = {"claim_confirmed": "/account/claim", "claim_rejected": "/account/claim"}


def _render(event_name: str, **context) -> tuple[str, str]:
    """templates/emails/<event>.txt: the first line is the subject, the rest the body. Rendered in the recipient's
    language (accounts keep no choice of their own, so the default, Chinese, whose e-mails carry an English line)
    whatever language the person whose act caused the notice is using."""
    with force_locale(DEFAULT_LOCALE):
        text = render_template(f"emails/{event_name}.txt", base_url=current_app.config["PUBLIC_BASE_URL"], **context)
    subject, _, body = text.partition("\n")
    return subject.strip(), body.lstrip("\n")


def notify_user(recipient: str, event_name: str, **context) -> OutboxMessage:
    """A notice about an account rather than a contract (templates/emails/<event>.txt), also left in the account's
    message centre unless it carries a link to get into the account."""
    subject, body = _render(event_name, **context)
    if SECRET_CONTEXT not in context:
        user = messages.account_at(recipient)
        if user is not None:
            messages.deliver(user, event_name, subject, body, ACCOUNT_LINKS.get(event_name))
    return queue(recipient, subject, body)


def notify_applicant(contract: Contract, event_name: str, **context) -> OutboxMessage | None:
    """Tell the filing organisation about a decision (templates/emails/<event>.txt): an e-mail to the person who
    filed the contract, and a message to each of the organisation's accounts that sees it."""
    subject, body = _render(event_name, contract=contract, **context)
    for user in messages.organisation_readers(contract):
        messages.deliver(user, event_name, subject, body, f"/contracts/{contract.id}", contract.id)
    recipient = contract.created_by.email if contract.created_by else None
    if not recipient:
        return None
    return queue(recipient, subject, body, contract.id)


def notify_station(contract: Contract, event_name: str, **context) -> list[OutboxMessage]:
    """Tell the active reviewers of the contract's station (e.g. amended materials arrived), by e-mail and message."""
    reviewers = messages.station_reviewers(contract)
    if not reviewers:
        return []
    subject, body = _render(event_name, contract=contract, **context)
    queued = []
    for user in reviewers:
        messages.deliver(user, event_name, subject, body, f"/station/contracts/{contract.id}", contract.id)
        queued.append(queue(user.email, subject, body, contract.id))
    return queued


def _send(message: OutboxMessage) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    if backend == "smtp":
        with smtplib.SMTP(current_app.config["MAIL_SERVER"], current_app.config["MAIL_PORT"], timeout=10) as smtp:
            if current_app.config["MAIL_STARTTLS"]:
                smtp.starttls()
            if current_app.config["MAIL_USERNAME"]:
                smtp.login(current_app.config["MAIL_USERNAME"], current_app.config["MAIL_PASSWORD"])
            smtp.send_message(email)
    elif backend == "file":
        directory = Path(current_app.config["MAIL_DIR"])
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{message.id:08d}.eml").write_bytes(bytes(email))
    else:
        current_app.logger.info("e-mail to %s: %s\n%s", message.recipient, message.subject, message.body)


def deliver_pending(limit: int = 100) -> int:
    """Send what the outbox holds (committed messages only) and note each attempt; returns how many were sent.
    The caller commits (`transaction.unit()`)."""
    sent = 0
    pending = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    for message in list(pending):
        message.attempts += 1
        try:
            _send(message)
            message.sent_at = utcnow()
            sent += 1
        except (OSError, smtplib.SMTPException) as error:
            message.last_error = str(error)[:2000]
            current_app.logger.warning("e-mail %s not sent: %s", message.id, error)
    return sent


@event.listens_for(Session, "after_commit")
def _mark_committed(session: Session) -> None:
    if session.info.pop("outbox_pending", False):
        session.info["outbox_committed"] = True


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop("outbox_pending", None)


def init_mail(app: Flask) -> None:
    """After a request whose transaction committed new outbox messages, deliver them."""
    if app.config["MAIL_BACKEND"] == "console" and app.logger.level == logging.NOTSET:
        # the console backend is how a development sign-up sees its activation link: let INFO through
        app.logger.setLevel(logging.INFO)

    @app.after_request
    def _deliver(response):
        if db.session.info.pop("outbox_committed", False):
            with transaction.unit():  # the sending is a unit of its own, after the request's
                deliver_pending()
        return response
