"""Pages of the message centre: the list, one message (opening it marks it read), and "mark all read"; plus the
header's unread count (a template global)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.permissions import signed_in
from app.i18n import t
from app.messages import services as messages

bp = Blueprint("messages", __name__)


def unread_messages() -> int:
    """The signed-in user's unread messages, for the header's badge: one COUNT per page, 0 when signed out."""
    if not current_user.is_authenticated:
        return 0
    if "unread_messages" not in g:
        g.unread_messages = messages.unread_count(current_user)
    return g.unread_messages


TEMPLATE_GLOBALS = {"unread_messages": unread_messages}


@bp.route("/messages")
@signed_in
def inbox():
    """The user's messages, newest first, the unread ones emphasised, a page at a time."""
    page = messages.page_of(current_user, request.args.get("page", 1, type=int))
    return render_template("messages/list.html", page=page)


@bp.route("/messages/<int:message_id>")
@signed_in
def message(message_id: int):
    """One message in full, with a link to what it is about; opening it marks it read."""
    opened = messages.mark_read(current_user, message_id)
    g.pop("unread_messages", None)  # the badge counts this one as read already
    return render_template("messages/message.html", message=opened, link=_site_path(opened.link))


@bp.route("/messages/read-all", methods=["POST"])
@signed_in
def read_all():
    """Mark every unread message read."""
    count = messages.mark_all_read(current_user)
    flash(t("%(n)s messages marked as read.", n=count), "success")
    return redirect(url_for("messages.inbox"))


def _site_path(link: str | None) -> str | None:
    """A stored path on this site as a URL (behind a path prefix too); nothing that could leave the site."""
    if not link or not link.startswith("/") or link.startswith("//"):
        return None
    return request.script_root + link
