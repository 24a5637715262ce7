"""Demo data: a station for each of Handan's areas, one account per role (two for the bureau: one approves a
subsidy, the other pays it), this year's subsidy programmes, county targets and technology brokers; once
registrations exist, a few preferences claimed and an open objection of the demo tax office, and a buyer's subsidy
claims (pending, approved, paid)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.accounts.services import accounts
from app.demo import absorption as demo_absorption
from app.demo import brokers as demo_brokers
from app.domain import areas
from app.domain.clock import today_local
from app.domain.identifiers import credit_code_status
from app.errors import DomainError
from app.extensions import db
from app.models import (
    Contract,
    ContractParty,
    Station,
    StationArea,
    StationInstitution,
    SubsidyClaim,
    SubsidyProgramme,
    TaxClaim,
    User,
)
from app.stations import lookup as station_lookup
from app.statistics.services import assessment, goals
from app.subsidies.services import claims as subsidy_claims
from app.subsidies.services import programmes as subsidy_programmes
from app.tax.services import writeback
from app.tax.services.tax_scope import scope_condition

DEMO_PASSWORD = "Demo-2026-tcr"  # noqa: S105 - demo accounts only; `flask demo seed` refuses production mode
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CITY_STATION = ("130400", "邯郸市技术合同登记站", ("130400", "130471", "130473"))


def complete_credit_code(first17: str) -> str:
    """The 18-character credit code whose check digit fits these 17 characters."""
    return next(first17 + c for c in CREDIT_CODE_CHARS if credit_code_status(first17 + c) == "valid")


def ensure_station(code: str, name: str, area_codes: tuple[str, ...]) -> Station:
    """The station with this code, created with its areas if missing."""
    station = station_lookup.by_code(code)
    if station is None:
        station = Station(code=code, name=name, areas=[StationArea(area_code=a) for a in area_codes])
        db.session.add(station)
        db.session.flush()
    return station


def station_definitions() -> list[tuple[str, str, tuple[str, ...]]]:
    """(code, name, areas) of the demo stations: the city station and one per current district and county."""
    return [CITY_STATION] + [
        (c.code, f"{c.name}技术合同登记站", (c.code,)) for c in areas.handan_counties() if c.status == "current"
    ]


def seed_stations() -> list[Station]:
    """Create the demo stations that do not exist yet."""
    return [ensure_station(*definition) for definition in station_definitions()]


def _ensure_user(email: str, role: str, name: str, **scope) -> tuple[User, bool]:
    user = db.session.scalars(select(User).where(User.email == email)).first()
    if user is not None:
        return user, False
    return accounts.create_user(email, DEMO_PASSWORD, role, name, **scope), True


# An institution station: the university's own, for its contracts whatever the district (the plan encourages
# stations at universities); the credit code is a demo one with a valid check digit.
UNIVERSITY_STATION = ("130490", "河北工程大学技术合同登记站")
UNIVERSITY = ("12130400MB1600001", "河北工程大学")
COMMITMENT_DAYS = 10  # 邯山区's service commitment (Tianjin's stations promise 10 working days)


def seed_institution_station() -> Station:
    """The university's station serving the university, created if missing."""
    station = ensure_station(*UNIVERSITY_STATION, ())
    code = complete_credit_code(UNIVERSITY[0])
    if not db.session.scalars(select(StationInstitution).where(StationInstitution.credit_code == code)).first():
        station.institutions.append(StationInstitution(credit_code=code, name=UNIVERSITY[1]))
        db.session.flush()
    return station


def seed() -> list[tuple[str, str, str, bool]]:
    """Stations and one account per role; returns (role, e-mail, password, created) rows to print."""
    stations = {s.code: s for s in seed_stations()}
    seed_institution_station()
    if stations["130402"].commitment_days is None:
        stations["130402"].commitment_days = COMMITMENT_DAYS
    org = accounts.find_or_create_organisation(
        complete_credit_code("91130402MA0DEM001"), "邯郸示范科技有限公司", "130402", "150"
    )
    handan = [a.code for a in areas.handan_counties()] + ["130400"]
    rows = [
        ("applicant", "applicant@demo.tcr", "张申报", {"organisation": org}),
        ("reviewer", "reviewer@demo.tcr", "李审核", {"station": stations["130402"]}),
        ("reviewer", "reviewer2@demo.tcr", "王复核", {"station": stations["130402"]}),
        ("bureau", "bureau@demo.tcr", "赵科技局", {}),
        ("bureau2", "bureau2@demo.tcr", "孙财务", {}),  # pays what the first approved (four eyes on money)
        ("tax", "tax@demo.tcr", "钱税务", {"area_codes": handan}),
    ]
    out, users = [], {}
    for key, email, name, scope in rows:
        role = "bureau" if key == "bureau2" else key
        users[key], created = _ensure_user(email, role, name, **scope)
        out.append((role, email, DEMO_PASSWORD, created))
    _seed_goals(users["bureau"])
    demo_brokers.seed_brokers(users["bureau"])
    seed_tax_answers()
    _seed_county_targets(users["bureau"])
    _seed_subsidy_programmes(users["bureau"])
    seed_subsidy_claims()
    demo_absorption.seed_absorption(users["bureau"])
    return out


