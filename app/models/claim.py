"""Organisation claims: the proof that an account speaks for the organisation it signed up with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.account import User
from app.models.base import Base, TimestampMixin
from app.models.contract import Contract
from app.models.party import Party

# unverified: the e-mail address is not confirmed yet; pending: waiting for a station or the bureau
CLAIM_STATUSES = ("unverified", "pending", "confirmed", "rejected")
# first: the organisation had no other account; contest: another account already claims it (the bureau decides)
CLAIM_KINDS = ("first", "contest")
# why a claim was decided as it was
# invitation: an admin of the organisation, whose own claim is confirmed, invited the account
CLAIM_BASES = (
    "licence_review",
    "seller_registration",
    "administrator",
    "existing_account",
    "contest_resolution",
    "invitation",
)


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IN (%s)" % ", ".join(f"'{v}'" for v in values), name=name)


class OrganisationClaim(TimestampMixin, Base):
    """An account's claim to act for an organisation, with the business licence it uploaded and the decision."""

    __tablename__ = "organisation_claims"
    __table_args__ = (
        _one_of("status", CLAIM_STATUSES, "status"),
        _one_of("kind", CLAIM_KINDS, "kind"),
        _one_of("basis", CLAIM_BASES, "basis"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8), default="first")
    status: Mapped[str] = mapped_column(String(12), default="unverified", index=True)
    basis: Mapped[str | None] = mapped_column(String(24))
    licence_sha256: Mapped[str | None] = mapped_column(String(64))
    licence_media_type: Mapped[str | None] = mapped_column(String(32))
    licence_filename: Mapped[str | None] = mapped_column(String(255))
    licence_size: Mapped[int | None]
    licence_uploaded_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))  # the registration that proved it

    user: Mapped[User] = relationship(foreign_keys=[user_id], back_populates="claim")
    organisation: Mapped[Party] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    contract: Mapped[Contract | None] = relationship()

    @property
    def is_open(self) -> bool:
        """Waiting for a decision."""
        return self.status == "pending"

    def __repr__(self) -> str:
        return f"<OrganisationClaim {self.id} {self.kind} {self.status}>"


class AccountActivation(Base):
    """A sign-up's e-mail link: only the token's SHA-256 is stored; it expires and works once."""

    __tablename__ = "account_activations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
