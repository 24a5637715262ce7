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
from app.models.message import Message
from app.models.outbox import OutboxMessage
from app.models.party import Party
from app.models.request import ContractRequest
from app.models.review import RegistrationProposal, RegistrationSequence
from app.models.station import Station, StationArea, StationInstitution
from app.models.stats import Goal, RegistrationFact
from app.models.subsidy import SubsidyClaim, SubsidyProgramme
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
    "Deduction",
    "Document",
    "Goal",
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
    "SubsidyClaim",
    "SubsidyProgramme",
    "TaxEvent",
    "TaxPull",
    "User",
    "UserArea",
    "UserSession",
]
