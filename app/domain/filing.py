"""The input of the rule sets: a filing as plain frozen data, and the context it is checked in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.domain.catalogue import COUNTRY_CHINA


@dataclass(frozen=True)
class PartyData:
    """A seller or buyer: an organisation (credit_code) or an individual (id_number)."""

    name: str | None = None
    credit_code: str | None = None
    id_number: str | None = None
    area_code: str | None = None
    nature: str | None = None
    country: str = COUNTRY_CHINA

    @property
    def is_individual(self) -> bool:
        """A natural person: identified by an ID number and no credit code."""
        return bool(self.id_number) and not self.credit_code

    @property
    def is_domestic(self) -> bool:
        """Registered in China, so Chinese codes (credit code, area, nature) apply."""
        return self.country == COUNTRY_CHINA


@dataclass(frozen=True)
class OtherPartyData(PartyData):
    """A party beside the first seller and buyer: a co-seller, a further buyer, or the intermediary of a brokered
    deal; checked like the first two, never the one who files or chooses the station."""

    role: str = "seller"


@dataclass(frozen=True)
class DeductionData:
    """A non-technical cost deducted from the contract amount (equipment, materials...)."""

    kind: str | None = None
    description: str | None = None
    amount: Decimal | None = None


@dataclass(frozen=True)
class LicenseData:
    """The terms of a licence: exclusivity, territory and duration in years."""

    exclusivity: str | None = None
    territory: str | None = None
    years: int | None = None


@dataclass(frozen=True)
class FilingData:
    """A contract as filed; every field may be missing while it is a draft."""

    title: str | None = None
    category: str | None = None
    subtype: str | None = None
    equity: bool = False  # technology contributed as equity (技术入股), a flag of a transfer
    signed_by_internal_unit: bool = False  # an internal unit or research group signed for the organisation
    government_funded: bool = False  # the technology comes from a government-funded project
    signed_on: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    seller: PartyData = field(default_factory=PartyData)
    buyer: PartyData = field(default_factory=PartyData)
    other_parties: tuple[OtherPartyData, ...] = ()
    amount: Decimal | None = None
    deductions: tuple[DeductionData, ...] = ()
    technical_amount: Decimal | None = None
    amount_fixed: bool = True  # False: royalty or sales-based payment, amounts supplemented after registration
    technical_field: str | None = None
    ip_type: str | None = None
    ip_numbers: tuple[str, ...] = ()
    plan_category: str | None = None
    payment_method: str | None = None
    summary: str | None = None
    license: LicenseData | None = None
    attachment_kinds: tuple[str, ...] = ()

    @property
    def is_import(self) -> bool:
        """A technology import: a foreign seller and a domestic buyer, who files."""
        return self.seller.country != COUNTRY_CHINA and self.buyer.country == COUNTRY_CHINA

    @property
    def is_brokered(self) -> bool:
        """A tripartite contract made through an intermediary (技术中介)."""
        return any(p.role == "intermediary" for p in self.other_parties)

    @property
    def filing_party(self) -> PartyData:
        """The party who files: the seller, or the domestic buyer of an import."""
        return self.buyer if self.is_import else self.seller


def _every_area_known(code: str) -> bool:
    """The default area lookup: accepts every code (the service passes the real one)."""
    return True


@dataclass(frozen=True)
class CheckContext:
    """What the checks need beyond the filing: dates, the filer, the stations' areas, a duplicate found."""

    filed_on: date
    today: date
    filer_credit_code: str | None
    filer_id_number: str | None = None
    served_area_codes: frozenset[str] = frozenset()
    served_credit_codes: frozenset[str] = frozenset()  # institutions a station serves whatever their district
    known_area_codes: Callable[[str], bool] = _every_area_known
    duplicate_of: str | None = None
