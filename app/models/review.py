"""Registration support: gap-free number sequences per station and year, and four-eyes proposals."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.account import User
from app.models.base import Base, utcnow


class RegistrationSequence(Base):
    """The last sequence number a station used in a year; incremented under a row lock in the registering
    transaction, so a rollback gives the number back and no two registrations share one."""

    __tablename__ = "registration_sequences"
    __table_args__ = (UniqueConstraint("station_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"))
    year: Mapped[int]
    last_value: Mapped[int] = mapped_column(default=0)


class RegistrationProposal(Base):
    """A reviewer's act on a registration awaiting a second reviewer's approval (four eyes): the first
    registration (kind "registration", with the station's corrections of the filing) or a change after it (kind
    "change", with the registered facts it changes). Category, sub-type and certified amount are what the
    registration certifies once the proposal is applied; `note` is the registration note or the change's reason."""

    __tablename__ = "registration_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(
        String(16), default="registration", server_default="registration"
    )  # registration | change
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | approved | withdrawn
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    category: Mapped[str] = mapped_column(String(16))
    subtype: Mapped[str] = mapped_column(String(32))
    certified_technical_amount: Mapped[Decimal]
    corrections: Mapped[dict] = mapped_column(JSON, default=dict)
    changes: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")  # field -> {"from", "to"}
    # why a second reviewer must approve: codes of app.domain.four_eyes.REASONS, as judged when proposed
    review_reasons: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
