"""The message centre over the API: the caller's messages, and marking one read."""

from __future__ import annotations

from flask_login import current_user

from app.api.blueprint import Blueprint
from app.auth.permissions import signed_in
from app.messages import services as messages
from app.messages.schemas import MessageListArgs, MessageOut, MessagePageOut

blp = Blueprint("messages_api", __name__, description="The caller's messages: every notice the e-mails carry")


@blp.route("")
@signed_in
@blp.arguments(MessageListArgs, location="query")
@blp.response(200, MessagePageOut)
@blp.doc(security=[{"bearer": []}])
@blp.problems(401)
def list_messages(args):
    """The caller's messages, newest first (`unread=true`: only the unread ones)."""
    return messages.page_of(current_user, args["page"], args["per_page"], unread_only=args["unread"])


@blp.route("/<int:message_id>/read", methods=["POST"])
@signed_in
@blp.response(200, MessageOut)
@blp.doc(security=[{"bearer": []}])
@blp.problems(401, 404)
def read_message(message_id):
    """Mark one of the caller's messages read (another user's message is a 404)."""
    return messages.mark_read(current_user, message_id)
