"""An applicant's request after registration (a change, a supplement of an open amount, a cancellation) and the
station's decision on it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.account import User
from app.models.base import Base, utcnow
from app.models.review import RegistrationProposal

if TYPE_CHECKING:
    from app.models.contract import Contract

REQUEST_KINDS = ("change", "supplement", "cancel")
REQUEST_STATUSES = ("pending", "approved", "refused")


class ContractRequest(Base):
    """What the applicant asks (`changes`: field -> new value, JSON) and why; the station approves or refuses with a
    note. Where the four-eyes rule needs a second reviewer, the first approval is a change proposal (`proposal`) and
    the request stays pending until a second reviewer approves it."""

    __tablename__ = "contract_requests"
    __table_args__ = (
        CheckConstraint("kind IN ('change', 'supplement', 'cancel')", name="kind"),
        CheckConstraint("status IN ('pending', 'approved', 'refused')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)  # the station's note on its decision
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the first of two approvals
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("registration_proposals.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who approved (last) or refused
    decided_at: Mapped[datetime | None]

    contract: Mapped[Contract] = relationship(back_populates="requests")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    proposal: Mapped[RegistrationProposal | None] = relationship()

    @property
    def awaits_second_approval(self) -> bool:
        """Approved once, and the change waits for a second reviewer (four eyes)."""
        return self.status == "pending" and self.proposal is not None and self.proposal.status == "pending"