TAX_OFFICER = "tax@demo.tcr"
DEMO_OBJECTION = (
    "研发费用加计扣除核查中发现：合同约定的研发内容与登记的技术开发类别不符，请复核认定类别和认定技术交易额。"
)


def seed_tax_answers() -> int:
    """Two preferences claimed (the seller's VAT exemption, the buyer's R&D super deduction) and one open objection
    on development registrations in the demo tax officer's areas, written through the tax office's services; nothing
    when the tax office has recorded claims already or there is no registration yet. Returns the acts written."""
    officer = db.session.scalars(select(User).where(User.email == TAX_OFFICER)).first()
    if officer is None or db.session.scalars(select(TaxClaim.id).limit(1)).first() is not None:
        return 0
    candidates = db.session.scalars(
        select(Contract)
        .where(Contract.status == "registered", Contract.category == "development", scope_condition(officer))
        .order_by(Contract.id.desc())
        .limit(20)
    ).all()
    written, claimed = 0, None
    for contract in candidates:
        acts = [("vat_exemption", contract.seller), ("rd_super_deduction", contract.buyer)]
        for preference, party in acts:
            if written < 2 and party is not None and party.credit_code:
                written += _attempt(
                    writeback.record_claim,
                    officer,
                    contract.registration_number,
                    preference,
                    contract.registered_on.year,
                    party.credit_code,
                )
                claimed = contract
        if written >= 2 and contract is not claimed:
            return written + _attempt(writeback.raise_objection, officer, contract.registration_number, DEMO_OBJECTION)
    return written


def _attempt(act, *args) -> int:
    """1 when the act was recorded, 0 when the service refused it (a buyer not entitled, say): the demo tries
    the next registration."""
    try:
        with db.session.begin_nested():
            act(*args)
    except DomainError:
        return 0
    return 1


# Handan's technology-transfer plan: ¥4.5 billion of technical transactions a year and ten registration stations.
PLAN_GOALS = (
    ("technical_amount", "4500000000", "邯郸市技术转移体系建设方案：年技术交易总额45亿元以上"),
    ("active_stations", "10", "邯郸市技术转移体系建设方案：市级以上技术合同登记站10家"),
)


def _seed_goals(bureau: User) -> None:
    """The plan's goals for this year, unless the bureau has set its own."""
    year = today_local().year
    present = {goal.metric for goal in goals.goals_for(year, None)}
    for metric, target, note in PLAN_GOALS:
        if metric not in present:
            goals.set_goal(bureau, year, metric, target, note=note)


def _seed_county_targets(bureau: User) -> None:
    """Growth targets of 10–30 % for Handan's counties this year and last (the plan assesses the counties on the
    growth of their contract amount), unless the bureau has set some for that year; the districts of the city
    proper also get an amount, so that the ranking shows counties meeting and missing their targets."""
    this_year = today_local().year
    for year in (this_year - 1, this_year):
        if assessment.targets_for(year):
            continue
        rows = {}
        for index, county in enumerate(assessment.counties()):
            rate = 10 + (index * 8 + year) % 21  # 10 … 30, a different spread each year
            rows[county.code] = {"growth_rate": str(rate)}
        rows["130402"]["target_amount"] = "50000000"  # 邯山区: ¥50 million
        assessment.set_targets(bureau, year, rows)


def _subsidy_programmes(year: int) -> list[dict]:
    """The plan's city subsidy for enterprises taking up results, and seed 000's 1 ‰ reward for intermediaries."""
    window = {"year": year, "open_from": date(year, 1, 1), "open_until": date(year + 1, 3, 31), "categories": []}
    return [
        {
            **window,
            "name": f"{year}年邯郸市技术交易补贴（承接成果企业）",
            "beneficiary": "buyer",
            "basis": "contract_amount",
            "rate": Decimal("0.05"),
            "cap_per_contract": Decimal("1000000.00"),
            "cap_per_organisation_year": None,
            "budget": Decimal("5000000.00"),
        },
        {
            **window,
            "name": f"{year}年技术中介服务奖励（成交额千分之一）",
            "beneficiary": "intermediary",
            "basis": "contract_amount",
            "rate": Decimal("0.001"),
            "cap_per_contract": None,
            "cap_per_organisation_year": Decimal("200000.00"),
            "budget": Decimal("1000000.00"),
        },
    ]


