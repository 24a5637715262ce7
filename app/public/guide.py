"""The service guide (办事指南): what to prepare per category, the time limits of the rule set in force and where
to ask, read from the catalogue, the rule sets and the stations so that the guide never disagrees with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain import areas
from app.domain.catalogue import ATTACHMENT_KINDS, CATEGORIES, COUNTRY_CHINA, SUBTYPES, Label
from app.domain.clock import today_local
from app.domain.filing import CheckContext, FilingData, PartyData
from app.domain.findings import Finding, Severity
from app.domain.rules import RuleSet, rule_set_for
from app.domain.rules.contract_checks import check_attachments, check_situation_attachments
from app.extensions import db
from app.models import Station

# Who files, per category (DOMAIN.md §3): the seller in the role the Civil Code gives it.
FILERS = {
    "development": Label("研究开发人（受托方或合作开发方）", "The developer (the commissioned or cooperating party)"),
    "transfer": Label("让与人（转让方）", "The transferor"),
    "licensing": Label("许可人", "The licensor"),
    "consultation": Label("受托人（提供咨询的一方）", "The consultant"),
    "service": Label("服务方、培训方或中介方", "The service provider, trainer or intermediary"),
}
# Asked for by the stations though no rule checks them (the rules note the annex and the quotation of development,
# consultation and service contracts themselves).
RECOMMENDED = {
    "transfer": ("technical_annex",),
    "licensing": ("technical_annex",),
}
# A sample registered right per subtype, so that the attachment check asks for the certificate where one applies.
_SAMPLE_RIGHT = {"patent_right": "invention_patent", "patent_license": "invention_patent"}
ABROAD = "840"  # any foreign country code: what a technology import's seller has


@dataclass(frozen=True)
class Requirement:
    """One attachment the rules ask for: required (blocks submission) or asked when it applies (a warning)."""

    kind: str
    required: bool
    finding: Finding


def category_codes() -> list[str]:
    """The categories of the rule set in force, in catalogue order."""
    in_force = rule_set_in_force()
    return [code for code in CATEGORIES if code in in_force.categories]


def rule_set_in_force(day: date | None = None) -> RuleSet:
    """The rule set that applies to a filing made today."""
    return rule_set_for(day or today_local())


def _sample(category: str, subtype: str, seller_country: str = COUNTRY_CHINA, **situation: bool) -> FilingData:
    right = _SAMPLE_RIGHT.get(subtype) or ("software_copyright" if category in ("transfer", "licensing") else None)
    return FilingData(
        category=category,
        subtype=subtype,
        ip_type=right,
        seller=PartyData(country=seller_country),
        attachment_kinds=(),
        **situation,
    )


def attachment_requirements(category: str) -> list[Requirement]:
    """The attachments the rule set in force asks for in this category, found by running its attachment check
    on an empty filing of each subtype (and of a technology import): one entry per attachment kind."""
    today = today_local()
    context = CheckContext(filed_on=today, today=today, filer_credit_code=None)
    rule_set = rule_set_in_force(today)
    samples = [(_sample(category, subtype), True) for subtype in SUBTYPES.get(category, {})]
    first = next(iter(SUBTYPES[category]))
    # what a situation calls for is asked "when it applies", even where the situation makes it an error
    samples += [
        (_sample(category, first, seller_country=ABROAD), False),
        (_sample(category, first, signed_by_internal_unit=True, government_funded=True), False),
    ]
    found: dict[str, Requirement] = {}
    for sample, always in samples:
        for check in (check_attachments, check_situation_attachments):
            for finding in check(sample, context, rule_set):
                kind = _kind_of(finding.code)
                if kind and kind not in found:
                    found[kind] = Requirement(kind, always and finding.severity is Severity.ERROR, finding)
    return sorted(found.values(), key=lambda r: (not r.required, list(ATTACHMENT_KINDS).index(r.kind)))


def _kind_of(code: str) -> str | None:
    """The attachment kind an attachment finding is about ("attachments.ip_certificate_missing" → ip_certificate)."""
    return next((kind for kind in ATTACHMENT_KINDS if code.startswith(f"attachments.{kind}")), None)


def stations_with_areas() -> list[tuple[Station, list[str]]]:
    """The active stations with the full names of the areas each serves: where to file and where to ask."""
    stations = db.session.scalars(
        select(Station).where(Station.active.is_(True)).options(selectinload(Station.areas)).order_by(Station.code)
    )
    return [(station, [areas.full_name(code) for code in station.area_codes]) for station in stations]
