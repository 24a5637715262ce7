"""Shapes of the organisation members' API: an invitation, a role change, a member as its admins see it."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.models.account import ORG_ROLES
from app.schemas.fields import NO_NUL_PATTERN, LocalDateTime, code

NULLABLE = {"allow_none": True}
MEMBER_STATUSES = ("active", "invited", "expired", "removed")


class InvitationIn(Schema):
    """A colleague to invite: e-mail address, name and role within the organisation."""

    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = fields.String(
        required=True, validate=[validate.Length(min=1, max=100), validate.Regexp(NO_NUL_PATTERN, error="text.nul")]
    )
    role = code(ORG_ROLES, required=True)


class RoleIn(Schema):
    """A member's new role within the organisation."""

    role = code(ORG_ROLES, required=True)


class MemberOut(Schema):
    """A member of the organisation: who, which role, whether they can sign in, and how they joined."""

    id = fields.Integer(attribute="user.id", required=True)
    name = fields.String(attribute="user.name", required=True)
    email = fields.String(attribute="user.email", required=True)
    role = fields.String(attribute="user.org_role", required=True, metadata={"enum": list(ORG_ROLES)})
    active = fields.Boolean(attribute="user.active", required=True)
    status = fields.String(
        required=True,
        metadata={
            "enum": list(MEMBER_STATUSES),
            "description": "active; invited (the link is waiting); expired (the invitation lapsed); removed",
        },
    )
    last_login_at = LocalDateTime(attribute="user.last_login_at", required=True, **NULLABLE)
    invited_at = LocalDateTime(required=True, **NULLABLE)
    invited_by = fields.String(required=True, metadata={"description": "the inviting admin's name"}, **NULLABLE)
    activated_at = LocalDateTime(required=True, **NULLABLE)


class MemberList(Schema):
    """The organisation's members."""

    items = fields.List(fields.Nested(MemberOut), required=True)
