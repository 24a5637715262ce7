"""Every model, imported here so that metadata and Alembic see the whole schema."""

from app.models.account import ApiToken, User, UserArea, UserSession
from app.models.audit import AuditRecord
from app.models.base import Base
from app.models.broker import Broker, contract_brokers
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
from app.models.imported import ImportBatch, ImportedRegistration
from app.models.income import ContractResearcher, IncomeCost, IncomeRecord
from app.models.message import Message
from app.models.outbox import OutboxMessage
from app.models.party import Party
from app.models.report import ReportSnapshot, UploadBatch
from app.models.request import ContractRequest
from app.models.review import RegistrationProposal, RegistrationSequence
from app.models.station import Station, StationArea, StationInstitution
from app.models.stats import CountyTarget, Goal, RegistrationFact, StatsRollup
from app.models.subsidy import SubsidyClaim, SubsidyProgramme
from app.models.tax_answer import TaxClaim, TaxObjection
from app.models.taxfeed import TaxEvent, TaxPull

__all__ = [
    "AccountActivation",
    "ApiToken",
    "Attachment",
    "AuditRecord",
    "Base",
    "Broker",
    "Certificate",
    "Contract",
    "ContractFinding",
    "ContractOtherParty",
    "ContractParty",
    "ContractRequest",
    "CountyTarget",
    "ContractResearcher",
    "Deduction",
    "Document",
    "Goal",
    "ImportBatch",
    "ImportedRegistration",
    "IncomeCost",
    "IncomeRecord",
    "Message",
    "OrganisationClaim",
    "OutboxMessage",
    "Party",
    "RegistrationFact",
    "StatsRollup",
    "RegistrationProposal",
    "RegistrationSequence",
    "ReportSnapshot",
    "Station",
    "StationArea",
    "StationInstitution",
    "StatusChange",
    "TaxClaim",
    "SubsidyClaim",
    "SubsidyProgramme",
    "TaxEvent",
    "TaxObjection",
    "TaxPull",
    "UploadBatch",
    "User",
    "UserArea",
    "UserSession",
    "contract_brokers",
]
