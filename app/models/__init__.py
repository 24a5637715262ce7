"""Every model, imported here so that metadata and Alembic see the whole schema."""

from app.models.account import ApiToken, User, UserArea, UserSession
from app.models.audit import AuditRecord
from app.models.base import Base
from app.models.certificate import Certificate
from app.models.claim import AccountActivation, OrganisationClaim
from app.models.contract import (
    Attachment,
    Contract,
    ContractFinding,
    ContractOtherParty,
    ContractParty,
    Deduction,
    StatusChange,
)
from app.models.document import Document
from app.models.income import ContractResearcher, IncomeCost, IncomeRecord
from app.models.message import Message
from app.models.outbox import OutboxMessage
from app.models.party import Party
from app.models.request import ContractRequest
from app.models.review import RegistrationProposal, RegistrationSequence
from app.models.station import Station, StationArea, StationInstitution
from app.models.stats import Goal, RegistrationFact
from app.models.taxfeed import TaxEvent, TaxPull

__all__ = [
    "AccountActivation",
    "ApiToken",
    "Attachment",
    "AuditRecord",
    "Base",
    "Certificate",
    "Contract",
    "ContractFinding",
    "ContractOtherParty",
    "ContractParty",
    "ContractRequest",
    "ContractResearcher",
    "Deduction",
    "Document",
    "Goal",
    "IncomeCost",
    "IncomeRecord",
    "Message",
    "OrganisationClaim",
    "OutboxMessage",
    "Party",
    "RegistrationFact",
    "RegistrationProposal",
    "RegistrationSequence",
    "Station",
    "StationArea",
    "StationInstitution",
    "StatusChange",
    "TaxEvent",
    "TaxPull",
    "User",
    "UserArea",
    "UserSession",
]
