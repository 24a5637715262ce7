"""Technology brokers and managers (技术经纪人、技术经理人) registered by the bureau, and the filings naming them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.brokers import KINDS, STATUSES
from app.models.account import User
from app.models.base import Base, TimestampMixin


def _in(column: str, values) -> str:
    return f"{column} IN (%s)" % ", ".join(f"'{v}'" for v in values)


class Broker(TimestampMixin, Base):
    """A qualified person the bureau registered: who, for which organisation, under which certificate, in which
    standing. The ID number is stored whole and only ever shown masked."""

    __tablename__ = "brokers"
    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("status", STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), default="broker")
    name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str] = mapped_column(String(18))
    organisation_name: Mapped[str | None] = mapped_column(String(200))
    organisation_credit_code: Mapped[str | None] = mapped_column(String(18))
    certificate_no: Mapped[str] = mapped_column(String(40), unique=True)
    qualified_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Broker {self.id} {self.certificate_no} {self.status}>"


# Which registered brokers brokered a contract: part of the filing's data, replaced whole when the filing is edited.
contract_brokers = Table(
    "contract_brokers",
    Base.metadata,
    Column("contract_id", Integer, ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True),
    Column("broker_id", Integer, ForeignKey("brokers.id"), primary_key=True, index=True),
)
