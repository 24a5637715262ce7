"""What a certificate states: plain, frozen data, filled by the certificate service from the registry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# Custom entries of the PDF document information dictionary: rendering writes them, verification reads them back
# from the signed file.
PDF_INFO_REGISTRATION_NUMBER = "/TCR-Registration-Number"
PDF_INFO_VERSION = "/TCR-Version"


@dataclass(frozen=True)
class PartyLine:
    """A contracting party as printed: name, identifier (credit code or masked ID) and area."""

    name: str
    identifier: str
    area: str


@dataclass(frozen=True)
class CertificateData:
    """Everything the certificate of one version of a registration prints (labels already in Chinese)."""

    registration_number: str
    version: int
    check_code: str
    verify_url: str
    title: str
    category: str
    subtype: str
    seller: PartyLine
    buyer: PartyLine
    signed_on: date
    valid_from: date
    valid_until: date
    amount: Decimal | None  # None: not fixed at signing, to be supplemented (待补正)
    certified_technical_amount: Decimal
    technical_field: str
    station_name: str
    station_code: str
    registered_on: date
    rule_set: str
    issued_on: date
    supersedes_version: int | None = None
    other_parties: tuple[tuple[str, PartyLine], ...] = ()  # (role as printed, party) beside the seller and buyer
    amount_open: bool = False  # the amount was not fixed at signing: the certificate says it will be supplemented