def _seed_subsidy_programmes(bureau: User) -> None:
    """This year's subsidy programmes, unless a programme of that name exists."""
    present = set(db.session.scalars(select(SubsidyProgramme.name)))
    for body in _subsidy_programmes(today_local().year):
        if body["name"] not in present:
            subsidy_programmes.create(bureau, body)


SUBSIDY_BUYER = "buyer@demo.tcr"  # the enterprise whose claims the demo shows (made once registrations exist)
CLAIM_STATES = ("pending", "approved", "paid")
DEMO_BUREAU = ("bureau@demo.tcr", "bureau2@demo.tcr")  # the first approves, the second pays


def seed_subsidy_claims() -> int:
    """Three claims on this year's subsidy for enterprises taking up results, by the buyer of the most registrations
    of the year (an account of its own, buyer@demo.tcr): one pending, one approved by the bureau, one approved and
    then paid by the second bureau account (four eyes), written through the subsidy services, so the rates, caps
    and budget hold; nothing when the programme has claims or no registration qualifies. Returns the claims
    written."""
    bureau, payer = (db.session.scalars(select(User).where(User.email == e)).first() for e in DEMO_BUREAU)
    year = today_local().year
    name = _subsidy_programmes(year)[0]["name"]
    programme = db.session.scalars(select(SubsidyProgramme).where(SubsidyProgramme.name == name)).first()
    if bureau is None or payer is None or programme is None:
        return 0
    if db.session.scalars(select(SubsidyClaim.id).where(SubsidyClaim.programme_id == programme.id)).first():
        return 0
    buyer = _subsidy_buyer(year)
    if buyer is None:
        return 0
    numbers = db.session.scalars(
        _qualifying_registrations(year)
        .where(ContractParty.credit_code == buyer.organisation.credit_code)
        .with_only_columns(Contract.registration_number)
        .order_by(Contract.id)
        .limit(len(CLAIM_STATES) * 2)  # a few spare ones in case the services refuse one
    ).all()
    written = 0
    for number in numbers:
        if written == len(CLAIM_STATES):
            break
        written += _attempt(_claim_in_state, buyer, bureau, payer, programme.id, number, CLAIM_STATES[written])
    return written


def _qualifying_registrations(year: int):
    """Registrations in force of the year with a fixed amount, joined to their buyer with a credit code."""
    return (
        select(Contract)
        .join(ContractParty, (ContractParty.contract_id == Contract.id) & (ContractParty.role == "buyer"))
        .where(
            Contract.status == "registered",
            Contract.amount_fixed.is_(True),
            Contract.registered_on >= date(year, 1, 1),
            Contract.registered_on <= date(year, 12, 31),
            ContractParty.credit_code.is_not(None),
        )
    )


def _subsidy_buyer(year: int) -> User | None:
    """The demo buyer's account (created for the buyer of the most registrations of the year), or None when no
    registration of the year names a buyer."""
    user = db.session.scalars(select(User).where(User.email == SUBSIDY_BUYER)).first()
    if user is not None:
        return user
    count = func.count(Contract.id)
    row = db.session.execute(
        _qualifying_registrations(year)
        .with_only_columns(ContractParty.credit_code, count)
        .group_by(ContractParty.credit_code)
        .order_by(count.desc(), ContractParty.credit_code)
        .limit(1)
    ).first()
    if row is None:
        return None
    party = db.session.scalars(
        select(ContractParty).where(ContractParty.credit_code == row.credit_code, ContractParty.role == "buyer")
    ).first()
    organisation = accounts.find_or_create_organisation(party.credit_code, party.name, party.area_code, party.nature)
    user, _ = _ensure_user(SUBSIDY_BUYER, "applicant", "吴采购", organisation=organisation)
    return user


def _claim_in_state(buyer: User, bureau: User, payer: User, programme_id: int, number: str, state: str) -> None:
    claim = subsidy_claims.claim(buyer, programme_id, number)
    if state in ("approved", "paid"):
        subsidy_claims.approve(bureau, claim.id)
    if state == "paid":
        subsidy_claims.pay(payer, claim.id)
