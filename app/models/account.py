"""User accounts, their roles and scopes, and hashed API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, utcnow
from app.models.party import Party
from app.models.station import Station

if TYPE_CHECKING:
    from app.models.claim import OrganisationClaim

ROLES = ("applicant", "reviewer", "bureau", "tax")
ORG_ROLES = ("admin", "filer")  # within an organisation: both file, an admin also manages the members


class User(TimestampMixin, Base):
    """A person who signs in: an applicant of an organisation, a station reviewer, bureau staff or a tax officer."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('applicant', 'reviewer', 'bureau', 'tax')", name="role"),
        CheckConstraint("org_role IN ('admin', 'filer')", name="org_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), index=True)
    org_role: Mapped[str | None] = mapped_column(String(8))  # an applicant's role in its organisation (ORG_ROLES)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), index=True)
    last_login_at: Mapped[datetime | None]
    # set on accounts made for someone else (the bureau's reviewers, `flask users create`): the first thing
    # such a user does after signing in is to choose a password nobody else knows
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())

    organisation: Mapped[Party | None] = relationship()
    station: Mapped[Station | None] = relationship()
    areas: Mapped[list[UserArea]] = relationship(cascade="all, delete-orphan", order_by="UserArea.area_code")
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")
    claim: Mapped[OrganisationClaim | None] = relationship(
        foreign_keys="OrganisationClaim.user_id", back_populates="user"
    )

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def area_codes(self) -> list[str]:
        return [area.area_code for area in self.areas]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class UserArea(Base):
    """A division code a tax officer's account is scoped to."""

    __tablename__ = "user_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    area_code: Mapped[str] = mapped_column(String(6))


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored, the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    scopes: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")  # extra grants, e.g. "tax:pii"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")


class UserSession(Base):
    """One signed-in browser session: its id travels in the signed cookie, only its SHA-256 is stored here.
    The user loader accepts a cookie only while its row is unrevoked, so a copied cookie dies with the session."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
