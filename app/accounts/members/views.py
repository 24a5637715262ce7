"""Pages of organisation members: the admins' list with the invitation form, role changes and removal; the
invitation link, where the colleague sets a password and starts in the organisation's filings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from app import transaction
from app.accounts.services import members, sessions
from app.auth.permissions import Permission, manages_members, require
from app.auth.session import SESSION_KEY
from app.errors import DomainError, FieldError, ValidationFailed
from app.i18n import lt, t

bp = Blueprint("members", __name__)

INVITATION_FIELDS = ("email", "name", "role")
ROLE_LABELS = {"admin": lt("Admin"), "filer": lt("Filer")}
STATUS_LABELS = {
    "active": lt("Active"),
    "invited": lt("Invited"),
    "expired": lt("Invitation expired"),
    "removed": lt("Removed"),
}


def member_label(code: str | None) -> str:
    """A member's role or status in the reader's language."""
    return str(ROLE_LABELS.get(code or "") or STATUS_LABELS.get(code or "") or code or "—")


TEMPLATE_GLOBALS = {"member_label": member_label, "manages_members": lambda: manages_members(current_user)}


def _errors_by_field(error: DomainError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in error.errors or [FieldError(error.code, "general", error.detail)]:
        errors.setdefault(item.field if item.field in INVITATION_FIELDS else "general", []).append(item.message)
    return errors


def _page(values=None, errors=None, status: int = 200):
    listed = members.list_members(current_user)
    values = values or {"role": "filer"}
    return render_template("account/members.html", members=listed, values=values, errors=errors or {}), status


@bp.route("/organisation/members", methods=["GET", "POST"])
@require(Permission.MEMBER_MANAGE)
def members_page():
    """The organisation's members; a POST invites a colleague."""
    if request.method == "GET":
        return _page()
    values = {name: request.form.get(name, "").strip() for name in INVITATION_FIELDS}
    try:
        user = members.invite(current_user, values["email"], values["name"], values["role"])
    except DomainError as error:
        transaction.refused(error)
        return _page(values, _errors_by_field(error), error.status)
    flash(t("%(email)s has been invited: the invitation link is on its way by e-mail.", email=user.email), "success")
    return redirect(url_for(".members_page"))


def _act_on(member_id: int, act, done: str):
    """Load the member (404 outside the organisation), act, and come back with the outcome."""
    try:
        act(members.load_member(current_user, member_id))
    except DomainError as error:
        if error.status == 404 or error.status == 403:
            raise
        transaction.refused(error)
        return _page(errors={"general": [error.detail]}, status=error.status)
    flash(done, "success")
    return redirect(url_for(".members_page"))


@bp.route("/organisation/members/<int:member_id>/role", methods=["POST"])
@require(Permission.MEMBER_MANAGE)
def change_role(member_id: int):
    """Make a member admin or filer."""
    role = request.form.get("role", "")
    return _act_on(
        member_id, lambda member: members.change_role(current_user, member, role), t("The role has been changed.")
    )


@bp.route("/organisation/members/<int:member_id>/remove", methods=["POST"])
@require(Permission.MEMBER_MANAGE)
def remove(member_id: int):
    """Remove a member: their sessions and API tokens end at once."""
    return _act_on(
        member_id,
        lambda member: members.remove(current_user, member),
        t("The member has been removed and signed out everywhere."),
    )


def _start_session(user) -> None:
    """As at log-in: a fresh cookie (keeping the language) backed by a server-side session record."""
    session_id = sessions.start_session(user)
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session[SESSION_KEY] = session_id
    login_user(user)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept(token: str):
    """The e-mailed invitation: the colleague sets a password, and is signed in to the organisation's filings."""
    activation = members.pending_invitation(token)
    if activation is None:
        return render_template("account/members_invitation.html", activation=None, errors={}), 404
    if request.method == "GET":
        return render_template("account/members_invitation.html", activation=activation, token=token, errors={})
    password = request.form.get("password", "")
    try:
        if password != request.form.get("confirm_password", ""):
            raise ValidationFailed(
                t("The password has not been set."),
                [FieldError("password.mismatch", "confirm_password", t("The two passwords differ."))],
            )
        user = members.accept_invitation(token, password)
    except DomainError as error:
        transaction.refused(error)
        errors: dict[str, list[str]] = {}
        for item in error.errors:
            errors.setdefault(item.field, []).append(item.message)
        page = render_template("account/members_invitation.html", activation=activation, token=token, errors=errors)
        return page, error.status
    _start_session(user)
    flash(t("Welcome: you are a member of %(organisation)s.", organisation=user.organisation.name), "success")
    return redirect(url_for("applicant.contracts"))
