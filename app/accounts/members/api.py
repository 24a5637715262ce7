"""Organisation members (API.md "Organisation members"): an organisation's admin lists, invites, re-roles and
removes its members. Another organisation's member is a 404."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from app.accounts.members.schemas import InvitationIn, MemberList, MemberOut, RoleIn
from app.accounts.services import members
from app.api.blueprint import Blueprint
from app.auth.permissions import Permission, require

blp = Blueprint("members_api", __name__, description="Organisation members: invitations, roles, removal")


@blp.route("")
class MemberCollection(MethodView):
    """The members of the caller's organisation."""

    @require(Permission.MEMBER_MANAGE)
    @blp.response(200, MemberList)
    @blp.problems(401, 403)
    def get(self):
        """List the organisation's members (admins of a confirmed organisation)."""
        return {"items": members.list_members(current_user)}

    @require(Permission.MEMBER_MANAGE)
    @blp.arguments(InvitationIn)
    @blp.response(201, MemberOut)
    @blp.problems(400, 401, 403, 409, 415)
    def post(self, data):
        """Invite a colleague: the account is created inactive and an e-mailed link lets them set a password.
        An address with an account outside the organisation is a 409."""
        user = members.invite(current_user, data["email"], data["name"], data["role"])
        return members.describe(user)


@blp.route("/<int:member_id>")
class MemberItem(MethodView):
    """One member of the caller's organisation."""

    @require(Permission.MEMBER_MANAGE)
    @blp.arguments(RoleIn)
    @blp.response(200, MemberOut)
    @blp.problems(400, 401, 403, 404, 409, 415)
    def patch(self, data, member_id):
        """Change the member's role; the last active admin cannot stop being one (409)."""
        member = members.load_member(current_user, member_id)
        return members.describe(members.change_role(current_user, member, data["role"]))

    @require(Permission.MEMBER_MANAGE)
    @blp.response(204)
    @blp.problems(401, 403, 404, 409)
    def delete(self, member_id):
        """Remove the member: they can no longer sign in; their sessions and API tokens end at once."""
        members.remove(current_user, members.load_member(current_user, member_id))
