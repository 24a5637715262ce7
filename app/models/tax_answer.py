"""The tax office answering back: preferences claimed on a registration for a tax year, and objections that open a
re-review the station answers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.account import User
from app.models.base import Base, utcnow
from app.models.review import RegistrationProposal

if TYPE_CHECKING:
    from app.models.contract import Contract

PREFERENCES = ("vat_exemption", "income_tax_relief", "rd_super_deduction")
OBJECTION_STATUSES = ("open", "answered")
OBJECTION_OUTCOMES = ("upheld", "corrected", "revoked")  # the station's answers
# how an objection can end: by the station's answer, or by the registration's cancellation before an answer (a
# revocation by another path ends it as "revoked")
OBJECTION_RESULTS = (*OBJECTION_OUTCOMES, "cancelled")
FIRST_TAX_YEAR, LAST_TAX_YEAR = 2000, 2100


def _one_of(column: str, values: tuple[str, ...], nullable: bool = False) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    return f"{column} IS NULL OR {column} IN ({listed})" if nullable else f"{column} IN ({listed})"


class TaxClaim(Base):
    """A tax office's record that a claimant used a preference on a registration for a tax year: once per
    registration, preference, claimant and year (the database refuses a second)."""

    __tablename__ = "tax_claims"
    __table_args__ = (
        UniqueConstraint("contract_id", "preference", "claimant_credit_code", "tax_year", name="uq_tax_claims_once"),
        CheckConstraint(_one_of("preference", PREFERENCES), name="preference"),
        CheckConstraint(f"tax_year BETWEEN {FIRST_TAX_YEAR} AND {LAST_TAX_YEAR}", name="tax_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    preference: Mapped[str] = mapped_column(String(24))
    tax_year: Mapped[int] = mapped_column(index=True)
    claimant_credit_code: Mapped[str] = mapped_column(String(18))
    claimant_name: Mapped[str | None] = mapped_column(String(200))  # the party's name on the registration
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    tax_office: Mapped[str] = mapped_column(String(200))  # the officer's office (its areas) when recorded
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship()
    recorded_by: Mapped[User] = relationship()


class TaxObjection(Base):
    """A tax office's objection to a registration; the station answers it: upheld (nothing changes), corrected
    (a change of the registration, `proposal` while it waits for a second reviewer) or revoked; a registration
    cancelled or revoked by another path before the answer ends it as "cancelled" or "revoked"."""

    __tablename__ = "tax_objections"
    __table_args__ = (
        CheckConstraint(_one_of("status", OBJECTION_STATUSES), name="status"),
        CheckConstraint(_one_of("outcome", OBJECTION_RESULTS, nullable=True), name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    tax_office: Mapped[str] = mapped_column(String(200))
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))
    answer_note: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None]
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("registration_proposals.id", ondelete="SET NULL"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the first of two approvals
    version: Mapped[int | None]  # the registration's version the correction led to

    contract: Mapped[Contract] = relationship()
    raised_by: Mapped[User] = relationship(foreign_keys=[raised_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    proposal: Mapped[RegistrationProposal | None] = relationship()

    @property
    def awaits_second_approval(self) -> bool:
        """Answered once as corrected; the change waits for a second reviewer (four eyes)."""
        return self.status == "open" and self.proposal is not None and self.proposal.status == "pending"
