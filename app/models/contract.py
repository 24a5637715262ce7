"""The contract aggregate: the filing, its parties, deductions, attachments, findings and status history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain import workflow
from app.domain.catalogue import EXPERT_OUTCOMES
from app.domain.rules.rulesets import RULE_SET_CODES
from app.models.account import User
from app.models.base import Base, TimestampMixin, utcnow
from app.models.broker import Broker, contract_brokers
from app.models.certificate import Certificate
from app.models.party import Party
from app.models.request import ContractRequest
from app.models.review import RegistrationProposal
from app.models.station import Station

# A new rule set needs a migration that widens these constraints (no writer may store a code no rule set has).
_RULE_SET_IN = "rule_set IN (%s)" % ", ".join(f"'{code}'" for code in RULE_SET_CODES)


class Contract(TimestampMixin, Base):
    """A technology contract as filed by an organisation, from draft to registration."""

    __tablename__ = "contracts"
    __table_args__ = (
        CheckConstraint("status IN (%s)" % ", ".join(f"'{s}'" for s in workflow.STATUSES), name="status"),
        CheckConstraint(f"rule_set IS NULL OR {_RULE_SET_IN}", name="rule_set"),  # NULL: a draft never checked
        CheckConstraint(
            "expert_outcome IS NULL OR expert_outcome IN (%s)" % ", ".join(f"'{o}'" for o in EXPERT_OUTCOMES),
            name="expert_outcome",
        ),
        Index("ix_contracts_duplicate_key", "title", "signed_on", "amount"),
        # The supervision page reads a year's filings and decisions from these alone (index-only on PostgreSQL).
        Index("ix_contracts_filed_on", "filed_on", postgresql_include=["station_id", "status"]),
        Index(
            "ix_contracts_decided_at",
            "decided_at",
            postgresql_include=["id", "station_id", "status", "filed_on", "due_on", "clock_started_on"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), index=True)
    status: Mapped[str] = mapped_column(String(24), default="draft", index=True)
    rule_set: Mapped[str | None] = mapped_column(String(16))

    title: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(16), index=True)
    subtype: Mapped[str | None] = mapped_column(String(32))
    # technology contributed as equity (技术入股): a flag of a transfer, whatever its sub-type (DOMAIN.md §12)
    contributed_as_equity: Mapped[bool] = mapped_column(default=False, server_default=false())
    # the situation the filing declares, which decides the attachments the rules ask for (DOMAIN.md §12)
    signed_by_internal_unit: Mapped[bool] = mapped_column(default=False, server_default=false())
    government_funded: Mapped[bool] = mapped_column(default=False, server_default=false())
    signed_on: Mapped[date | None]
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]
    amount: Mapped[Decimal | None]
    technical_amount: Mapped[Decimal | None]
    # False: royalty or sales-based payment, the amounts are supplemented after registration (2001 rules art. 51)
    amount_fixed: Mapped[bool] = mapped_column(default=True, server_default=true())
    technical_field: Mapped[str | None] = mapped_column(String(32))
    ip_type: Mapped[str | None] = mapped_column(String(32))
    ip_numbers: Mapped[list] = mapped_column(JSON, default=list)
    plan_category: Mapped[str | None] = mapped_column(String(16))
    payment_method: Mapped[str | None] = mapped_column(String(32))
    summary: Mapped[str | None] = mapped_column(Text)
    license_exclusivity: Mapped[str | None] = mapped_column(String(16))
    license_territory: Mapped[str | None] = mapped_column(String(16))
    license_years: Mapped[int | None]
    acknowledged_warnings: Mapped[list] = mapped_column(JSON, default=list)

    filed_on: Mapped[date | None]  # first submission (Asia/Shanghai date): chooses the rule set
    submitted_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    clock_started_on: Mapped[date | None]  # acceptance, or the arrival of amended materials where the rules say so
    due_on: Mapped[date | None] = mapped_column(index=True)
    due_provisional: Mapped[bool] = mapped_column(default=False)
    expert_review: Mapped[bool] = mapped_column(default=False)  # the longer time limit of expert review applies
    expert_outcome: Mapped[str | None] = mapped_column(String(24))  # the panel's opinion, once recorded
    amendment_due_on: Mapped[date | None]
    decided_at: Mapped[datetime | None]
    registration_number: Mapped[str | None] = mapped_column(String(16), unique=True)
    certified_technical_amount: Mapped[Decimal | None]
    registered_on: Mapped[date | None]
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=0)  # registration version: 1 at registration, +1 per change

    organisation: Mapped[Party] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    station: Mapped[Station | None] = relationship()
    parties: Mapped[list[ContractParty]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", lazy="selectin"
    )
    other_parties: Mapped[list[ContractOtherParty]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="ContractOtherParty.position", lazy="selectin"
    )
    # the registered technology brokers who brokered the deal (API.md "Parties"); ordered as registered
    brokers: Mapped[list[Broker]] = relationship(secondary=contract_brokers, order_by=Broker.id, lazy="selectin")
    deductions: Mapped[list[Deduction]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="Deduction.position", lazy="selectin"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="Attachment.id"
    )
    findings: Mapped[list[ContractFinding]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="ContractFinding.position"
    )
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="StatusChange.id"
    )
    proposals: Mapped[list[RegistrationProposal]] = relationship(
        cascade="all, delete-orphan", order_by="RegistrationProposal.id"
    )
    certificates: Mapped[list[Certificate]] = relationship(order_by="Certificate.version")
    requests: Mapped[list[ContractRequest]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="ContractRequest.id"
    )

    def party(self, role: str) -> ContractParty | None:
        """The seller or the buyer as written in this contract."""
        return next((p for p in self.parties if p.role == role), None)

    @property
    def seller(self) -> ContractParty | None:
        return self.party("seller")

    @property
    def buyer(self) -> ContractParty | None:
        return self.party("buyer")

    @property
    def pending_proposal(self) -> RegistrationProposal | None:
        """The registration or change awaiting a second reviewer's approval, if any (at most one at a time)."""
        return next((p for p in self.proposals if p.status == "pending"), None)

    @property
    def pending_registration(self) -> RegistrationProposal | None:
        """The first registration awaiting a second reviewer's approval, if any."""
        pending = self.pending_proposal
        return pending if pending is not None and pending.kind == "registration" else None

    @property
    def pending_change(self) -> RegistrationProposal | None:
        """The change of the registration awaiting a second reviewer's approval, if any."""
        pending = self.pending_proposal
        return pending if pending is not None and pending.kind == "change" else None

    @property
    def current_certificate(self) -> Certificate | None:
        """The certificate version in force (the newest), if any was issued."""
        return self.certificates[-1] if self.certificates else None

    @property
    def is_editable(self) -> bool:
        return self.status in workflow.EDITABLE

    def __repr__(self) -> str:
        return f"<Contract {self.id} {self.status}>"


class ContractParty(Base):
    """The seller or buyer exactly as written in the contract (a snapshot, not the live registry entry)."""

    __tablename__ = "contract_parties"
    __table_args__ = (
        UniqueConstraint("contract_id", "role"),
        CheckConstraint("role IN ('seller', 'buyer')", name="role"),
        Index("ix_contract_parties_credit_code", "credit_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(8))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    name: Mapped[str | None] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    id_number: Mapped[str | None] = mapped_column(String(18))
    nature: Mapped[str | None] = mapped_column(String(3))
    area_code: Mapped[str | None] = mapped_column(String(6), index=True)
    country: Mapped[str] = mapped_column(String(3), default="156")

    contract: Mapped[Contract] = relationship(back_populates="parties")


class ContractOtherParty(Base):
    """A party beside the first seller and buyer (a co-seller, a further buyer, the intermediary of a brokered deal),
    with the same fields; duplicates, routing, statistics and the filer keep reading the first seller and buyer."""

    __tablename__ = "contract_other_parties"
    __table_args__ = (
        UniqueConstraint("contract_id", "position"),
        CheckConstraint("role IN ('seller', 'buyer', 'intermediary')", name="role"),
        Index("ix_contract_other_parties_credit_code", "credit_code"),  # an organisation's roles (subsidies)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    id_number: Mapped[str | None] = mapped_column(String(18))
    nature: Mapped[str | None] = mapped_column(String(3))
    area_code: Mapped[str | None] = mapped_column(String(6))
    country: Mapped[str] = mapped_column(String(3), default="156")

    contract: Mapped[Contract] = relationship(back_populates="other_parties")


class Deduction(Base):
    """A non-technical cost deducted from the contract amount (equipment, materials, …)."""

    __tablename__ = "deductions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[str | None] = mapped_column(String(16))
    description: Mapped[str | None] = mapped_column(String(300))
    amount: Mapped[Decimal | None]

    contract: Mapped[Contract] = relationship(back_populates="deductions")


class Attachment(Base):
    """A file attached to a contract; the bytes live in storage under their SHA-256."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="attachments")


class ContractFinding(Base):
    """One finding of the last rule check of a contract."""

    __tablename__ = "contract_findings"
    __table_args__ = (CheckConstraint(_RULE_SET_IN, name="rule_set"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(8))
    field: Mapped[str | None] = mapped_column(String(64))
    message_zh: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text)
    rule_set: Mapped[str] = mapped_column(String(16))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="findings")

    def message(self, locale: str) -> str:
        return self.message_en if locale.startswith("en") else self.message_zh


class StatusChange(Base):
    """One transition of a contract's status: who, in which role, when, from, to, and why."""

    __tablename__ = "status_changes"
    __table_args__ = (
        # The supervision's amendments and refusals: small partial indexes instead of scanning every transition.
        Index(
            "ix_status_changes_amendments",
            "contract_id",
            postgresql_where=text("to_status = 'amendment_requested'"),
            sqlite_where=text("to_status = 'amendment_requested'"),
        ),
        Index(
            "ix_status_changes_refusals",
            "created_at",
            postgresql_where=text("to_status = 'refused'"),
            sqlite_where=text("to_status = 'refused'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()
